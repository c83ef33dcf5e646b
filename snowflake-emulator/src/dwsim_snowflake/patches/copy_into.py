"""Fixes to fakesnow's COPY INTO that the data loader needs, installed by the launcher.

- The statement runs in copy_load.py (fakesnow's resolution of options, files and inserts, our
  loop): ON_ERROR, VALIDATION_MODE and Snowflake's row errors; a stage's FILE_FORMAT and
  unquoted FORMAT_NAME (stage_formats.py); COPY INTO a location unloads (unload.py).
- Atomic: fakesnow inserts file by file, so a failure in the third file left the first two
  loaded. Snowflake's default ON_ERROR=ABORT_STATEMENT loads nothing; so do we, by running the
  statement in one DuckDB transaction (unless the client already opened one).
- Errors name the file and table: DuckDB's read and conversion errors escaped as HTTP 500s,
  which snowflake-connector-python retries for minutes before giving up.
- A missing target table is an error even when no file matches.
- Staged s3:// files are downloaded in parallel to a local spool, a batch ahead of the
  insert, before DuckDB reads them (see prefetch.py): reading through fsspec range by range
  was the slowest part of a load. Parquet loads read each file's columns from the spooled
  copy (copy_batch.py); the other loads read them from S3 (_parquet_column_names).
- A location lists every object under it, at any depth, as a key prefix ('s3://b/run/t'
  matches 'run/t/part-0.parquet' and 'run/t2.csv'): fakesnow's glob saw one level only.
- PATTERN='<regex>' filters the listed files (see pattern.py); fakesnow rejected it.
- FILES=('a.parquet') under a location without a trailing slash ('s3://b/run/t') means
  's3://b/run/t/a.parquet', not 's3://b/run/ta.parquet'.
"""

import re
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import fakesnow.copy_into as fs_copy
import fakesnow.cursor as fs_cursor
from botocore.exceptions import BotoCoreError, ClientError
from fsspec import AbstractFileSystem
from snowflake.connector.errors import ProgrammingError
from sqlglot import exp

from dwsim_shared.s3 import s3_did_not_answer
from dwsim_shared.stoppable import call_stoppable
from dwsim_snowflake import aborts, copy_load, unload
from dwsim_snowflake.copy_options import take_copy_options
from dwsim_snowflake.errors import cancelled, short_message
from dwsim_snowflake.patches import stage_formats
from dwsim_snowflake.pattern import list_prefix, matching, take_pattern
from dwsim_snowflake.prefetch import Prefetch, current, set_current

_READ_CALL = re.compile(r"read_(?:parquet|csv|json_objects)\('((?:[^']|'')*)'", re.IGNORECASE)
_S3_DOWN = "EndpointConnectionError"  # s3fs could not reach the S3 server
# botocore's errors for an S3 server that does not answer (refused, reset, timed out), after
# its retries (DWSIM_S3_MAX_ATTEMPTS); each names the endpoint URL and the object's path
_S3_UNREACHABLE = re.compile(
    r"EndpointConnectionError|ConnectTimeoutError|ReadTimeoutError|ConnectionClosedError"
    r"|ResponseStreamingError|(?:Could not connect to|timeout on) (?:the )?endpoint URL"
)
_HISTORY = "_fs_information_schema._fs_load_history"
_UNQUALIFIED_HISTORY = re.compile(r"(?<![\w.\"])" + re.escape(_HISTORY))
_UNKNOWN_OPTION = re.compile(r"Unknown copy parameter: (\w+)")
_original_source_urls = fs_copy._source_urls
_original_source_glob = fs_copy._source_glob
_original_file_literal = fs_copy.FileTypeHandler.file_literal
_original_parquet_column_names = fs_copy._get_parquet_column_names
_settings: dict[str, Any] = {}  # filesystem and spool dir for prefetching, set by install()


class _TrackingConnection:
    """Delegates to a DuckDB connection, remembering the last SQL so errors can name the file.

    Load history is read and written in the target table's database: fakesnow used the current
    database's, which in one transaction with the load would write two databases (DuckDB
    refuses) and is not where CREATE TABLE and TRUNCATE clear it.
    """

    def __init__(self, conn: duckdb.DuckDBPyConnection, history_database: str | None):
        self._conn = conn
        self._history = f'"{history_database}".{_HISTORY}' if history_database else _HISTORY
        self.last_sql = ""
        self._started = time.monotonic()  # an abort since then stops the COPY (aborts.py)

    def check_aborted(self) -> None:
        aborts.check(self._conn, self._started)

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> duckdb.DuckDBPyConnection:
        sql = _UNQUALIFIED_HISTORY.sub(self._history, sql)
        self.last_sql = sql
        aborts.check(self._conn, self._started)
        result = self._conn.execute(sql, *args, **kwargs)
        if (spool := current()) and sql.lstrip()[:6].upper() == "INSERT":
            spool.release(sql)  # an INSERT has read its file: free the spool (not a scan)
        return result

    def executemany(self, sql: str, *args: Any, **kwargs: Any) -> duckdb.DuckDBPyConnection:
        aborts.check(self._conn, self._started)
        return self._conn.executemany(_UNQUALIFIED_HISTORY.sub(self._history, sql), *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def _file_in(sql: str) -> str | None:
    match = _READ_CALL.search(sql)
    if not match:
        return None
    path = match.group(1).replace("''", "'")
    spool = current()
    return spool.url_for(path) if spool else path


def _target_table(expr: exp.Copy) -> str:
    table = expr.this.find(exp.Table) if not isinstance(expr.this, exp.Table) else expr.this
    return table.sql(dialect="snowflake") if table else "?"


def load_error(detail: str, unreadable: bool, sql: str, table: str) -> ProgrammingError:
    """A Snowflake-style error for a failed load, naming the file and the table."""
    url = _file_in(sql)
    if spool := current():
        for local, staged in spool.urls.items():
            detail = detail.replace(local, staged)
    if unreadable:
        if "No files found" in detail and url:
            msg = f"Remote file '{url}' was not found (loading table {table})."
        elif _S3_UNREACHABLE.search(detail):
            endpoint = getattr(_settings.get("fs"), "endpoint_url", None) or "its endpoint"
            url = url or getattr(_client, "location", None)  # the location being listed
            msg = (
                f"Cannot read staged data for table {table}: {s3_did_not_answer(endpoint)}; "
                f"nothing was loaded. {detail}"
            ) + (f"\n  File '{url}'" if url else "")
        else:
            msg = f"Cannot read staged data for table {table}: {detail}" + (
                f"\n  File '{url}'" if url else ""
            )
        return ProgrammingError(msg=msg, errno=91016, sqlstate="58030")
    where = f"\n  File '{url}'" if url else ""
    return ProgrammingError(
        msg=f"{detail}{where}\n  Table {table}: nothing was loaded (ON_ERROR=ABORT_STATEMENT).",
        errno=100038,
        sqlstate="22018",
    )


def _message(exc: BaseException) -> str:
    return short_message(str(exc.args[0] if exc.args else exc))


def _check_table_exists(
    duck_conn: duckdb.DuckDBPyConnection,
    current_database: str | None,
    current_schema: str | None,
    expr: exp.Copy,
    table: str,
) -> None:
    """Snowflake names a missing table even when there is nothing to load."""
    try:
        fs_copy._describe_table(
            fs_copy._extract_table(expr.this), duck_conn, current_database, current_schema
        )
    except duckdb.CatalogException:
        raise ProgrammingError(
            msg=f"SQL compilation error:\nTable '{table}' does not exist or not authorized.",
            errno=2003,
            sqlstate="42S02",
        ) from None


def _translate(exc: Exception, sql: str, table: str) -> Exception:
    """The error the client should see for a failed COPY INTO."""
    if isinstance(exc, ProgrammingError):
        return exc  # already Snowflake's (copy_load.py names the file of a bad row)
    if isinstance(exc, duckdb.InterruptException):
        return cancelled()
    if isinstance(exc, duckdb.CatalogException | duckdb.BinderException):
        return exc  # fakesnow turns these into "does not exist" / binder errors itself
    if isinstance(exc, BotoCoreError | ClientError):  # listing the location (pattern.py)
        return load_error(f"{type(exc).__name__}: {exc}", True, sql, table)
    if isinstance(exc, duckdb.Error | OSError):
        message = _message(exc)
        unreadable = (
            isinstance(exc, duckdb.IOException | duckdb.HTTPException | OSError)
            or message.startswith(_S3_DOWN)
            or bool(_S3_UNREACHABLE.search(message))
        )
        return load_error(message, unreadable, sql, table)
    if isinstance(exc, NotImplementedError):  # fakesnow's e.g. ON_ERROR other than ABORT
        return ProgrammingError(
            msg=f"COPY INTO with {exc} is not supported by the Snowflake emulator",
            errno=2,
            sqlstate="0A000",
        )
    if isinstance(exc, ValueError) and (option := _UNKNOWN_OPTION.match(str(exc))):
        return ProgrammingError(
            msg=f"COPY INTO option {option[1]} is not supported by the Snowflake emulator",
            errno=2,
            sqlstate="0A000",
        )
    return exc


_client = threading.local()


def set_client_transaction(active: bool) -> None:
    """Whether the statement about to run is inside the client's own transaction (set by
    the cursor patch: DuckDB has no way to ask, and a BEGIN inside one aborts it)."""
    _client.in_transaction = active


def _begin(conn: duckdb.DuckDBPyConnection) -> bool:
    """Open a transaction unless the client is already in one; True when we opened it."""
    if getattr(_client, "in_transaction", False):
        return False
    conn.execute("BEGIN TRANSACTION")
    return True


def copy_into(duck_conn: duckdb.DuckDBPyConnection, *args: Any, **kwargs: Any) -> str:
    """COPY INTO: an unload to a location (unload.py), or a load run by copy_load.py,
    all-or-nothing, with errors that name the file and table."""
    current_database, current_schema, expr = args[:3]
    if unload.is_unload(expr):
        return unload.run(duck_conn, current_database, current_schema, expr, _settings.get("fs"))
    table = _target_table(expr)
    _check_table_exists(duck_conn, current_database, current_schema, expr, table)
    _client.pattern = take_pattern(expr)
    options = take_copy_options(expr)
    stage_formats.complete(duck_conn, expr, current_database, current_schema)
    target = fs_copy._extract_table(expr.this)
    tracking = _TrackingConnection(duck_conn, target.catalog or current_database)
    owns_tx = _begin(duck_conn)
    spool = (
        Prefetch(_settings["fs"], _settings["spool"], tracking.check_aborted) if _settings else None
    )
    set_current(spool)
    try:
        result_sql = copy_load.run(tracking, *args, options=options, **kwargs)
    except Exception as exc:
        if owns_tx:
            duck_conn.execute("ROLLBACK")
        raise _translate(exc, tracking.last_sql, table) from None
    finally:
        _client.pattern = None
        _client.location = None
        set_current(None)
        if spool:
            spool.close()
    if owns_tx:
        duck_conn.execute("COMMIT")
        duck_conn.execute(result_sql)  # the per-file result rows are read from the last result
    return result_sql


def _source_urls(source: str, files: list[str]) -> list[str]:
    if files and not source.endswith("/"):
        source += "/"
    return _prefetched(_original_source_urls(source, files))


def _source_glob(source: str, duck_conn: duckdb.DuckDBPyConnection) -> list[str]:
    _client.location = source  # named by an error if S3 does not answer the listing
    if source.startswith("s3://") and _settings:
        check = spool.check if (spool := current()) else lambda: None
        urls = call_stoppable(lambda: list_prefix(_settings["fs"], source), check, "copy-list")
    else:
        urls = _original_source_glob(source, duck_conn)
    if pattern := getattr(_client, "pattern", None):
        urls = matching(pattern, urls)
    return _prefetched(urls)


def _prefetched(urls: list[str]) -> list[str]:
    if spool := current():
        spool.start(urls)
    return urls


def _parquet_column_names(url: str, duck_conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Read a file's schema from S3 (its footer), not through the spool: fakesnow reads every
    file's columns before inserting any, and spooling them all here would unbound the spool.
    Read by the spool's ``column_names`` (an abort ends it), else by DuckDB."""
    spool = current()
    if spool is not None and (names := spool.column_names(url)) is not None:
        return names
    set_current(None)
    try:
        return _original_parquet_column_names(url, duck_conn)
    finally:
        set_current(spool)


def _file_literal(url: str) -> exp.Literal:
    spool = current()
    return _original_file_literal(spool.local_path(url) if spool else url)


def s3_filesystem() -> AbstractFileSystem | None:
    """The filesystem s3:// is read through, once install() was given it."""
    return _settings.get("fs")


def install() -> None:
    """Apply every fix (``configure`` then adds spooling of staged s3:// files)."""
    fs_cursor.copy_into = copy_into  # cursor.py imported the name
    fs_copy._source_urls = _source_urls
    fs_copy._source_glob = _source_glob
    fs_copy._get_parquet_column_names = _parquet_column_names
    fs_copy.FileTypeHandler.file_literal = staticmethod(_file_literal)  # type: ignore[method-assign]


def configure(fs: AbstractFileSystem, spool_dir: Path) -> None:
    """Read s3:// through ``fs``; staged files are spooled under ``spool_dir`` first."""
    _settings.update(fs=fs, spool=spool_dir)
