"""Statement-level fixes on fakesnow's cursor, installed by the launcher.

- DROP DATABASE runs (see drop_database.py); CREATE DATABASE makes its PUBLIC schema.
- Errors fakesnow lets escape (DuckDB errors, unsupported syntax) become Snowflake
  ProgrammingErrors: fakesnow's server answers them with HTTP 500, and snowflake-connector-python
  retries a 500 until its network timeout (minutes) before failing, so a typo in a user's query
  would hang the query service.
"""

import logging
from typing import Any

import duckdb
from fakesnow.cursor import FakeSnowflakeCursor
from snowflake.connector.errors import Error as SnowflakeError
from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake import drop_database
from dwsim_snowflake.copy_fix import short_message

log = logging.getLogger("dwsim.snowflake")

_original_execute = FakeSnowflakeCursor.execute


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def execute(self: FakeSnowflakeCursor, command: str, *args: Any, **kwargs: Any) -> Any:
    try:
        if (dropping := drop_database.parse(command)) is not None:
            status = drop_database.drop(self, *dropping)
            return _original_execute(self, f'SELECT {_quote(status)} AS "status"')
        result = _original_execute(self, command, *args, **kwargs)
        if self._last_transformed is not None and (
            database := self._last_transformed.args.get("create_db_name")
        ):
            # Snowflake gives every new database a PUBLIC schema
            self._duck_conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{database}".PUBLIC')
        return result
    except SnowflakeError:
        raise
    except duckdb.Error as exc:
        message = short_message(str(exc.args[0] if exc.args else exc))
        raise ProgrammingError(msg=message, errno=100000, sqlstate="22000") from None
    except Exception as exc:  # fakesnow has no translation for this statement
        log.warning("snowflake.unsupported sql=%r", command, exc_info=exc)
        raise ProgrammingError(
            msg=f"The Snowflake emulator cannot run this statement ({type(exc).__name__}: {exc})",
            errno=2,
            sqlstate="0A000",
        ) from None


def install() -> None:
    if FakeSnowflakeCursor.execute is not execute:
        FakeSnowflakeCursor.execute = execute  # type: ignore[method-assign]
