"""COPY INTO <location> FROM <table> | (<query>): unload to S3 (or an internal stage) as
Parquet, CSV or JSON, which fakesnow does not do.

The location is an s3:// URL or a stage (with a path); files are named as Snowflake names them:
``<prefix>data_0_0_0.snappy.parquet`` under a path ending in '/', ``<prefix>_0_0_0...`` after
any other prefix, the path itself with SINGLE = TRUE. CSV is gzipped unless COMPRESSION = NONE,
has no header unless HEADER = TRUE, writes NULL as ``\\N`` and values in Snowflake's default
output formats; Parquet columns are named _COL_0, _COL_1, ... unless HEADER = TRUE. Existing
files of the same names fail the unload unless OVERWRITE = TRUE (which first removes the
files under the prefix). The result is Snowflake's: rows_unloaded, input_bytes, output_bytes,
or FILE_NAME, FILE_SIZE, ROW_COUNT with DETAILED_OUTPUT = TRUE. PARTITION BY, MAX_FILE_SIZE
splitting and formats other than these three are refused.
"""

import gzip
import io
import os
from pathlib import Path
from typing import Any

import fakesnow.transforms.stage as fs_stage
import pyarrow.parquet as pq
from fakesnow.transforms.options import parse_options
from fsspec import AbstractFileSystem
from snowflake.connector.errors import ProgrammingError
from sqlglot import exp

from dwsim_snowflake.unload_csv import csv_text, json_lines, text_select

# MAX_FILE_SIZE is a bound: one file of any size holds the same rows
_HANDLED = {
    "FILE_FORMAT",
    "HEADER",
    "OVERWRITE",
    "SINGLE",
    "DETAILED_OUTPUT",
    "FROM",
    "MAX_FILE_SIZE",
}


def _unsupported(what: str) -> ProgrammingError:
    return ProgrammingError(
        msg=f"COPY INTO <location> with {what} is not supported by the Snowflake emulator",
        errno=2,
        sqlstate="0A000",
    )


def is_unload(expr: exp.Copy) -> bool:
    """COPY INTO a stage or URL (not a table)."""
    target = expr.this.this if isinstance(expr.this, exp.Table) else expr.this
    if isinstance(target, exp.Literal):
        return True
    return isinstance(target, exp.Var) and target.name.startswith("@")


def _params(expr: exp.Copy) -> dict[str, exp.CopyParameter]:
    found = {}
    for param in expr.args.get("params") or []:
        name = param.this.name.upper() if isinstance(param.this, exp.Var) else str(param.this)
        if name not in _HANDLED:
            raise _unsupported(name)
        found[name] = param
    return found


def _flag(params: dict[str, exp.CopyParameter], name: str) -> bool:
    param = params.get(name)
    value = param.args.get("expression") if param is not None else None
    if value is None:
        return False
    return value.sql(dialect="snowflake").strip("'").upper() == "TRUE"


def _source_sql(expr: exp.Copy, params: dict[str, exp.CopyParameter]) -> str:
    files = expr.args.get("files") or []
    source = (
        files[0] if files else params["FROM"].args.get("expression") if "FROM" in params else None
    )
    if isinstance(source, exp.Subquery | exp.Paren):
        return source.this.sql(dialect="duckdb")
    if isinstance(source, exp.Select):
        return source.sql(dialect="duckdb")
    if isinstance(source, exp.Table):
        return f"SELECT * FROM {source.sql(dialect='duckdb')}"
    if isinstance(source, exp.Var | exp.Column):
        return f"SELECT * FROM {source.sql(dialect='duckdb')}"
    raise _unsupported("this source")


def _location(conn: Any, expr: exp.Copy, database: str | None, schema: str | None) -> str:
    target = expr.this.this if isinstance(expr.this, exp.Table) else expr.this
    if isinstance(target, exp.Literal):
        return target.this
    stage, _, path = target.name[1:].partition("/")
    if stage.startswith(("~", "%")):
        raise _unsupported("a user or table stage (unload to an s3:// URL or a named stage)")
    db, sch, name = fs_stage.parts_from_var(stage, database, schema)
    row = conn.execute(
        "SELECT url FROM _fs_global._fs_information_schema._fs_stages "
        "WHERE database_name = ? AND schema_name = ? AND name = ?",
        [db, sch, name],
    ).fetchone()
    if row is None:
        raise fs_stage.not_found_error(f"{db}.{sch}.{name}")
    base = row[0] or fs_stage.internal_dir(f"{db}.{sch}.{name}")
    return base.rstrip("/") + "/" + path if path else base.rstrip("/") + "/"


def _format(
    conn: Any, params: dict[str, exp.CopyParameter], database: str | None, schema: str | None
) -> dict:
    from fakesnow.transforms.file_format import lookup_file_format

    param = params.get("FILE_FORMAT")
    options = parse_options(param.expressions) if param is not None else {}
    if name := options.pop("FORMAT_NAME", None):
        options = {**lookup_file_format(conn, str(name), database, schema), **options}
    return options


def _file_names(location: str, kind: str, compression: str, single: bool) -> tuple[str, str]:
    """(prefix files are listed under, the one file's URL)."""
    if single:
        return location, location
    suffix = {"PARQUET": ".snappy.parquet", "CSV": ".csv", "JSON": ".json"}[kind]
    if kind != "PARQUET" and compression != "NONE":
        suffix += ".gz"
    name = "data_0_0_0" if location.endswith("/") else "_0_0_0"
    return location, f"{location}{name}{suffix}"


class _Files:
    """Writes, lists and removes files of S3 (through s3fs) or of an internal stage."""

    def __init__(self, fs: AbstractFileSystem | None, location: str):
        self.local = not location.startswith("s3://")
        if not self.local and fs is None:
            raise _unsupported("an s3:// location while S3 is not configured")
        self.fs = fs

    def existing(self, prefix: str) -> list[str]:
        if self.local:
            folder = Path(prefix if prefix.endswith("/") else os.path.dirname(prefix))
            found = folder.rglob("*") if folder.is_dir() else []
            return sorted(str(p) for p in found if p.is_file() and str(p).startswith(prefix))
        assert self.fs is not None
        from dwsim_snowflake.pattern import list_prefix

        return list_prefix(self.fs, prefix)

    def remove(self, urls: list[str]) -> None:
        for url in urls:
            if self.local:
                Path(url).unlink(missing_ok=True)
            else:
                assert self.fs is not None
                self.fs.rm(url)

    def write(self, url: str, data: bytes) -> None:
        if self.local:
            Path(url).parent.mkdir(parents=True, exist_ok=True)
            Path(url).write_bytes(data)
        else:
            assert self.fs is not None
            with self.fs.open(url, "wb") as out:
                out.write(data)


def _encode(
    conn: Any, select_sql: str, kind: str, options: dict, header: bool
) -> tuple[bytes, int, int]:
    """(file bytes, rows, input bytes) of the query's result in the format."""
    table = conn.execute(select_sql).to_arrow_table()
    if kind == "PARQUET":
        if not header:
            table = table.rename_columns([f"_COL_{i}" for i in range(table.num_columns)])
        buf = io.BytesIO()
        pq.write_table(table, buf, compression="snappy")
        return buf.getvalue(), table.num_rows, table.nbytes
    described = conn.execute(f"DESCRIBE {select_sql}").fetchall()
    text_table = conn.execute(text_select(select_sql, described)).to_arrow_table()
    if kind == "JSON":
        if text_table.num_columns != 1:
            raise ProgrammingError(
                msg="SQL compilation error:\nJSON file format can produce one and only one "
                "column of type variant, object, or array. Use CSV file format if you want to "
                "load more than one column.",
                errno=2019,
                sqlstate="0A000",
            )
        raw = json_lines(text_table).encode()
    else:
        raw = csv_text(text_table, options, header).encode()
    compression = str(options.get("COMPRESSION", "AUTO")).upper()
    if compression in ("AUTO", "GZIP"):
        raw_size = len(raw)
        return gzip.compress(raw), table.num_rows, raw_size
    if compression != "NONE":
        raise _unsupported(f"COMPRESSION = {compression}")
    return raw, table.num_rows, len(raw)


def run(
    conn: Any,
    database: str | None,
    schema: str | None,
    expr: exp.Copy,
    fs: AbstractFileSystem | None,
) -> str:
    """Unload; returns the SQL of the result rows (already executed on ``conn``)."""
    params = _params(expr)
    options = _format(conn, params, database, schema)
    kind = str(options.get("TYPE", "CSV")).upper()
    if kind not in ("CSV", "PARQUET", "JSON"):
        raise _unsupported(f"TYPE = {kind}")
    location = _location(conn, expr, database, schema)
    files = _Files(fs, location)
    compression = str(options.get("COMPRESSION", "AUTO")).upper()
    prefix, url = _file_names(location, kind, compression, _flag(params, "SINGLE"))
    data, rows, input_bytes = _encode(
        conn, _source_sql(expr, params), kind, options, _flag(params, "HEADER")
    )
    existing = files.existing(prefix)
    if _flag(params, "OVERWRITE"):
        files.remove(existing)
    elif url in existing:
        raise ProgrammingError(
            msg=f"Files already existing at the unload destination: {location}. "
            "Use overwrite option to force unloading.",
            errno=1030,
            sqlstate="22000",
        )
    files.write(url, data)
    shown = url if not files.local else os.path.relpath(url, fs_stage.LOCAL_BUCKET_PATH)
    if _flag(params, "DETAILED_OUTPUT"):
        sql = (
            "SELECT * FROM (VALUES ("
            + "'" + shown.replace("'", "''") + f"', {len(data)}::BIGINT, {rows}::BIGINT)) "
            't("FILE_NAME", "FILE_SIZE", "ROW_COUNT")'
        )  # fmt: skip
    else:
        sql = (
            f"SELECT * FROM (VALUES ({rows}::BIGINT, {input_bytes}::BIGINT, {len(data)}::BIGINT)) "
            't("rows_unloaded", "input_bytes", "output_bytes")'
        )
    conn.execute(sql)
    return sql
