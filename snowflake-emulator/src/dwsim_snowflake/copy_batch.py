"""COPY INTO <table> of Parquet with ON_ERROR=ABORT_STATEMENT: several files per INSERT.

DuckDB reads one Parquet file of one row group on one thread; one INSERT over
``read_parquet([...])`` of several files reads them on every thread. So a load goes ``BATCH``
files at a time, in file order (the spool downloads the next batch meanwhile, prefetch.py), and
consecutive files whose columns (names and types) agree share one INSERT. A file's columns and
row count come from its footer, in the spooled copy: nothing is read from S3 twice, and no
second pass counts rows (every row of a file is loaded, or the statement fails, so a file's
rows_loaded is its row count).

When a batch's INSERT fails, the statement's transaction is aborted, as it would be file by
file. The error is the one a file-by-file load gives: the files are scanned in order on a
cursor of their own (copy_load's ``first_error``) and the first bad row is named with its
file; an error that is not a bad row (a file DuckDB cannot read) names the file whose spooled
copy the message mentions.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb
import fakesnow.copy_into as fs_copy
from sqlglot import exp

from dwsim_snowflake.copy_errors import ROW_ERRORS, RowError, abort_error
from dwsim_snowflake.copy_options import FileStatus
from dwsim_snowflake.copy_results import FileResult
from dwsim_snowflake.prefetch import AHEAD

if TYPE_CHECKING:
    from dwsim_snowflake.copy_load import Load

BATCH = AHEAD  # files per INSERT: the spool holds this batch and downloads the next
_NOT_A_FILE_ERROR = (duckdb.InterruptException, duckdb.CatalogException, duckdb.BinderException)


@dataclass(frozen=True)
class _File:
    url: str
    insert: exp.Insert
    columns: tuple[tuple[str, str], ...]  # (name, type) of each column of the file
    rows: int
    literal: exp.Literal  # what read_parquet reads: the spooled copy, or the file itself


def applies(load: "Load") -> bool:
    """Parquet matched by column name (or into one VARIANT column), ABORT_STATEMENT, no
    VALIDATION_MODE, no transformation: rows map one to one from the files to the table."""
    return (
        isinstance(load.cparams.file_format, fs_copy.ReadParquet)
        and load.options.on_error.aborts
        and load.options.validation is None
        and not load.transforms
    )


def run(
    load: "Load",
    expr: exp.Copy,
    urls: list[str],
    params: Any,
    first_error: Callable[[exp.Expr, str], RowError | None],
) -> list[FileResult]:
    """Insert ``urls`` (none loaded before) batch by batch; one LOADED result per file."""
    results = []
    for start in range(0, len(urls), BATCH):
        files = [_describe(load, expr, url) for url in urls[start : start + BATCH]]
        for group in _groups(files):
            _insert(load, group, params, first_error)
            results += [FileResult(f.url, FileStatus.LOADED, f.rows, f.rows, 1, 0) for f in group]
    return results


def _describe(load: "Load", expr: exp.Copy, url: str) -> _File:
    """The file's columns, row count and INSERT, read from its footer (waits for the spool)."""
    literal = fs_copy.FileTypeHandler.file_literal(url)  # the spooled copy once downloaded
    read = exp.func("read_parquet", literal).sql(dialect="duckdb")
    columns = tuple(
        (r[0], r[1]) for r in load.conn.execute(f"DESCRIBE SELECT * FROM {read}").fetchall()
    )
    metadata = exp.func("parquet_file_metadata", literal.copy()).sql(dialect="duckdb")
    (rows,) = load.conn.execute(f"SELECT sum(num_rows)::BIGINT FROM {metadata}").fetchone()
    names = [name for name, _ in columns]
    if load.cparams.match_by_column_name != fs_copy.MatchByColumnName.NONE:
        target = [c.name for c in load.columns]
        info = fs_copy.ParquetLoadInfo({url: names}, target_columns=target)
    else:
        info = fs_copy.ParquetLoadInfo({url: names}, is_single_variant=True)
    (insert,) = fs_copy._inserts(expr, load.cparams, [url], info)
    return _File(url, insert, columns, rows or 0, literal)


def _groups(files: list[_File]) -> list[list[_File]]:
    """Runs of consecutive files with the same columns: DuckDB reads them as one."""
    groups: list[list[_File]] = []
    for file in files:
        if groups and groups[-1][0].columns == file.columns:
            groups[-1].append(file)
        else:
            groups.append([file])
    return groups


def _insert(
    load: "Load",
    group: list[_File],
    params: Any,
    first_error: Callable[[exp.Expr, str], RowError | None],
) -> None:
    insert = group[0].insert.copy()
    read = insert.find(exp.ReadParquet)
    assert read is not None, insert.sql()
    read.set("expressions", [exp.Array(expressions=[f.literal.copy() for f in group])])
    try:
        load.conn.execute(insert.sql(dialect="duckdb"), params)
    except duckdb.Error as exc:
        if isinstance(exc, _NOT_A_FILE_ERROR):
            raise
        _raise_for_file(load, group, exc, first_error)
    (loaded,) = load.conn.fetchall()[0]
    if loaded != (counted := sum(f.rows for f in group)):  # a damaged file
        raise duckdb.IOException(f"{loaded} rows read, the files' footers count {counted}")


def _raise_for_file(
    load: "Load",
    group: list[_File],
    exc: duckdb.Error,
    first_error: Callable[[exp.Expr, str], RowError | None],
) -> None:
    """Fail as loading the group file by file would: at its first bad row, naming the file."""
    if isinstance(exc, ROW_ERRORS):
        for file in group:
            if (found := first_error(file.insert, file.url)) is not None:
                raise abort_error(found, file.url) from None
    message = str(exc)
    named = [f for f in group if f.literal.name in message] or (group if len(group) == 1 else [])
    if named:  # DuckDB names the file it could not read; errors name its URL (copy_into.py)
        load.conn.last_sql = named[0].insert.sql(dialect="duckdb")
    raise exc
