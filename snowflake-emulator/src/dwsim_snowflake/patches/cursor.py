"""Statement-level fixes on fakesnow's cursor, installed by the launcher.

- DROP DATABASE runs (see drop_database.py); CREATE DATABASE makes its PUBLIC schema and makes
  both current, and USE DATABASE makes PUBLIC the current schema when the database has one
  (session_names.py).
- SELECT SYSTEM$DWSIM_EXPLAIN('<statement>') answers which rewrites the statement goes
  through, without running it (see explain.py).
- LIST @stage lists a stage on S3 (see list_stage.py); fakesnow returned no rows.
- TRUNCATE forgets the table's load history, as Snowflake's does.
- Each statement's query id is kept in the session's order, for LAST_QUERY_ID() (see
  result_scan.py).
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
from sqlglot import exp

from dwsim_snowflake import (
    drop_database,
    error_shapes,
    explain,
    list_stage,
    refusals,
    result_scan,
    session_names,
)
from dwsim_snowflake.errors import cancelled, short_message
from dwsim_snowflake.patches import stage_formats
from dwsim_snowflake.patches.copy_into import s3_filesystem, set_client_transaction

log = logging.getLogger("dwsim.snowflake")

_original_execute = FakeSnowflakeCursor.execute


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def execute(self: FakeSnowflakeCursor, command: str, *args: Any, **kwargs: Any) -> Any:
    result = _execute_statement(self, command, *args, **kwargs)
    result_scan.remember(self)
    return result


def _execute_statement(self: FakeSnowflakeCursor, command: str, *args: Any, **kwargs: Any) -> Any:
    try:
        refusals.check(command)
        command = session_names.use_database_keyword(command)
        if (statement := explain.asked(command)) is not None:
            return _original_execute(self, explain.answer_sql(explain.explain(self, statement)))
        if (dropping := drop_database.parse(command)) is not None:
            status = drop_database.drop(self, *dropping)
            return _original_execute(self, f'SELECT {_quote(status)} AS "status"')
        if (listing := list_stage.parse(command)) is not None and (fs := s3_filesystem()):
            stage, path, pattern = listing
            if url := list_stage.stage_url(self, stage):
                return _original_execute(self, list_stage.listing_sql(fs, url, path, pattern))
        conn = self._conn
        set_client_transaction(getattr(conn, "_dwsim_in_tx", False) or not conn._autocommit)
        before = session_names.databases_before(conn, command)
        result = _original_execute(self, command, *args, **kwargs)
        transformed = self._last_transformed
        using_database = transformed is not None and transformed.args.get("set_database")
        if using_database and not transformed.args.get("set_schema"):  # not USE SCHEMA db.s
            session_names.use_public(conn)
        if isinstance(transformed, exp.Transaction):
            conn._dwsim_in_tx = True  # type: ignore[attr-defined]
        elif isinstance(transformed, exp.Commit | exp.Rollback):
            conn._dwsim_in_tx = False  # type: ignore[attr-defined]
        if transformed is not None and (database := transformed.args.get("create_db_name")):
            # Snowflake gives every new database a PUBLIC schema
            self._duck_conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{database}".PUBLIC')
            session_names.use_created_database(conn, database, before)
        elif isinstance(transformed, exp.TruncateTable):
            _forget_loads(self, transformed)
        elif transformed is not None:
            stage_formats.record(self, transformed)
        return result
    except ProgrammingError as exc:
        raise error_shapes.snowflake_error(exc, command) from None
    except SnowflakeError:
        raise
    except duckdb.InterruptException:
        raise cancelled() from None
    except duckdb.Error as exc:
        message = short_message(str(exc.args[0] if exc.args else exc))
        error = ProgrammingError(msg=message, errno=100000, sqlstate="22000")
        raise error_shapes.snowflake_error(error, command) from None
    except Exception as exc:  # fakesnow has no translation for this statement
        log.warning("snowflake.unsupported sql=%r", command, exc_info=exc)
        raise ProgrammingError(
            msg=f"The Snowflake emulator cannot run this statement ({type(exc).__name__}: {exc})",
            errno=2,
            sqlstate="0A000",
        ) from None


def _forget_loads(cursor: FakeSnowflakeCursor, truncate: exp.TruncateTable) -> None:
    """TRUNCATE also deletes a table's load history, so the same files can be loaded again
    (Snowflake does this; DELETE does not). A reset-then-reload relies on it."""
    for table in truncate.expressions:
        if not isinstance(table, exp.Table):
            continue
        catalog = table.catalog or cursor._conn.database
        schema = table.db or cursor._conn.schema
        if catalog and catalog.lower() == "temp":  # a temporary table: where it was named
            catalog, schema = cursor._conn.database, cursor._conn.schema
        if not catalog or not schema:
            continue
        cursor._duck_conn.execute(
            f'DELETE FROM "{catalog.upper()}"._fs_information_schema._fs_load_history '
            "WHERE upper(SCHEMA_NAME) = ? AND upper(TABLE_NAME) = ?",
            [schema.upper(), table.name.upper()],
        )


def install() -> None:
    if FakeSnowflakeCursor.execute is not execute:
        FakeSnowflakeCursor.execute = execute  # type: ignore[method-assign]
