"""COPY INTO <table> options the emulator handles itself: ON_ERROR and VALIDATION_MODE.

They are taken out of the statement before fakesnow reads its options (fakesnow refuses every
ON_ERROR but ABORT_STATEMENT and knows no VALIDATION_MODE). ``OnError`` decides, per file, what
Snowflake decides: load, load the good rows, or skip the file, and the ``error_limit`` it
reports.
"""

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from snowflake.connector.errors import ProgrammingError
from sqlglot import exp


class FileStatus(StrEnum):
    LOADED = "LOADED"
    PARTIALLY_LOADED = "PARTIALLY_LOADED"
    LOAD_FAILED = "LOAD_FAILED"
    LOAD_SKIPPED = "LOAD_SKIPPED"


_SKIP_FILE = re.compile(r"^SKIP_FILE(?:_(\d+)(%)?)?$")
_RETURN_ROWS = re.compile(r"^RETURN_(\d+)_ROWS$")


@dataclass(frozen=True)
class OnError:
    """ABORT_STATEMENT (``aborts``), CONTINUE, SKIP_FILE, SKIP_FILE_<n> or 'SKIP_FILE_<n>%'."""

    text: str = "ABORT_STATEMENT"
    aborts: bool = True
    skip_at: int | None = None  # SKIP_FILE_<n>: skip a file with n errors or more
    skip_percent: int | None = None  # 'SKIP_FILE_<n>%': skip above n% of its rows
    continues: bool = False

    def error_limit(self, rows_parsed: int) -> int:
        if self.continues:
            return rows_parsed
        if self.skip_percent is not None:
            return math.floor(rows_parsed * self.skip_percent / 100) + 1
        return self.skip_at or 1

    def status(self, rows_parsed: int, errors: int) -> FileStatus:
        """What becomes of a file with ``errors`` bad rows out of ``rows_parsed``."""
        if errors == 0:
            return FileStatus.LOADED
        if errors >= self.error_limit(rows_parsed) and not self.continues:
            return FileStatus.LOAD_FAILED
        if errors >= rows_parsed:
            return FileStatus.LOAD_FAILED
        return FileStatus.PARTIALLY_LOADED


@dataclass(frozen=True)
class Validation:
    """VALIDATION_MODE: RETURN_ERRORS / RETURN_ALL_ERRORS (``rows`` None) or RETURN_<n>_ROWS."""

    text: str
    rows: int | None = None


@dataclass(frozen=True)
class CopyOptions:
    on_error: OnError = OnError()
    validation: Validation | None = None


def _invalid(name: str, value: str) -> ProgrammingError:
    return ProgrammingError(
        msg=f"SQL compilation error:\ninvalid value [{value}] for parameter '{name}'",
        errno=2,
        sqlstate="22023",
    )


def _value(param: exp.CopyParameter) -> str:
    value = param.args.get("expression")
    if isinstance(value, exp.Literal | exp.Var | exp.Identifier):
        return str(value.this).upper()
    if isinstance(value, exp.Column | exp.Boolean):
        return value.sql(dialect="snowflake").upper()
    name = param.this.name.upper()
    raise _invalid(name, value.sql(dialect="snowflake") if value is not None else "")


def parse_on_error(text: str) -> OnError:
    if text == "ABORT_STATEMENT":
        return OnError()
    if text == "CONTINUE":
        return OnError(text, aborts=False, continues=True)
    match = _SKIP_FILE.match(text)
    if match is None:
        raise _invalid("ON_ERROR", text)
    count, percent = match.groups()
    if count is None:
        return OnError(text, aborts=False, skip_at=1)
    if percent:
        return OnError(text, aborts=False, skip_percent=int(count))
    return OnError(text, aborts=False, skip_at=max(int(count), 1))


def parse_validation(text: str) -> Validation:
    if text in ("RETURN_ERRORS", "RETURN_ALL_ERRORS"):
        return Validation(text)
    match = _RETURN_ROWS.match(text)
    if match is None or int(match[1]) < 1:
        raise _invalid("VALIDATION_MODE", text)
    return Validation(text, rows=int(match[1]))


def take_copy_options(expr: exp.Copy) -> CopyOptions:
    """Remove ON_ERROR and VALIDATION_MODE from the statement; what they asked for."""
    params = expr.args.get("params") or []
    on_error, validation = OnError(), None
    for param in list(params):
        if not isinstance(param.this, exp.Var):
            continue
        name = param.this.name.upper()
        if name == "ON_ERROR":
            on_error = parse_on_error(_value(param))
        elif name == "VALIDATION_MODE":
            validation = parse_validation(_value(param))
        else:
            continue
        params.remove(param)
    return CopyOptions(on_error, validation)
