"""Row errors of a load, worded as Snowflake words them.

A staged row fails for its shape (a CSV line with too few or too many fields), for a value
that does not convert to its column's type, or for a NULL in a NOT NULL column. ``RowError``
carries what Snowflake reports about it: the message, file line and character, the column as
``"TABLE"["COLUMN":position]``, and the code; ``abort_error`` is the error an
ON_ERROR=ABORT_STATEMENT load fails with.
"""

import re
from dataclasses import dataclass

import duckdb
from snowflake.connector.errors import ProgrammingError

# what DuckDB raises for a bad row of a file (a value, a NULL in a NOT NULL column)
ROW_ERRORS = (duckdb.ConversionException, duckdb.InvalidInputException, duckdb.ConstraintException)

_CONVERT = re.compile(r'Could not convert string "((?:[^"]|"")*)" to')
_COLUMNS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT")
_NUMERIC += ("UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB's
    nullable: bool = True


@dataclass(frozen=True)
class RowError:
    message: str
    code: int
    sqlstate: str
    category: str  # conversion | parsing
    line: int | None = None
    character: int | None = None
    row: int | None = None  # 1-based data row of the file
    column: str | None = None  # "TABLE"["COLUMN":n]
    byte_offset: int | None = None
    record: str | None = None


def column_label(table: str, columns: list[Column], index: int) -> str:
    """Snowflake's name for the ``index``-th (0-based) column of the load's target."""
    return f'"{table}"["{columns[index].name}":{index + 1}]'


def _is_numeric(duck_type: str) -> bool:
    return duck_type.upper().startswith(_NUMERIC)


def _fits_a_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def conversion_message(duck_type: str, value: str) -> tuple[str, int, str]:
    """(message, code, sqlstate) for ``value`` that does not convert to ``duck_type``."""
    kind = duck_type.upper()
    shown = value.replace("'", "''") if len(value) <= 100 else value[:100] + "..."
    if _is_numeric(kind):
        if _fits_a_number(value):
            return f"Numeric value '{shown}' is out of range", 100039, "22003"
        return f"Numeric value '{shown}' is not recognized", 100038, "22018"
    if kind == "DATE":
        return f"Date '{shown}' is not recognized", 100040, "22007"
    if kind.startswith("TIMESTAMP"):
        return f"Timestamp '{shown}' is not recognized", 100035, "22007"
    if kind.startswith("TIME"):
        return f"Time '{shown}' is not recognized", 100108, "22007"
    if kind == "BOOLEAN":
        return f"Boolean value '{shown}' is not recognized", 100037, "22018"
    if kind == "JSON":
        return f"Error parsing JSON: {shown}", 100069, "22P02"
    return f"Value '{shown}' cannot be converted to {kind}", 100038, "22018"


def not_null_error(table: str, columns: list[Column], index: int, **where: int | None) -> RowError:
    return RowError(
        "NULL result in a non-nullable column",
        100072,
        "22000",
        "conversion",
        column=column_label(table, columns, index),
        **where,  # type: ignore[arg-type]
    )


def from_csv_reject(
    table: str,
    columns: list[Column],
    error_type: str,
    column_index: int | None,
    message: str,
    line: int | None,
    character: int | None,
    byte_offset: int | None,
    record: str | None,
) -> RowError:
    """A row DuckDB's CSV reader rejected (store_rejects), in Snowflake's words."""
    where = {"line": line, "character": character, "byte_offset": byte_offset, "record": record}
    if error_type in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
        counts = _COLUMNS.search(message)
        found = counts[2] if counts else "?"
        return RowError(
            f"Number of columns in file ({found}) does not match that of the corresponding "
            f"table ({len(columns)}), use file format option error_on_column_count_mismatch=false "
            "to ignore this error",
            100080,
            "22000",
            "parsing",
            column=column_label(table, columns, min(column_index or 1, len(columns)) - 1),
            **where,  # type: ignore[arg-type]
        )
    label = (
        column_label(table, columns, column_index - 1)
        if column_index and column_index <= len(columns)
        else None
    )
    if error_type == "CAST" and column_index and column_index <= len(columns):
        converted = _CONVERT.search(message)
        value = converted[1].replace('""', '"') if converted else ""
        text, code, state = conversion_message(columns[column_index - 1].type, value)
        return RowError(text, code, state, "conversion", column=label, **where)  # type: ignore[arg-type]
    return RowError(message.splitlines()[0], 100065, "22000", "parsing", column=label, **where)  # type: ignore[arg-type]


def abort_error(error: RowError, url: str) -> ProgrammingError:
    """The error a load with ON_ERROR=ABORT_STATEMENT fails with at its first bad row."""
    where = f"  File '{url}'"
    if error.line is not None:
        where += f", line {error.line}"
    if error.character is not None:
        where += f", character {error.character}"
    row = f"  Row {error.row}" if error.row is not None else "  Row ?"
    if error.column:
        row += f", column {error.column}"
    return ProgrammingError(
        msg=(
            f"{error.message}\n{where}\n{row}\n  If you would like to continue loading when an "
            "error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the "
            "ON_ERROR option. For more information on loading options, please run "
            "'info loading_data' in a SQL client."
        ),
        errno=error.code,
        sqlstate=error.sqlstate,
    )
