"""The rows COPY INTO <table> returns, and the load history it writes, in Snowflake's columns."""

from dataclasses import dataclass
from typing import Any

import fakesnow.transforms.stage as fs_stage

from dwsim_snowflake.copy_errors import RowError
from dwsim_snowflake.copy_options import FileStatus

LOAD_COLUMNS = (
    ("file", "VARCHAR"),
    ("status", "VARCHAR"),
    ("rows_parsed", "BIGINT"),
    ("rows_loaded", "BIGINT"),
    ("error_limit", "BIGINT"),
    ("errors_seen", "BIGINT"),
    ("first_error", "VARCHAR"),
    ("first_error_line", "BIGINT"),
    ("first_error_character", "BIGINT"),
    ("first_error_column_name", "VARCHAR"),
)
VALIDATION_COLUMNS = (
    ("ERROR", "VARCHAR"),
    ("FILE", "VARCHAR"),
    ("LINE", "BIGINT"),
    ("CHARACTER", "BIGINT"),
    ("BYTE_OFFSET", "BIGINT"),
    ("CATEGORY", "VARCHAR"),
    ("CODE", "BIGINT"),
    ("SQL_STATE", "VARCHAR"),
    ("COLUMN_NAME", "VARCHAR"),
    ("ROW_NUMBER", "BIGINT"),
    ("ROW_START_LINE", "BIGINT"),
    ("REJECTED_RECORD", "VARCHAR"),
)


@dataclass(frozen=True)
class FileResult:
    url: str
    status: FileStatus
    rows_parsed: int
    rows_loaded: int
    error_limit: int | None
    errors_seen: int
    first_error: RowError | None = None
    skipped: bool = False

    def row(self) -> tuple:
        first = self.first_error
        message = "File was loaded before." if self.skipped else (first.message if first else None)
        return (
            _result_file_name(self.url),
            str(self.status),
            self.rows_parsed,
            self.rows_loaded,
            self.error_limit,
            self.errors_seen,
            message,
            first.line if first else None,
            first.character if first else None,
            first.column if first else None,
        )

    def history_row(self, schema: str, table: str, load_time: str) -> tuple:
        """A row of fakesnow's _fs_load_history (LOAD_HISTORY)."""
        first = self.first_error
        return (
            schema,
            self.url,
            table,
            load_time,
            str(self.status),
            self.rows_loaded,
            self.rows_parsed,
            first.message if first else None,
            first.line if first else None,
            first.character if first else None,
            first.column if first else None,
            self.errors_seen,
            self.error_limit,
        )


def _result_file_name(url: str) -> str:
    path = fs_stage.file_path(url)
    return fs_stage.internal_file_name(path) if fs_stage.is_internal(path) else url


def _sql_value(value: Any, duck_type: str) -> str:
    if value is None:
        return f"NULL::{duck_type}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value}::{duck_type}"
    return "'" + str(value).replace("'", "''") + f"'::{duck_type}"


def _values_sql(columns: tuple[tuple[str, str], ...], rows: list[tuple]) -> str:
    names = ", ".join(f'"{name}"' for name, _ in columns)
    if not rows:
        nulls = ", ".join(f"NULL::{t}" for _, t in columns)
        return f"SELECT * FROM (VALUES ({nulls})) t({names}) WHERE false"
    values = ", ".join(
        "(" + ", ".join(_sql_value(v, t) for v, (_, t) in zip(row, columns, strict=True)) + ")"
        for row in rows
    )
    return f"SELECT * FROM (VALUES {values}) t({names})"


def load_result_sql(results: list[FileResult]) -> str:
    return _values_sql(LOAD_COLUMNS, [r.row() for r in results])


def rows_sql(columns: list[tuple[str, str]], rows: list[tuple]) -> str:
    """RETURN_<n>_ROWS: the rows as they would be loaded, in the target's columns."""
    return _values_sql(tuple(columns), rows)


def validation_sql(errors: list[tuple[str, RowError]]) -> str:
    """RETURN_ERRORS: one row per bad row of every file."""
    return _values_sql(
        VALIDATION_COLUMNS,
        [
            (
                e.message,
                _result_file_name(url),
                e.line,
                e.character,
                e.byte_offset,
                e.category,
                e.code,
                e.sqlstate,
                e.column,
                e.row,
                e.line,
                e.record,
            )
            for url, e in errors
        ],
    )
