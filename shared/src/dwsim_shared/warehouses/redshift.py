"""Redshift: psycopg2 to the Redshift emulator (or a real cluster), never to PostgreSQL itself.

One schema per experiment (lower case, as Redshift folds names). Tables keep the user's
Redshift attributes (DISTSTYLE/DISTKEY/SORTKEY/ENCODE/BACKUP/IDENTITY). A table loads with
``DELETE`` + ``COPY ... FORMAT AS PARQUET MANIFEST`` (the run's Redshift manifest, so exactly
the run's files) + a count check, in one transaction.
"""

import re
import threading
import time
import uuid
from typing import Any

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.graph import load_order
from dwsim_shared.contracts.jobs import RunManifest
from dwsim_shared.contracts.query import ColumnInfo, QueryResult
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.warehouses.base import (
    DEFAULT_QUERY_LIMIT,
    DEFAULT_QUERY_TIMEOUT_S,
    QueryError,
    QueryTimeoutError,
    WarehouseAdapter,
    WarehouseError,
    WarehouseUnavailableError,
)
from dwsim_shared.warehouses.connections import RedshiftConnection
from dwsim_shared.warehouses.literals import UnsafeValueError, check_bucket, sql_string
from dwsim_shared.warehouses.profiles import PROFILES
from dwsim_shared.warehouses.render import render_schema
from dwsim_shared.warehouses.typemap import ident, warehouse_name
from dwsim_shared.warehouses.values import json_safe_row

CANCEL_GRACE_S = 2.0  # client-side cancel, should the server not enforce statement_timeout
QUERY_CANCELED = "57014"

# PostgreSQL type OIDs the emulator reports, by the name Redshift gives the type.
TYPE_NAMES = {
    16: "boolean", 17: "varbyte", 18: "char", 19: "name", 20: "bigint", 21: "smallint",
    23: "integer", 25: "text", 26: "oid", 114: "super", 700: "real", 701: "double precision",
    1042: "char", 1043: "varchar", 1082: "date", 1083: "time", 1114: "timestamp",
    1184: "timestamptz", 1186: "interval", 1266: "timetz", 1700: "numeric", 2950: "uuid",
    3802: "super",
}  # fmt: skip


class RedshiftAdapter(WarehouseAdapter):
    """Redshift warehouse: schema ``<experiment>`` in the configured database."""

    warehouse = Warehouse.REDSHIFT

    def __init__(self, connection: RedshiftConnection):
        self.config = connection
        self._conn: Any = None

    def _connect(self) -> Any:
        if self._conn is not None and not self._conn.closed:
            return self._conn
        try:
            import psycopg2
        except ImportError as exc:
            raise WarehouseError(
                f"psycopg2 is not installed ({exc}); install dwsim-shared[redshift]",
                warehouse=self.warehouse,
            ) from None
        cfg = self.config
        try:
            self._conn = psycopg2.connect(
                host=cfg.host,
                port=cfg.port,
                dbname=cfg.database,
                user=cfg.user,
                password=cfg.password,
                sslmode=cfg.sslmode,
                connect_timeout=cfg.connect_timeout_s,
                application_name="dwsim",
            )
        except psycopg2.Error as exc:
            raise WarehouseUnavailableError(
                f"cannot connect to {cfg.url}: {_message(exc)}", warehouse=self.warehouse
            ) from None
        return self._conn

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
                f"{what} failed: {_message(exc)}", warehouse=self.warehouse, table=table
            ) from None

    def _rollback(self) -> None:
        import psycopg2

        try:
            self._conn.rollback()
        except psycopg2.Error:  # a broken connection: open a new one next time
            self.close()

    def materialize(self, experiment: Experiment) -> None:
        schema = self._schema(experiment)
        ddl = render_schema(experiment, self.warehouse, prefix=f"{schema}.")
        self._transaction(
            [f"DROP SCHEMA IF EXISTS {schema} CASCADE", f"CREATE SCHEMA {schema}", *ddl.statements],
            what=f"creating the tables of experiment {experiment.name}",
        )

    def load_table(
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
        step = "DELETE"
        try:
            with conn.cursor() as cur:
                cur.execute(f"DELETE FROM {target}")
                if staged.files:
                    step = "COPY"
                    cur.execute(copy)
                step = "counting the loaded rows"
                cur.execute(f"SELECT COUNT(*) FROM {target}")
                count = int(cur.fetchone()[0])
            self._check_count(table.name, staged.rows, count)
            conn.commit()
        except psycopg2.Error as exc:
            self._rollback()
            raise WarehouseError(
                f"{step} failed: {_message(exc)}; the table was left as it was",
                warehouse=self.warehouse,
                table=table.name,
            ) from None
        except BaseException:
            self._rollback()
            raise
        return count

    def truncate(self, experiment: Experiment) -> None:
        # DELETE, not TRUNCATE: Redshift's TRUNCATE commits at once, so it cannot be atomic.
        self._transaction(
            [
                f"DELETE FROM {self._qualified(experiment, t)}"
                for t in reversed(load_order(experiment))
            ],
            what=f"emptying the tables of experiment {experiment.name}",
        )

    def drop(self, experiment: Experiment) -> None:
        self._transaction(
            [f"DROP SCHEMA IF EXISTS {self._schema(experiment)} CASCADE"],
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
                f"counting rows failed: {_message(exc)}", warehouse=self.warehouse, table=table.name
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
        conn = self._connect()
        schema = warehouse_name(experiment.name, self.warehouse)
        streaming = is_query(sql)
        start = time.monotonic()
        timer = threading.Timer(timeout_s + CANCEL_GRACE_S, conn.cancel)
        try:
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
            timer.start()
            try:
                description, fetched = self._fetch(conn, sql, limit, streaming)
            finally:
                timer.cancel()
            with conn.cursor() as cur:
                cur.execute("RESET statement_timeout")
                cur.execute("RESET search_path")
            if streaming:
                conn.commit()
        except psycopg2.Error as exc:
            self._after_query_error()
            if getattr(exc, "pgcode", None) == QUERY_CANCELED:
                raise QueryTimeoutError(
                    f"query stopped after {timeout_s:g} s (the statement timeout)",
                    warehouse=self.warehouse,
                ) from None
            if isinstance(exc, psycopg2.OperationalError | psycopg2.InterfaceError):
                self.close()
            raise QueryError(_message(exc), warehouse=self.warehouse) from None
        finally:
            if self._conn is not None and not self._conn.closed:
                if not self._conn.autocommit:
                    self._conn.rollback()
                self._conn.autocommit = False
        rows = fetched[:limit]
        return QueryResult(
            columns=[ColumnInfo(name=d.name, type=_type_name(d.type_code)) for d in description],
            rows=[json_safe_row(r) for r in rows],
            row_count=len(rows),
            truncated=len(fetched) > limit,
            elapsed_ms=round((time.monotonic() - start) * 1000, 3),
        )

    @staticmethod
    def _fetch(conn: Any, sql: str, limit: int, streaming: bool) -> tuple[list, list]:
        if streaming:  # a named cursor's description is known after its first FETCH
            with conn.cursor(name=f"dwsim_{uuid.uuid4().hex[:12]}") as cur:
                cur.execute(sql)
                fetched = cur.fetchmany(limit + 1)
                return list(cur.description or []), fetched
        with conn.cursor() as cur:
            cur.execute(sql)
            description = list(cur.description or [])
            return description, (cur.fetchmany(limit + 1) if description else [])

    def _after_query_error(self) -> None:
        """Put the session back as it was (the user's SQL may have failed mid-way)."""
        import psycopg2

        if self._conn is None or self._conn.closed:
            return
        try:
            with self._conn.cursor() as cur:
                cur.execute("RESET statement_timeout")
                cur.execute("RESET search_path")
        except psycopg2.Error:
            self.close()

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.closed:
            conn.close()


_LEADING_NOISE = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*", re.DOTALL)
_QUERY_START = re.compile(r"^(?:SELECT|WITH)\b", re.IGNORECASE)
_INTO = re.compile(r"\bINTO\b", re.IGNORECASE)


def is_query(sql: str) -> bool:
    """A statement a server-side cursor can hold: SELECT/WITH, one statement, no SELECT INTO.
    (A false "no" is harmless: the statement then runs with a plain cursor.)"""
    body = _LEADING_NOISE.sub("", sql, count=1)
    return (
        bool(_QUERY_START.match(body))
        and not _INTO.search(body)
        and ";" not in body.rstrip("; \n\t")
    )


def _type_name(oid: int) -> str:
    return TYPE_NAMES.get(oid, f"oid {oid}")


def _message(exc: Exception) -> str:
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag else None
    detail = getattr(diag, "message_detail", None) if diag else None
    text = primary or str(exc).strip()
    return f"{text} ({detail})" if detail else text
