"""Redshift: psycopg2 to the Redshift emulator (or a real cluster), never to PostgreSQL itself.

One schema per experiment (lower case, as Redshift folds names). Tables keep the user's
Redshift attributes (DISTSTYLE/DISTKEY/SORTKEY/ENCODE/BACKUP/IDENTITY). A table loads with
``DELETE`` + ``COPY ... FORMAT AS PARQUET MANIFEST`` (the run's Redshift manifest, so exactly
the run's files) + a count check, in one transaction. A user's SQL runs logged in as the
experiment's own database user, granted only its schema (``redshift_users``).
"""

import contextlib
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.jobs import RunManifest
from dwsim_shared.contracts.query import QueryResult
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.warehouses import redshift_driver
from dwsim_shared.warehouses.base import (
    DEFAULT_BATCH_ROWS,
    DEFAULT_QUERY_LIMIT,
    DEFAULT_QUERY_TIMEOUT_S,
    QueryError,
    RowStream,
    WarehouseAdapter,
    WarehouseError,
)
from dwsim_shared.warehouses.connections import RedshiftConnection
from dwsim_shared.warehouses.literals import UnsafeValueError, check_bucket, sql_string
from dwsim_shared.warehouses.profiles import PROFILES
from dwsim_shared.warehouses.redshift_driver import is_query, message, result_columns, where
from dwsim_shared.warehouses.redshift_users import ExperimentLogins
from dwsim_shared.warehouses.render import render_schema
from dwsim_shared.warehouses.typemap import ident, warehouse_name
from dwsim_shared.warehouses.values import json_safe_row

CANCEL_GRACE_S = 2.0  # client-side cancel, should the server not enforce statement_timeout
QUERY_CANCELED = "57014"


class RedshiftAdapter(ExperimentLogins, WarehouseAdapter):
    """Redshift warehouse: schema ``<experiment>`` in the configured database."""

    warehouse = Warehouse.REDSHIFT

    def __init__(self, connection: RedshiftConnection):
        super().__init__()
        self.config = connection
        self._admin: Any = None  # the configured user's: schemas, loads, drops
        self._conn: Any = None  # an experiment user's: the user's SQL
        self._conn_user: str | None = None

    def _connect(self) -> Any:
        if self._admin is not None and not self._admin.closed:
            return self._admin
        self._admin = redshift_driver.connect(self.config)
        return self._admin

    def _schema(self, experiment: Experiment) -> str:
        return ident(experiment.name, self.warehouse)

    def _qualified(self, experiment: Experiment, table: str) -> str:
        return f"{self._schema(experiment)}.{ident(table, self.warehouse)}"

    def _transaction(self, statements: list[str], *, what: str, table: str | None = None) -> None:
        """Run statements in one transaction; on error roll back and raise naming ``what``."""
        import psycopg2

        conn = self._connect()
        try:
            with conn.cursor() as cur:
                for statement in statements:
                    cur.execute(statement)
            conn.commit()
        except psycopg2.Error as exc:
            self._rollback()
            raise WarehouseError(
                f"{what} failed: {message(exc)}", warehouse=self.warehouse, table=table
            ) from None

    def _rollback(self) -> None:
        import psycopg2

        try:
            self._admin.rollback()
        except psycopg2.Error:  # a broken connection: open a new one next time
            self.close()

    def materialize(self, experiment: Experiment) -> None:
        schema = self._schema(experiment)
        ddl = render_schema(experiment, self.warehouse, prefix=f"{schema}.")
        grants = self._ensure_user(experiment)
        self._transaction(
            [
                f"DROP SCHEMA IF EXISTS {schema} CASCADE",
                f"CREATE SCHEMA {schema}",
                *ddl.statements,
                *grants,
            ],
            what=f"creating the tables of experiment {experiment.name}",
        )

    @contextlib.contextmanager
    def _load_transaction(self, experiment: Experiment) -> Iterator[None]:
        import psycopg2

        conn = self._connect()
        try:
            yield
            conn.commit()
        except psycopg2.Error as exc:  # the COMMIT
            self._rollback()
            raise WarehouseError(
                f"COMMIT failed: {message(exc)}; the load was rolled back",
                warehouse=self.warehouse,
            ) from None
        except BaseException:
            self._rollback()
            raise

    def _replace_rows(
        self,
        experiment: Experiment,
        table_name: str,
        run: RunManifest,
        layout: RunLayout,
        bucket: str,
    ) -> int:
        import psycopg2

        table = self._table(experiment, table_name)
        staged = self._staged(run, table_name)
        target = self._qualified(experiment, table.name)
        try:
            manifest_url = f"s3://{check_bucket(bucket)}/{layout.redshift_manifest_key(table.name)}"
            copy = PROFILES[self.warehouse].copy_statement(
                target=target,
                manifest_url=sql_string(manifest_url),
                iam_role=sql_string(self.config.iam_role),
            )
        except UnsafeValueError as exc:
            raise WarehouseError(str(exc), warehouse=self.warehouse, table=table.name) from None
        conn = self._connect()
        steps = [("DELETE", f"DELETE FROM {target}")]
        if staged.files:
            steps.append(("COPY", copy))
        steps.append(("counting the loaded rows", f"SELECT COUNT(*) FROM {target}"))
        try:
            with conn.cursor() as cur:
                for step, statement in steps:
                    if self._cancel_requested.is_set():
                        raise self._load_cancelled(table.name, step)
                    cur.execute(statement)
                count = int(cur.fetchone()[0])
        except psycopg2.Error as exc:
            if exc.pgcode == QUERY_CANCELED and self._cancel_requested.is_set():
                raise self._load_cancelled(table.name, step) from None
            raise WarehouseError(
                f"{step} failed: {message(exc)}; the table was left as it was",
                warehouse=self.warehouse,
                table=table.name,
            ) from None
        self._check_count(table.name, staged.rows, count)
        return count

    def _delete_rows(self, experiment: Experiment, table_name: str) -> None:
        import psycopg2

        if self._cancel_requested.is_set():
            raise self._load_cancelled(table_name, "DELETE", "the reset")
        try:
            with self._connect().cursor() as cur:
                cur.execute(f"DELETE FROM {self._qualified(experiment, table_name)}")
        except psycopg2.Error as exc:
            if exc.pgcode == QUERY_CANCELED and self._cancel_requested.is_set():
                raise self._load_cancelled(table_name, "DELETE", "the reset") from None
            raise WarehouseError(f"DELETE failed: {message(exc)}; every table was left as it was",
                                 warehouse=self.warehouse, table=table_name) from None  # fmt: skip

    def drop(self, experiment: Experiment) -> None:
        self._transaction(
            [
                f"DROP SCHEMA IF EXISTS {self._schema(experiment)} CASCADE",
                self._user(experiment).drop_sql(),
            ],
            what=f"dropping experiment {experiment.name}",
        )

    def count_rows(self, experiment: Experiment, table_name: str) -> int:
        import psycopg2

        table = self._table(experiment, table_name)
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                cur.execute(f"SELECT COUNT(*) FROM {self._qualified(experiment, table.name)}")
                count = int(cur.fetchone()[0])
            conn.rollback()
        except psycopg2.Error as exc:
            self._rollback()
            raise WarehouseError(
                f"counting rows failed: {message(exc)}", warehouse=self.warehouse, table=table.name
            ) from None
        return count

    def query(
        self,
        experiment: Experiment,
        sql: str,
        *,
        limit: int = DEFAULT_QUERY_LIMIT,
        timeout_s: float = DEFAULT_QUERY_TIMEOUT_S,
    ) -> QueryResult:
        """``search_path`` set to the experiment's schema, ``statement_timeout`` set for the
        statement (and a client-side cancel shortly after, as a backstop).

        A query (SELECT/WITH) runs through a server-side cursor, so only ``limit + 1`` rows
        ever leave the warehouse; any other statement runs in autocommit, as in a SQL client.
        """
        import psycopg2

        self._check_limit(limit, timeout_s)
        conn = self._connect_as_user(experiment)
        streaming = is_query(sql)
        start = time.monotonic()
        cur = None
        try:
            self._begin(experiment, timeout_s, streaming)
            timer = threading.Timer(timeout_s + CANCEL_GRACE_S, conn.cancel)
            timer.start()
            try:
                cur = self._cursor(streaming)
                try:
                    cur.execute(sql)
                    fetched = cur.fetchmany(limit + 1) if streaming or cur.description else []
                    description = list(cur.description or [])
                finally:
                    cur.close()
            finally:
                timer.cancel()
            if streaming:
                conn.commit()
        except psycopg2.Error as exc:
            raise self._query_error(exc, sql, timeout_s, cur) from None
        finally:
            self._finish()
        return self._limited_result(
            result_columns(description), fetched, limit, start, json_safe_row
        )

    def iter_query(
        self,
        experiment: Experiment,
        sql: str,
        *,
        timeout_s: float = DEFAULT_QUERY_TIMEOUT_S,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> RowStream:
        """A query (SELECT/WITH) is read through a server-side cursor, ``batch_rows`` per
        FETCH, so memory holds one batch; ``statement_timeout`` bounds each FETCH."""
        import psycopg2

        self._check_batch(batch_rows, timeout_s)
        self._connect_as_user(experiment)
        streaming = is_query(sql)
        cur = None
        try:
            self._begin(experiment, timeout_s, streaming)
            cur = self._cursor(streaming)
            cur.execute(sql)
            first = cur.fetchmany(batch_rows) if streaming or cur.description else []
            description = list(cur.description or [])
        except psycopg2.Error as exc:
            error = self._query_error(exc, sql, timeout_s, cur)
            self._end_stream(cur, ok=False)
            raise error from None
        except BaseException:
            self._end_stream(cur, ok=False)
            raise
        failed = False

        def fetch() -> list[list]:
            nonlocal failed
            if not description:
                return []
            try:
                return [json_safe_row(r) for r in cur.fetchmany(batch_rows)]
            except psycopg2.Error as exc:
                failed = True
                raise self._query_error(exc, sql, timeout_s, cur) from None

        return RowStream(
            columns=result_columns(description),
            first=[json_safe_row(r) for r in first],
            fetch=fetch,
            cleanup=lambda: self._end_stream(cur, ok=not failed),
        )

    def cancel(self) -> None:
        """A CancelRequest on each open session: the user's SQL's, and the load's."""
        import psycopg2

        self._cancel_requested.set()
        for conn in (self._conn, self._admin):
            if conn is not None and not conn.closed:
                with contextlib.suppress(psycopg2.Error):  # closed meanwhile
                    conn.cancel()

    def _blocking_sockets(self) -> list[int]:
        """The sessions' sockets: shut down, the emulator ends the session (rolled back)."""
        return [c.fileno() for c in (self._admin, self._conn) if c is not None and not c.closed]

    def _begin(self, experiment: Experiment, timeout_s: float, streaming: bool) -> None:
        """Session set for the user's statement: the experiment's schema first on the search
        path, the statement timeout, and a transaction when a server-side cursor needs one."""
        self._check_cancel()
        conn = self._conn
        schema = warehouse_name(experiment.name, self.warehouse)
        conn.autocommit = not streaming
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,))
            if cur.fetchone() is None:
                raise QueryError(
                    f"experiment {experiment.name} is not materialized (no schema {schema})",
                    warehouse=self.warehouse,
                )
            cur.execute(f"SET search_path TO {self._schema(experiment)}")
            cur.execute(f"SET statement_timeout TO {max(1, int(timeout_s * 1000))}")

    def _cursor(self, streaming: bool) -> Any:
        if streaming:  # a named cursor's description is known after its first FETCH
            return self._conn.cursor(name=f"dwsim_{uuid.uuid4().hex[:12]}")
        return self._conn.cursor()

    def _end_stream(self, cur: Any, *, ok: bool) -> None:
        import psycopg2

        if cur is not None and not cur.closed:
            try:
                cur.close()
            except psycopg2.Error:
                ok = False
        conn = self._conn
        if ok and conn is not None and not conn.closed and not conn.autocommit:
            with contextlib.suppress(psycopg2.Error):  # else rolled back by _finish
                conn.commit()
        self._finish()

    def _finish(self) -> None:
        """Put the session back as it was: no open transaction, settings reset, no cancel
        pending (a user's SQL may have failed mid-way; then the connection is replaced)."""
        import psycopg2

        self._cancel_requested.clear()
        conn = self._conn
        if conn is None or conn.closed:
            return
        try:
            if not conn.autocommit:
                conn.rollback()
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("RESET statement_timeout")
                cur.execute("RESET search_path")
            conn.autocommit = False
        except psycopg2.Error:
            self.close()

    def _query_error(self, exc: Exception, sql: str, timeout_s: float, cur: Any) -> QueryError:
        import psycopg2

        if getattr(exc, "pgcode", None) == QUERY_CANCELED:
            if self._cancel_requested.is_set():
                return self._cancelled()
            return self._timeout(timeout_s)
        if isinstance(exc, psycopg2.OperationalError | psycopg2.InterfaceError):
            self.close()
        sent = getattr(cur, "query", None)
        sent = sent.decode(errors="replace") if isinstance(sent, bytes) else sql
        return QueryError(message(exc) + where(exc, sql, sent), warehouse=self.warehouse)

    def close(self) -> None:
        self._close_user()
        admin, self._admin = self._admin, None
        if admin is not None and not admin.closed:
            admin.close()
