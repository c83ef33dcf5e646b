"""Statements on the Redshift emulator (or a cluster) with psycopg2, each in a transaction that
is rolled back: ``SET LOCAL statement_timeout``, the statement, ``ROLLBACK``. A query is read
through a server-side cursor, its first ``FIRST_ROWS`` rows only.

A rollback does not give back the values an IDENTITY column drew (the emulator's backend keeps
them in PostgreSQL sequences, which are not transactional), so a checked INSERT would leave a
gap in the user's next ids. Around any statement but a query, the sequences' positions are read
before it and after it (in a savepoint, so a failed statement's draws are seen too), and after
the rollback each sequence the statement moved is set back, unless something else moved it
meanwhile (then it is left alone: a gap, never an id given twice)."""

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
# (name, position, is_called) of the user's sequences (IDENTITY columns)
_SEQUENCES = """
SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename),
       coalesce(last_value, start_value), last_value IS NOT NULL
FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'dwsim_rs')
"""
_SAVEPOINT = "dwsim_check"
_QUOTED = re.compile(r'"([^"]+)"')


class RedshiftRunner:
    warehouse = Warehouse.REDSHIFT

    def __init__(self, connection: RedshiftConnection, schema: str | None = None):
        self.config = connection
        self.schema = schema
        self.target = connection.url
        self._conn: Any = None
        self._sequences = False  # IDENTITY positions are read and set back (see above)

    def open(self) -> None:
        self._conn = connect(self.config, application_name="dwsim check-sql")
        if self.schema is not None:
            self._use_schema(self.schema)
        self._sequences = self._reads_sequences()

    def _reads_sequences(self) -> bool:
        """Whether the server has pg_sequences (the emulator's PostgreSQL does; a cluster has
        no sequences, so nothing to set back)."""
        import psycopg2

        try:
            with self._conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_sequences LIMIT 1")
            return True
        except psycopg2.Error:
            return False
        finally:
            self._conn.rollback()

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
        query = is_query(sql)
        before: dict[str, tuple[int, bool]] = {}
        after: dict[str, tuple[int, bool]] = {}
        try:
            with conn.cursor() as setting:
                setting.execute(f"SET LOCAL statement_timeout TO {max(1, int(timeout_s * 1000))}")
                if self._sequences and not query and (before := _positions(setting)):
                    setting.execute(f"SAVEPOINT {_SAVEPOINT}")
            if query:  # DECLARE ... CURSOR: rows stay on the server
                cur = conn.cursor(name=f"dwsim_check_{uuid.uuid4().hex[:12]}")
                cur.execute(sql)
                cur.fetchmany(FIRST_ROWS)
            else:
                cur = conn.cursor()
                cur.execute(sql)
                if before:
                    after = self._positions_after(conn)
            return Outcome.success()
        except psycopg2.Error as exc:
            if conn.closed:
                raise WarehouseUnavailableError(
                    f"lost the connection to {self.target}: {message(exc)}",
                    warehouse=self.warehouse,
                ) from None
            if before and not after:
                after = self._positions_after(conn, failed=True)
            return self._failure(exc, sql, cur)
        finally:
            self._end(cur)
            self._restore(before, after)

    def _positions_after(self, conn: Any, failed: bool = False) -> dict[str, tuple[int, bool]]:
        """The sequences' positions after the statement (back in its savepoint if it failed)."""
        import psycopg2

        try:
            with conn.cursor() as cur:
                if failed:
                    cur.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
                return _positions(cur)
        except psycopg2.Error:
            return {}

    def _restore(
        self, before: dict[str, tuple[int, bool]], after: dict[str, tuple[int, bool]]
    ) -> None:
        """Set back each sequence the statement moved, if it is still where the statement left
        it (after the rollback, outside any transaction: setval is not transactional)."""
        import psycopg2

        moved = [(name, *before[name], *after[name]) for name in after if name in before]
        moved = [m for m in moved if (m[1], m[2]) != (m[3], m[4])]
        if not moved or self._conn is None or self._conn.closed:
            return
        conn = self._conn
        try:
            with conn.cursor() as cur:
                for name, value, called, moved_to, moved_called in moved:
                    cur.execute(
                        "SELECT setval(%s, %s, %s) FROM pg_sequences "
                        "WHERE quote_ident(schemaname) || '.' || quote_ident(sequencename) = %s "
                        "AND coalesce(last_value, start_value) = %s "
                        "AND (last_value IS NOT NULL) = %s",
                        (name, value, called, name, moved_to, moved_called),
                    )
            conn.commit()
        except psycopg2.Error:  # not the sequence's owner: the gap stays, as a rollback leaves it
            if not conn.closed:
                conn.rollback()

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


def _positions(cur: Any) -> dict[str, tuple[int, bool]]:
    cur.execute(_SEQUENCES)
    return {name: (value, called) for name, value, called in cur.fetchall()}


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
