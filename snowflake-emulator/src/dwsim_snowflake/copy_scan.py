"""Read one staged file row by row against its target's columns: which rows fail, and why.

A file is scanned once to count its rows and find its bad ones (``scan``), then, if ON_ERROR
lets it load, its good rows are inserted by ``Scan.good_rows_sql``. CSV is read with the
target's types by DuckDB's reader, which keeps the lines it rejects (shape or conversion) with
their line and byte position; Parquet is read as typed and each value is tried against its
column's type. NULLs in NOT NULL columns are errors of both. One error is reported per row:
its first bad column, as Snowflake does.
"""

import itertools
from dataclasses import dataclass, field
from typing import Any

from fakesnow.copy_into import ReadCSV, ReadParquet
from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake.copy_errors import (
    Column,
    RowError,
    column_label,
    conversion_message,
    from_csv_reject,
    not_null_error,
)

_ids = itertools.count()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Scan:
    rows_parsed: int
    errors: list[RowError] = field(default_factory=list)
    good_rows_sql: str = ""  # SELECT of the rows without errors, named and typed as the columns

    @property
    def first_error(self) -> RowError | None:
        return self.errors[0] if self.errors else None


def unsupported(what: str) -> ProgrammingError:
    return ProgrammingError(
        msg=f"{what} is not supported by the Snowflake emulator", errno=2, sqlstate="0A000"
    )


def scan(
    conn: Any,
    file_format: object,
    url: str,
    table: str,
    columns: list[Column],
    parquet_select: list[tuple[str, str]] | None = None,
) -> Scan:
    """Scan the file at ``url`` for a load into ``columns`` of ``table`` (its name for errors).

    ``parquet_select``: for Parquet, (SQL expression over the file's columns, target column name)
    per target column, as fakesnow maps them (MATCH_BY_COLUMN_NAME, or one VARIANT column)."""
    if isinstance(file_format, ReadCSV):
        return _scan_csv(conn, file_format, url, table, columns)
    if isinstance(file_format, ReadParquet) and parquet_select is not None:
        return _scan_parquet(conn, file_format, url, table, columns, parquet_select)
    raise unsupported(f"ON_ERROR / VALIDATION_MODE with a {type(file_format).__name__[4:]} file")


def _csv_reader(file_format: ReadCSV, url: str, columns: list[Column], extra: str) -> str:
    """fakesnow's read_csv with the target's column types and no sniffing (the sniffer fails a
    file whose lines all have the wrong number of fields, before any line is rejected)."""
    base = file_format.read_expression(url).sql(dialect="duckdb")
    types = ", ".join(f"'column{i}': {_literal(c.type)}" for i, c in enumerate(columns))
    quote = file_format.quote or ""
    fixed = f"auto_detect = false, escape = {_literal(quote)}"
    if file_format.sep == ",":
        fixed += ", delim = ','"
    return f"{base[:-1]}, columns = {{{types}}}, {fixed}, {extra})"


def _not_null_filter(names: list[str], columns: list[Column]) -> str:
    checks = [f"{n} IS NULL" for n, c in zip(names, columns, strict=True) if not c.nullable]
    return " OR ".join(checks) or "false"


def _scan_csv(conn: Any, file_format: ReadCSV, url: str, table: str, columns: list[Column]) -> Scan:
    n = next(_ids)
    rejects, scans = f"_dwsim_rejects_{n}", f"_dwsim_reject_scans_{n}"
    reader = _csv_reader(
        file_format,
        url,
        columns,
        f"store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{scans}'",
    )
    names = [f"column{i}" for i in range(len(columns))]
    bad = _not_null_filter(names, columns)
    try:
        # hash() reads every column: a bare count(*) would parse none and reject no line;
        # fetchall: DuckDB writes the rejects table when the result is consumed
        ((good, nulls),) = conn.execute(
            f"SELECT count(hash({', '.join(names)})), count(*) FILTER (WHERE {bad}) FROM {reader}"
        ).fetchall()
        rejected = conn.execute(
            f"SELECT line, column_idx, error_type, error_message, "
            f"byte_position - line_byte_position + 1, byte_position, csv_line "
            f"FROM {rejects} ORDER BY line, column_idx"
        ).fetchall()
    finally:
        conn.execute(f"DROP TABLE IF EXISTS {rejects}; DROP TABLE IF EXISTS {scans}")
    errors, seen = [], set()
    for line, col_idx, kind, message, character, offset, record in rejected:
        if line in seen:
            continue  # one error per row: its first bad column
        seen.add(line)
        error = from_csv_reject(
            table, columns, kind, col_idx, message, line, character, offset, record
        )
        errors.append(_with_row(error, line - file_format.skip_header))
    if nulls:
        errors += _csv_null_errors(conn, reader, names, table, columns, nulls)
    good_rows = ", ".join(
        f"{name} AS {_quote(c.name)}" for name, c in zip(names, columns, strict=True)
    )
    good_reader = _csv_reader(file_format, url, columns, "ignore_errors = true")
    return Scan(
        rows_parsed=good + len(seen),
        errors=errors,
        good_rows_sql=f"SELECT {good_rows} FROM {good_reader} WHERE NOT ({bad})",
    )


def _with_row(error: RowError, row: int) -> RowError:
    return RowError(**{**vars(error), "row": row})


def _csv_null_errors(
    conn: Any, reader: str, names: list[str], table: str, columns: list[Column], count: int
) -> list[RowError]:
    """NULLs in NOT NULL columns (the reader does not know the line of a row it accepted)."""
    first = [i for i, c in enumerate(columns) if not c.nullable]
    cases = " ".join(f"WHEN {names[i]} IS NULL THEN {i}" for i in first)
    rows = conn.execute(
        f"SELECT CASE {cases} END FROM {reader} WHERE {_not_null_filter(names, columns)}"
    ).fetchall()
    return [not_null_error(table, columns, r[0]) for r in rows[:count]]


def _scan_parquet(
    conn: Any,
    file_format: ReadParquet,
    url: str,
    table: str,
    columns: list[Column],
    select: list[tuple[str, str]],
) -> Scan:
    by_name = {c.name.upper(): (i, c) for i, c in enumerate(columns)}
    reader = (
        file_format.read_expression(url).sql(dialect="duckdb")[:-1] + ", file_row_number = true)"
    )
    sources = ", ".join(f"{sql} AS s{i}" for i, (sql, _) in enumerate(select))
    checks, casts, firsts = [], [], []
    for i, (_, name) in enumerate(select):
        index, column = by_name[name.upper()]
        cast = f"TRY_CAST(s{i} AS {column.type})"
        check = f"(s{i} IS NOT NULL AND {cast} IS NULL)"
        if not column.nullable:
            check = f"({check} OR s{i} IS NULL)"
        checks.append(check)
        casts.append(f"{cast} AS {_quote(column.name)}")
        firsts.append(f"WHEN {check} THEN {index}")
    any_bad = " OR ".join(checks) or "false"
    source = f"(SELECT file_row_number, {sources} FROM {reader})"
    total, bad_count = conn.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {any_bad}) FROM {source}"
    ).fetchone()
    errors: list[RowError] = []
    if bad_count:
        values = " ".join(
            f"WHEN {by_name[name.upper()][0]} THEN CAST(s{i} AS VARCHAR)"
            for i, (_, name) in enumerate(select)
        )
        rows = conn.execute(
            f"SELECT file_row_number, bad, CASE bad {values} END FROM "
            f"(SELECT *, CASE {' '.join(firsts)} END AS bad FROM {source}) "
            f"WHERE bad IS NOT NULL ORDER BY file_row_number"
        ).fetchall()
        for row_number, index, value in rows:
            where = {"line": row_number + 1, "row": row_number + 1}
            if value is None:
                errors.append(not_null_error(table, columns, index, **where))
                continue
            text, code, state = conversion_message(columns[index].type, value)
            label = column_label(table, columns, index)
            errors.append(RowError(text, code, state, "conversion", column=label, **where))  # type: ignore[arg-type]
    return Scan(
        rows_parsed=total,
        errors=errors,
        good_rows_sql=f"SELECT {', '.join(casts)} FROM {source} WHERE NOT ({any_bad})",
    )
