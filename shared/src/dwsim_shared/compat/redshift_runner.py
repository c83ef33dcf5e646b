"""Statements on the Redshift emulator (or a cluster) with psycopg2, each in a transaction that
is rolled back: ``SET LOCAL statement_timeout``, the statement, ``ROLLBACK``. A query is read
through a server-side cursor, its first ``FIRST_ROWS`` rows only."""

import re
import uuid
from typing import Any

from dwsim_shared.compat.runner import FIRST_ROWS, Outcome
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.warehouses.base import WarehouseError, WarehouseUnavailableError
from dwsim_shared.warehouses.connections import RedshiftConnection
from dwsim_shared.warehouses.redshift_driver import connect, is_query, message, where
from dwsim_shared.warehouses.typemap import ident, warehouse_name

_WHERE = re.compile(r" at line (\d+), column (\d+)$")
_QUOTED = re.compile(r'"([^"]+)"')


class RedshiftRunner:
    warehouse = Warehouse.REDSHIFT

    def __init__(self, connection: RedshiftConnection, schema: str | None = None):
        self.config = connection
        self.schema = schema
        self.target = connection.url
        self._conn: Any = None

    def open(self) -> None:
        self._conn = connect(self.config, application_name="dwsim check-sql")
        if self.schema is not None:
            self._use_schema(self.schema)

    def _use_schema(self, schema: str) -> None:
        conn = self._conn
        conn.autocommit = True
        with conn.cursor() as cur:
            name = warehouse_name(schema, self.warehouse)
            cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (name,))
            if cur.fetchone() is None:
                raise WarehouseError(f"schema {name} does not exist", warehouse=self.warehouse)
            cur.execute(f"SET search_path TO {ident(schema, self.warehouse)}")
        conn.autocommit = False

    def run(self, sql: str, timeout_s: float) -> Outcome:
        import psycopg2

        conn = self._conn
        cur = None
        try:
            with conn.cursor() as setting:
                setting.execute(f"SET LOCAL statement_timeout TO {max(1, int(timeout_s * 1000))}")
            if is_query(sql):  # DECLARE ... CURSOR: rows stay on the server
                cur = conn.cursor(name=f"dwsim_check_{uuid.uuid4().hex[:12]}")
                cur.execute(sql)
                cur.fetchmany(FIRST_ROWS)
            else:
                cur = conn.cursor()
                cur.execute(sql)
            return Outcome.success()
        except psycopg2.Error as exc:
            if conn.closed:
                raise WarehouseUnavailableError(
                    f"lost the connection to {self.target}: {message(exc)}",
                    warehouse=self.warehouse,
                ) from None
            return self._failure(exc, sql, cur)
        finally:
            self._end(cur)

    def _failure(self, exc: Exception, sql: str, cur: Any) -> Outcome:
        sent = getattr(cur, "query", None)
        sent = sent.decode(errors="replace") if isinstance(sent, bytes) else sql
        found = _WHERE.search(where(exc, sql, sent))
        text = message(exc)
        line, column = (int(found[1]), int(found[2])) if found else _named(text, sql)
        return Outcome(
            ok=False, code=getattr(exc, "pgcode", None), message=text, line=line, column=column
        )

    def _end(self, cur: Any) -> None:
        import psycopg2

        conn = self._conn
        try:
            if cur is not None and not cur.closed:
                cur.close()
        except psycopg2.Error:
            pass
        if conn.closed:
            return
        try:
            conn.rollback()
        except psycopg2.Error as exc:
            raise WarehouseUnavailableError(
                f"could not roll back on {self.target}: {message(exc)}", warehouse=self.warehouse
            ) from None

    def explainer(self) -> None:
        return None  # the translator answers in-process (rules: redshift_translation)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.closed:
            conn.close()


def _named(text: str, sql: str) -> tuple[int | None, int | None]:
    """Where the name the message quotes is in the statement, when it is there once (the
    server's own position counts in the text it ran, which the emulator may have rewritten)."""
    quoted = _QUOTED.search(text)
    if quoted is None:
        return None, None
    name = re.escape(quoted[1].rpartition(".")[2])
    found = list(re.finditer(rf'(?<![\w$"]){name}(?![\w$"])|"{name}"', sql, re.IGNORECASE))
    if len(found) != 1:
        return None, None
    before = sql[: found[0].start()]
    return before.count("\n") + 1, found[0].start() - (before.rfind("\n") + 1) + 1
