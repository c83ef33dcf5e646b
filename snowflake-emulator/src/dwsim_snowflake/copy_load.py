"""COPY INTO <table>, file by file, with Snowflake's ON_ERROR, VALIDATION_MODE and result rows.

fakesnow's copy_into resolves the statement (options, stage, files, the INSERT per file); this
loop runs it. With ON_ERROR=ABORT_STATEMENT (the default) a file is inserted as fakesnow would,
at full speed (Parquet a few files per INSERT, copy_batch.py); if that fails, the file is scanned
(copy_scan.py) for its first bad row, and the statement fails with Snowflake's error naming
file, line, character and column. With CONTINUE
or SKIP_FILE[_n[%]], each file is scanned first and its good rows are loaded, or none of them,
as Snowflake decides; the result rows and load history say what happened to each file. With
VALIDATION_MODE nothing is loaded: RETURN_ERRORS lists every bad row of every file,
RETURN_<n>_ROWS returns the first n rows as they would be loaded, or fails at the first error.
Files loaded or partially loaded before are skipped (LOAD_SKIPPED) unless FORCE = TRUE.
"""

import datetime
import functools
import logging
import os
from dataclasses import dataclass
from typing import Any

import fakesnow.copy_into as fs_copy
import fakesnow.transforms.stage as fs_stage
from snowflake.connector.errors import ProgrammingError
from sqlglot import exp

from dwsim_snowflake import copy_batch
from dwsim_snowflake.copy_errors import ROW_ERRORS, Column, RowError, abort_error
from dwsim_snowflake.copy_options import CopyOptions, FileStatus
from dwsim_snowflake.copy_results import FileResult, load_result_sql, rows_sql, validation_sql
from dwsim_snowflake.copy_scan import Scan, scan, unsupported

log = logging.getLogger("dwsim.snowflake")
_LOADED_BEFORE = (
    "SELECT 1 FROM {history} WHERE FILE_NAME = ? AND TABLE_NAME = ? AND SCHEMA_NAME = ? "
    "AND STATUS IN ('LOADED', 'PARTIALLY_LOADED') LIMIT 1"
)


@dataclass
class Load:
    """One COPY INTO <table> statement, resolved."""

    conn: Any  # the DuckDB connection (copy_into's tracking wrapper)
    table: exp.Table
    database: str
    schema: str
    label: str  # the table's name in errors
    columns: list[Column]  # the columns the files fill, in file order
    cparams: fs_copy.CopyParams
    options: CopyOptions
    transforms: bool = False  # COPY ... FROM (SELECT ...): files do not map to the columns
    # where the load history is kept: the table's database and schema; for a temporary table
    # (DuckDB's temp.main) the session's, which the table was named in
    history_database: str = ""
    history_schema: str = ""

    @property
    def history(self) -> str:
        return f'"{self.history_database}"._fs_information_schema._fs_load_history'


def _columns(
    conn: Any, expr: exp.Copy, table: exp.Table, database: str, schema: str
) -> list[Column]:
    rows = conn.execute(f'DESCRIBE "{database}"."{schema}"."{table.name}"').fetchall()
    described = {r[0].upper(): Column(r[0].upper(), r[1], r[2] != "NO") for r in rows}
    target = expr.this
    if isinstance(target, exp.Schema) and target.expressions:
        return [described[col.name.upper()] for col in target.expressions]
    return list(described.values())


def _parquet_select(insert: exp.Insert) -> list[tuple[str, str]] | None:
    """(source SQL, target column) per column of a Parquet insert fakesnow built."""
    select = insert.expression
    if not isinstance(select, exp.Select):
        return None
    pairs = []
    for item in select.expressions:
        if isinstance(item, exp.Alias):
            pairs.append((item.this.sql(dialect="duckdb"), item.alias))
        elif isinstance(item, exp.Anonymous) and item.name.lower() == "json_object":
            pairs.append((item.sql(dialect="duckdb"), ""))
        else:
            return None
    return pairs


def _scan(load: Load, conn: Any, insert: exp.Expr, url: str) -> Scan:
    if isinstance(insert.expression, exp.Select) and isinstance(
        load.cparams.file_format, fs_copy.ReadParquet
    ):
        select = _parquet_select(insert)  # type: ignore[arg-type]
        if select and select[0][1] == "":  # one VARIANT column: the whole row
            select = [(select[0][0], load.columns[0].name)]
        return scan(conn, load.cparams.file_format, url, load.label, load.columns, select)
    return scan(conn, load.cparams.file_format, url, load.label, load.columns)


def _insert_rows(load: Load, good_rows_sql: str) -> int:
    names = ", ".join(f'"{c.name}"' for c in load.columns)
    target = f'"{load.database}"."{load.schema}"."{load.table.name}"'
    if load.table.catalog == "temp":
        target = f'temp.main."{load.table.name}"'
    return load.conn.execute(f"INSERT INTO {target} ({names}) {good_rows_sql}").fetchall()[0][0]


def _strict(load: Load, insert: exp.Expr, url: str, params: Any) -> FileResult:
    """Insert the file as fakesnow does; on a row error, fail naming the first bad row."""
    try:
        load.conn.execute(insert.sql(dialect="duckdb"), params)
    except ROW_ERRORS as exc:
        first = None if load.transforms else _first_error(load, insert, url)
        if first is None:
            raise exc from None
        raise abort_error(first, url) from None
    (loaded,) = load.conn.fetchall()[0]
    return FileResult(url, FileStatus.LOADED, loaded, loaded, 1, 0)


def _first_error(load: Load, insert: exp.Expr, url: str) -> RowError | None:
    """Scan on a connection of its own: the failed insert aborted the statement's transaction."""
    try:
        with load.conn.cursor() as other:
            return _scan(load, other, insert, url).first_error
    except Exception:
        log.warning("snowflake.copy_scan_failed url=%s", url, exc_info=True)
        return None  # the insert's own error says more than a failed scan


def _tolerant(load: Load, insert: exp.Expr, url: str) -> FileResult:
    found = _scan(load, load.conn, insert, url)
    on_error = load.options.on_error
    errors = len(found.errors)
    status = on_error.status(found.rows_parsed, errors)
    loaded = 0
    if status != FileStatus.LOAD_FAILED:
        loaded = _insert_rows(load, found.good_rows_sql)
    return FileResult(
        url,
        status,
        found.rows_parsed,
        loaded,
        on_error.error_limit(found.rows_parsed),
        errors,
        found.first_error,
    )


def run(
    duck_conn: Any,
    current_database: str | None,
    current_schema: str | None,
    expr: exp.Copy,
    table_stages: fs_stage.TableStages,
    params: Any,
    options: CopyOptions,
) -> str:
    """Run the COPY; returns the SQL of its result rows (already executed on ``duck_conn``)."""
    cparams = fs_copy._params(
        expr,
        params,
        duck_conn=duck_conn,
        current_database=current_database,
        current_schema=current_schema,
    )
    table = fs_copy._extract_table(expr.this)
    from_source = fs_copy._from_source(expr)
    source = (
        fs_copy.stage_url_from_var(
            from_source[1:], duck_conn, current_database, current_schema, table_stages, table
        )
        if from_source.startswith("@")
        else from_source
    )
    urls = (
        fs_copy._source_urls(source, cparams.files)
        if cparams.files
        else fs_copy._source_glob(source, duck_conn)
    )
    if not urls:
        sql = "SELECT 'Copy executed with 0 files processed.' AS status"
        duck_conn.execute(sql)
        return sql
    database = table.catalog or current_database or ""
    schema = table.db or current_schema or ""
    transforms = isinstance(expr.args["files"][0], exp.Subquery)
    if transforms and (options.validation or not options.on_error.aborts):
        raise unsupported(
            "VALIDATION_MODE or ON_ERROR other than ABORT_STATEMENT with a transformation (COPY ... FROM (SELECT ...))"
        )
    history = (database, schema)
    if database == "temp":  # a temporary table: its history goes where it was named
        history = (current_database or "", current_schema or "")
    columns = _columns(duck_conn, expr, table, database, schema)
    load = Load(
        duck_conn, table, database, schema, table.name.upper(), columns, cparams, options,
        transforms, *history,
    )  # fmt: skip
    if transforms and isinstance(cparams.file_format, fs_copy.ReadCSV):
        _positional_fields(expr)
    if copy_batch.applies(load):
        _check_parquet_target(load)
        results = _load_batched(load, expr, urls, params)
    else:
        results = []
        inserts = fs_copy._inserts(expr, cparams, urls, _parquet_info(load, expr, urls))
        if options.validation is not None:
            return _validate(load, inserts, urls)
        for insert, url in zip(inserts, urls, strict=True):
            if _loaded_before(load, url):
                results.append(_skipped(url))
            elif options.on_error.aborts:
                results.append(_strict(load, insert, url, params))
            else:
                results.append(_tolerant(load, insert, url))
    for result in results:
        _purge(cparams, result.url, result)
    _record(load, results)
    sql = load_result_sql(results)
    duck_conn.execute(sql)
    return sql


def _loaded_before(load: Load, url: str) -> bool:
    """A file loaded (or partially loaded) into the table before is skipped, unless FORCE."""
    if load.cparams.force:
        return False
    load.conn.execute(
        _LOADED_BEFORE.format(history=load.history), [url, load.table.name, load.history_schema]
    )
    return load.conn.fetchone() is not None


def _skipped(url: str) -> FileResult:
    return FileResult(url, FileStatus.LOAD_SKIPPED, 0, 0, None, 1, skipped=True)


def _load_batched(load: Load, expr: exp.Copy, urls: list[str], params: Any) -> list[FileResult]:
    """Parquet, ON_ERROR=ABORT_STATEMENT: the files not loaded before, a few per INSERT."""
    skipped = {url for url in urls if _loaded_before(load, url)}
    first_error = functools.partial(_first_error, load)
    loaded = copy_batch.run(load, expr, [u for u in urls if u not in skipped], params, first_error)
    by_url = {r.url: r for r in loaded}
    return [_skipped(url) if url in skipped else by_url[url] for url in urls]


def _positional_fields(expr: exp.Copy) -> None:
    """COPY INTO t FROM (SELECT $1, $2 FROM @stage) of CSV: $n is the file's n-th field
    (DuckDB's column{n-1}; fakesnow only knew $1:name of Parquet)."""
    select = expr.args["files"][0].this
    for param in list(select.find_all(exp.Parameter)):
        field, parent = param.this, param.parent
        if isinstance(parent, exp.Bracket | exp.JSONExtract):
            continue  # $1:name, $1[0]: a path into a semi-structured value
        if isinstance(field, exp.Literal) and field.is_int:
            param.replace(exp.column(f"column{int(field.this) - 1}"))


def _parquet_info(load: Load, expr: exp.Copy, urls: list[str]) -> fs_copy.ParquetLoadInfo | None:
    """What fakesnow's copy_into works out before building the inserts of a Parquet load."""
    if not isinstance(load.cparams.file_format, fs_copy.ReadParquet):
        return None
    if isinstance(expr.args["files"][0], exp.Subquery):
        return None
    _check_parquet_target(load)
    columns = {url: fs_copy._get_parquet_column_names(url, load.conn) for url in urls}
    if load.cparams.match_by_column_name != fs_copy.MatchByColumnName.NONE:
        return fs_copy.ParquetLoadInfo(columns, target_columns=[c.name for c in load.columns])
    return fs_copy.ParquetLoadInfo(columns, is_single_variant=True)


def _check_parquet_target(load: Load) -> None:
    """Parquet loads by column name, or whole rows into the table's one VARIANT column."""
    if load.cparams.match_by_column_name != fs_copy.MatchByColumnName.NONE:
        return
    if len(load.columns) == 1 and load.columns[0].type == "JSON":
        return
    raise ProgrammingError(
        msg="SQL compilation error:\nPARQUET file format can produce one and only one column of "
        "type variant, object, or array. Load data into separate columns using the "
        "MATCH_BY_COLUMN_NAME copy option or copy with transformation.",
        errno=2019,
        sqlstate="0A000",
    )


def _purge(cparams: fs_copy.CopyParams, url: str, result: FileResult) -> None:
    path = fs_stage.file_path(url)
    if cparams.purge and result.status == FileStatus.LOADED and fs_stage.is_internal(path):
        os.remove(path)


def _record(load: Load, results: list[FileResult]) -> None:
    now = datetime.datetime.now(datetime.UTC).isoformat()
    rows = [
        r.history_row(load.history_schema, load.table.name, now) for r in results if not r.skipped
    ]
    if rows:
        load.conn.executemany(
            f"INSERT INTO {load.history} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )


def _validate(load: Load, inserts: list[exp.Expr], urls: list[str]) -> str:
    validation = load.options.validation
    assert validation is not None
    errors: list[tuple[str, RowError]] = []
    rows: list[tuple] = []
    for insert, url in zip(inserts, urls, strict=True):
        found = _scan(load, load.conn, insert, url)
        if validation.rows is None:
            errors += [(url, e) for e in found.errors]
            continue
        if found.first_error is not None:
            raise abort_error(found.first_error, url)
        rows += load.conn.execute(f"{found.good_rows_sql} LIMIT {validation.rows}").fetchall()
        if len(rows) >= validation.rows:
            break
    if validation.rows is None:
        sql = validation_sql(errors)
    else:  # the rows themselves: the files are gone once the statement ends
        sql = rows_sql([(c.name, c.type) for c in load.columns], rows[: validation.rows])
    load.conn.execute(sql)
    return sql
