"""A client's SQL may not read or write the files of the emulator's host.

Two layers, installed by the launcher:

- DuckDB refuses every local path outside the emulator's data folder (its databases, internal
  stages, the COPY spool): ``enable_external_access`` off, ``allowed_directories`` the folder and
  ``s3://`` (read through the registered s3fs), ``lock_configuration`` on so no statement can
  undo it. That also stops extensions from being installed or loaded.
- Statements naming a local file (read_csv('/etc/..'), FROM '/tmp/x.csv', COPY INTO ... FROM a
  local path, a stage with a file:// URL, a database name that is a path) are refused before
  DuckDB sees them, so even the data folder stays out of reach, with a Snowflake-shaped error.

s3:// locations and stages keep working. PUT and GET move files on the client's own machine
(the connector reads and writes them), which is Snowflake's behaviour and left alone.
"""

import re
from pathlib import Path
from typing import Any

import duckdb
from fakesnow.cursor import FakeSnowflakeCursor
from snowflake.connector.errors import ProgrammingError
from sqlglot import exp

_REMOTE = ("s3://",)
# DuckDB table functions that open files by path (read_csv, read_parquet, read_text, read_blob,
# parquet_metadata, parquet_scan, glob, sniff_csv...); Snowflake has none of these names.
_FILE_FUNCTION = re.compile(
    r"^(read_\w+|parquet_\w+|glob|sniff_csv|st_read\w*|iceberg_\w+|delta_scan|arrow_scan)$",
    re.IGNORECASE,
)
_PATH_IN_NAME = re.compile(r"[/\\'\x00]|\.\.")
_PATH_SEPARATOR = re.compile(r"[/\\]")
_PERMISSION_PATH = re.compile(r'Cannot access (?:file|directory) "([^"]*)"')

_original_transform: Any = None  # FakeSnowflakeCursor._transform when install() ran
_original_execute: Any = None  # FakeSnowflakeCursor._execute when install() ran


def refused(what: str) -> ProgrammingError:
    return _access_error(
        "Files on the emulator's host cannot be read or written from SQL in the Snowflake "
        f"emulator: {what}. Load from an s3:// location or a stage."
    )


def _access_error(message: str) -> ProgrammingError:
    return ProgrammingError(
        msg=f"SQL access control error:\n{message}", errno=3001, sqlstate="42501"
    )


def _is_remote(text: str) -> bool:
    return text.lower().startswith(_REMOTE)


def _check_location(node: exp.Expr, where: str) -> None:
    """A location literal must be remote; anything else (a column, a bind) cannot be checked."""
    if isinstance(node, exp.Array):
        for item in node.expressions:
            _check_location(item, where)
        return
    if isinstance(node, exp.Literal) and node.is_string:
        if not _is_remote(node.this):
            raise refused(f"{where} '{node.this}'")
        return
    raise refused(f"{where} {node.sql(dialect='snowflake')} (only a literal s3:// URL is allowed)")


def _function_name(node: exp.Func) -> str:
    return node.name if isinstance(node, exp.Anonymous) else node.sql_name()


def _file_argument(node: exp.Func) -> exp.Expr:
    """The path: the first positional argument (options are name = value)."""
    args = [node.this] if isinstance(node.this, exp.Expr) else []
    args += node.expressions
    positional = [a for a in args if not isinstance(a, exp.EQ | exp.PropertyEQ | exp.Kwarg)]
    return positional[0] if positional else exp.Null()


def check(expression: exp.Expr) -> None:
    """Raise ``refused`` when the statement names a file of the host."""
    for node in expression.walk():
        if isinstance(node, exp.Func) and _FILE_FUNCTION.match(_function_name(node)):
            _check_location(_file_argument(node), _function_name(node).lower())
        elif isinstance(node, exp.Table) and isinstance(node.this, exp.Literal):
            _check_location(node.this, "FROM")
        elif (
            isinstance(node, exp.Table)
            and isinstance(node.this, exp.Identifier)
            and _PATH_SEPARATOR.search(node.this.this)
        ):
            # DuckDB reads a quoted name that looks like a file path as that file
            raise refused(f"FROM {node.sql(dialect='snowflake')}")
        elif isinstance(node, exp.Copy):
            _check_copy(node)
        elif isinstance(node, exp.Create):
            _check_create(node)


def _check_copy(node: exp.Copy) -> None:
    target = node.this.this if isinstance(node.this, exp.Table) else node.this
    if isinstance(target, exp.Literal):
        _check_location(target, "COPY INTO")
    for source in node.args.get("files") or []:
        inner = source.this if isinstance(source, exp.Table) else source
        if isinstance(inner, exp.Literal):
            _check_location(inner, "COPY INTO ... FROM")


def _check_create(node: exp.Create) -> None:
    kind = str(node.args.get("kind") or "").upper()
    if kind == "STAGE":
        properties = node.args.get("properties")
        for prop in properties.expressions if properties else []:
            if isinstance(prop, exp.Property) and prop.name.upper() == "URL":
                _check_location(prop.args.get("value") or exp.Null(), "stage URL")
    elif kind == "DATABASE":
        ident = node.find(exp.Identifier)
        if ident is not None and _PATH_IN_NAME.search(ident.this):
            raise refused(f"database name {ident.this!r} (databases are files; no path in names)")


def _transform(self: FakeSnowflakeCursor, expression: exp.Expr, params: Any) -> exp.Expr:
    check(expression)
    return _original_transform(self, expression, params)


def _execute(self: FakeSnowflakeCursor, transformed: exp.Expr, *args: Any, **kwargs: Any) -> Any:
    try:
        return _original_execute(self, transformed, *args, **kwargs)
    except duckdb.PermissionException as exc:
        found = _PERMISSION_PATH.search(str(exc))
        if found:
            raise refused(f"'{found[1]}'") from None
        message = str(exc).splitlines()[0]
        raise _access_error(f"{message} (SQL cannot reach the Snowflake emulator's host)") from None


def lock_down(conn: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """From now on DuckDB opens nothing local outside ``data_dir`` and nothing can change that."""
    allowed = [str(data_dir.resolve()).rstrip("/") + "/", *_REMOTE]
    listed = ", ".join("'" + d.replace("'", "''") + "'" for d in allowed)
    conn.execute(f"SET allowed_directories = [{listed}]")
    conn.execute("SET enable_external_access = false")
    conn.execute("SET lock_configuration = true")


def install() -> None:
    """Install last: the statement is checked before the other fixes rewrite it."""
    global _original_transform, _original_execute
    if FakeSnowflakeCursor._transform is _transform:
        return
    _original_transform = FakeSnowflakeCursor._transform
    _original_execute = FakeSnowflakeCursor._execute
    FakeSnowflakeCursor._transform = _transform  # type: ignore[method-assign]
    FakeSnowflakeCursor._execute = _execute  # type: ignore[method-assign]
