"""Statements on the Snowflake emulator (or Snowflake) with snowflake-connector-python, each in
``BEGIN`` ... ``ROLLBACK``; then the session's database and schema are set back (``CREATE
SCHEMA`` and ``USE`` change them, and a rollback does not).

The emulator names the rewrites a statement goes through when asked ``SELECT
SYSTEM$DWSIM_EXPLAIN('<statement>')`` (its columns SQL, REWRITES as a JSON array, UNSUPPORTED),
in the same session, without running it; a server without that function (a real Snowflake
account, an older emulator) gives no explainer."""

import json
import math
import re
from collections.abc import Callable
from typing import Any

from dwsim_shared.compat.rules import Translation
from dwsim_shared.compat.runner import Outcome
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.identifiers import quote_identifier
from dwsim_shared.warehouses.base import WarehouseError, WarehouseUnavailableError
from dwsim_shared.warehouses.connections import SnowflakeConnection
from dwsim_shared.warehouses.snowflake_driver import close_quietly, connect, message
from dwsim_shared.warehouses.typemap import warehouse_name

EXPLAIN = "SYSTEM$DWSIM_EXPLAIN"  # the emulator's hook (dwsim_snowflake/explain.py)

# Snowflake's "error line L at position P" (P counts from 0)
_WHERE = re.compile(r"(?:error|syntax error) line (\d+) at position (\d+)")


class SnowflakeRunner:
    warehouse = Warehouse.SNOWFLAKE

    def __init__(self, connection: SnowflakeConnection, schema: str | None = None):
        self.config = connection
        self.schema = schema
        self.target = connection.url
        self._conn: Any = None
        self._home: str | None = None  # USE statement that puts the session back

    def open(self) -> None:
        from snowflake.connector.errors import Error

        cfg = self.config
        self._conn = connect(
            cfg, session_parameters={"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False}
        )
        if self.schema is not None:
            database = warehouse_name(cfg.database, self.warehouse)
            schema = warehouse_name(self.schema, self.warehouse)
            use = f"USE SCHEMA {quote_identifier(database)}.{quote_identifier(schema)}"
            try:
                self._execute(use)
            except Error as exc:
                raise WarehouseError(
                    f"schema {database}.{schema} does not exist ({message(exc)})",
                    warehouse=self.warehouse,
                ) from None
        self._home = self._where_now()

    def _execute(self, sql: str, timeout_s: float | None = None) -> None:
        cursor = self._conn.cursor()
        try:
            timeout = math.ceil(timeout_s or self.config.statement_timeout_s)
            cursor.execute(sql, _no_retry=True, timeout=timeout)
        finally:
            cursor.close()

    def explainer(self) -> "Callable[[str], Translation] | None":
        from snowflake.connector.errors import Error

        try:
            self._explain("SELECT 1")
        except Error:
            return None
        return self._explain

    def _explain(self, sql: str) -> Translation:
        literal = "'" + sql.replace("\\", "\\\\").replace("'", "''") + "'"
        cursor = self._conn.cursor()
        try:
            cursor.execute(f"SELECT {EXPLAIN}({literal})", _no_retry=True)
            _sql, rewrites, unsupported = cursor.fetchone()
        finally:
            cursor.close()
        return Translation(rewrites=tuple(json.loads(rewrites)), unsupported=unsupported)

    def _where_now(self) -> str | None:
        cursor = self._conn.cursor()
        try:
            cursor.execute("SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()", _no_retry=True)
            database, schema = cursor.fetchone()
        finally:
            cursor.close()
        if database and schema:
            return f"USE SCHEMA {quote_identifier(database)}.{quote_identifier(schema)}"
        if database:
            return f"USE DATABASE {quote_identifier(database)}"
        return None

    def run(self, sql: str, timeout_s: float) -> Outcome:
        from snowflake.connector.errors import Error, ProgrammingError

        try:
            self._execute("BEGIN")
            self._execute(sql, timeout_s)
            return Outcome.success()
        except ProgrammingError as exc:
            return self._failure(exc)
        except Error as exc:  # HTTP errors: the server may be gone, or refused this one
            self._check_alive(exc)
            return self._failure(exc)
        finally:
            self._end()

    def _failure(self, exc: Exception) -> Outcome:
        text = message(exc)
        found = _WHERE.search(text)
        errno = getattr(exc, "errno", None)
        sqlstate = getattr(exc, "sqlstate", None)
        code = " ".join(str(part) for part in (sqlstate, errno) if part not in (None, -1, "n/a"))
        return Outcome(
            ok=False,
            code=code or None,
            message=text,
            line=int(found[1]) if found else None,
            column=int(found[2]) + 1 if found else None,
        )

    def _check_alive(self, exc: Exception) -> None:
        from snowflake.connector.errors import Error

        try:
            self._execute("SELECT 1", 10)
        except Error:
            raise WarehouseUnavailableError(
                f"lost the session on {self.target}: {message(exc)}", warehouse=self.warehouse
            ) from None

    def _end(self) -> None:
        from snowflake.connector.errors import Error

        try:
            self._execute("ROLLBACK")
            if self._home is not None:
                self._execute(self._home)
        except Error as exc:
            raise WarehouseUnavailableError(
                f"could not roll back on {self.target}: {message(exc)}", warehouse=self.warehouse
            ) from None

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            close_quietly(conn.cursor(), conn)
