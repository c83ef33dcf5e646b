"""Snowflake: snowflake-connector-python (<5) to the fakesnow-based emulator or real Snowflake.

One schema per experiment in one database (``SnowflakeConnection.database``): a schema is the
cheapest namespace to create and DROP ... CASCADE on both. Loads are ``COPY INTO`` with the
manifest's files listed in FILES=(...) (exact, where a PATTERN could match stray objects) and
FORCE=TRUE so a re-load is never skipped by load history, in one transaction that deletes the
rows first.

Statements are sent with the connector's ``_no_retry``: a statement that fails must fail once,
not be re-run by the connector's retry loop on a server error.
"""

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.jobs import RunManifest
from dwsim_shared.contracts.query import ColumnInfo, QueryResult
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.warehouses import snowflake_driver
from dwsim_shared.warehouses.base import (
    DEFAULT_BATCH_ROWS,
    DEFAULT_QUERY_LIMIT,
    DEFAULT_QUERY_TIMEOUT_S,
    QueryError,
    RowStream,
    WarehouseAdapter,
    WarehouseError,
)
from dwsim_shared.warehouses.connections import SnowflakeConnection
from dwsim_shared.warehouses.literals import (
    UnsafeValueError,
    check_bucket,
    part_file_names,
    sql_string,
)
from dwsim_shared.warehouses.profiles import PROFILES
from dwsim_shared.warehouses.render import render_schema
from dwsim_shared.warehouses.snowflake_driver import (
    JSON_TYPES,
    close_quietly,
    message,
    result_row,
    type_name,
)
from dwsim_shared.warehouses.typemap import ident

CANCELLED_ERRNO = 604  # "SQL execution canceled"
CANCEL_GRACE_S = 2.0  # how long a cancelled statement may take to stop before it is given up
POLL_S = 0.1


class SnowflakeAdapter(WarehouseAdapter):
    """Snowflake warehouse: schema ``<database>.<EXPERIMENT>``, tables in upper case."""

    warehouse = Warehouse.SNOWFLAKE

    def __init__(self, connection: SnowflakeConnection):
        super().__init__()
        self.config = connection
        self._conn: Any = None
        self._running: tuple[Any, Any, str] | None = None  # (connection, cursor, sql)

    # connection and statements

    def _connect(self) -> Any:
        if self._conn is not None:
            return self._conn
        self._conn = snowflake_driver.connect(self.config)
        return self._conn

    def _run(self, sql: str, *, table: str | None = None, what: str = "",
             stoppable: bool = False, operation: str = "the load") -> list[tuple]:  # fmt: skip
        """One statement; a ``stoppable`` one (of a load, or of ``operation``, e.g. "the
        reset") is what ``cancel`` aborts."""
        from snowflake.connector.errors import Error

        conn = self._connect()
        cursor = conn.cursor()
        step = what or "statement"
        try:
            if stoppable:
                if self._cancel_requested.is_set():
                    raise self._load_cancelled(table or "?", step, operation)
                self._running = (conn, cursor, sql)
            cursor.execute(sql, _no_retry=True, timeout=self.config.statement_timeout_s)
            return cursor.fetchall() if cursor.description else []
        except Error as exc:
            if stoppable and exc.errno == CANCELLED_ERRNO and self._cancel_requested.is_set():
                raise self._load_cancelled(table or "?", step, operation) from None
            raise WarehouseError(
                f"{step} failed: {message(exc)}", warehouse=self.warehouse, table=table
            ) from None
        finally:
            if stoppable:
                self._running = None
            cursor.close()

    def _rollback(self) -> None:
        try:
            self._run("ROLLBACK")
        except WarehouseError:
            self._discard()

    def _discard(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # the session may already be gone
                conn.close()

    def _schema(self, experiment: Experiment) -> str:
        return (
            f"{ident(self.config.database, self.warehouse)}."
            f"{ident(experiment.name, self.warehouse)}"
        )

    def _qualified(self, experiment: Experiment, table: str) -> str:
        return f"{self._schema(experiment)}.{ident(table, self.warehouse)}"

    # the interface

    def materialize(self, experiment: Experiment) -> None:
        schema = self._schema(experiment)
        ddl = render_schema(
            experiment, self.warehouse, prefix=f"{schema}.", foreign_keys=self.config.foreign_keys
        )
        what = f"creating the tables of experiment {experiment.name}"
        self._run(f"CREATE DATABASE IF NOT EXISTS {ident(self.config.database, self.warehouse)}")
        self._run(f"DROP SCHEMA IF EXISTS {schema} CASCADE", what=what)
        self._run(f"CREATE SCHEMA {schema}", what=what)
        for statement in ddl.statements:
            self._run(statement, what=what)

    @contextlib.contextmanager
    def _load_transaction(self, experiment: Experiment) -> Iterator[None]:
        """BEGIN; the block; COMMIT, or ROLLBACK on any failure so every table is as it was."""
        self._run("BEGIN")
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        self._run("COMMIT", what="COMMIT")

    def _replace_rows(
        self,
        experiment: Experiment,
        table_name: str,
        run: RunManifest,
        layout: RunLayout,
        bucket: str,
    ) -> int:
        """DELETE; COPY INTO (checked file by file); COUNT(*) against the manifest."""
        table = self._table(experiment, table_name)
        staged = self._staged(run, table_name)
        target = self._qualified(experiment, table.name)
        try:
            copy = self._copy_sql(target, layout, bucket, table.name, staged.files)
        except UnsafeValueError as exc:
            raise WarehouseError(str(exc), warehouse=self.warehouse, table=table.name) from None
        self._run(f"DELETE FROM {target}", table=table.name, what="DELETE", stoppable=True)
        if copy is not None:
            results = self._run(copy, table=table.name, what="COPY INTO", stoppable=True)
            self._check_files(table.name, results)
        (count,) = self._run(f"SELECT COUNT(*) FROM {target}", table=table.name,
                             what="counting the loaded rows", stoppable=True)[0]  # fmt: skip
        self._check_count(table.name, staged.rows, int(count))
        return int(count)

    def _copy_sql(
        self, target: str, layout: RunLayout, bucket: str, table: str, files: list
    ) -> str | None:
        if not files:
            return None
        s3 = self.config.s3
        names = ", ".join(sql_string(n) for n in part_file_names(table, files))
        url = f"s3://{check_bucket(bucket)}/{layout.table_prefix(table)}"
        return PROFILES[self.warehouse].copy_statement(
            target=target,
            url=sql_string(url),
            key_id=sql_string(s3.access_key_id),
            secret_key=sql_string(s3.secret_access_key),
            files=names,
        )

    def _check_files(self, table: str, results: list[tuple]) -> None:
        """COPY INTO's rows: (file, status, rows_parsed, rows_loaded, ..., first_error, ...)."""
        for row in results:
            if len(row) >= 2 and str(row[1]).upper() not in ("LOADED", "PARTIALLY_LOADED"):
                detail = f": {row[6]}" if len(row) > 6 and row[6] else ""
                raise WarehouseError(
                    f"COPY INTO did not load {row[0]} (status {row[1]}{detail}); "
                    "the load was rolled back and the table left as it was",
                    warehouse=self.warehouse,
                    table=table,
                )

    def _delete_rows(self, experiment: Experiment, table_name: str) -> None:
        self._run(f"DELETE FROM {self._qualified(experiment, table_name)}", table=table_name,
                  what="DELETE", stoppable=True, operation="the reset")  # fmt: skip

    def drop(self, experiment: Experiment) -> None:
        self._run(f"CREATE DATABASE IF NOT EXISTS {ident(self.config.database, self.warehouse)}")
        self._run(
            f"DROP SCHEMA IF EXISTS {self._schema(experiment)} CASCADE",
            what=f"dropping experiment {experiment.name}",
        )

    def count_rows(self, experiment: Experiment, table_name: str) -> int:
        table = self._table(experiment, table_name)
        rows = self._run(
            f"SELECT COUNT(*) FROM {self._qualified(experiment, table.name)}",
            table=table.name,
            what="counting rows",
        )
        return int(rows[0][0])

    def query(
        self,
        experiment: Experiment,
        sql: str,
        *,
        limit: int = DEFAULT_QUERY_LIMIT,
        timeout_s: float = DEFAULT_QUERY_TIMEOUT_S,
    ) -> QueryResult:
        self._check_limit(limit, timeout_s)
        self._use_schema(experiment)
        start = time.monotonic()
        try:
            cursor, description, fetched = self._execute_with_timeout(
                sql, timeout_s, lambda cur: cur.fetchmany(limit + 1)
            )
            cursor.close()
        finally:
            self._cancel_requested.clear()
        columns = [ColumnInfo(name=d.name, type=type_name(d.type_code)) for d in description]
        json_columns = [i for i, c in enumerate(columns) if c.type in JSON_TYPES]
        return self._limited_result(
            columns, fetched, limit, start, lambda r: result_row(r, json_columns)
        )

    def iter_query(
        self,
        experiment: Experiment,
        sql: str,
        *,
        timeout_s: float = DEFAULT_QUERY_TIMEOUT_S,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> RowStream:
        """The statement runs under ``timeout_s``; its rows are then read ``batch_rows`` at a
        time from the connector's result (chunks fetched as they are needed)."""
        from snowflake.connector.errors import Error

        self._check_batch(batch_rows, timeout_s)
        self._use_schema(experiment)
        try:
            cursor, description, first = self._execute_with_timeout(
                sql, timeout_s, lambda cur: cur.fetchmany(batch_rows)
            )
        except BaseException:
            self._cancel_requested.clear()
            raise
        columns = [ColumnInfo(name=d.name, type=type_name(d.type_code)) for d in description]
        json_columns = [i for i, c in enumerate(columns) if c.type in JSON_TYPES]

        def fetch() -> list[list]:
            if not description:
                return []
            try:
                return [result_row(r, json_columns) for r in cursor.fetchmany(batch_rows)]
            except Error as exc:
                raise QueryError(message(exc), warehouse=self.warehouse) from None

        def cleanup() -> None:
            self._cancel_requested.clear()
            cursor.close()

        return RowStream(
            columns=columns,
            first=[result_row(r, json_columns) for r in first],
            fetch=fetch,
            cleanup=cleanup,
        )

    def cancel(self) -> None:
        """The connector's abort request for the running statement (the emulator interrupts
        the session's DuckDB; Snowflake cancels the statement of that request id)."""
        self._cancel_requested.set()
        running = self._running
        if running is not None:
            conn, cursor, sql = running
            with contextlib.suppress(Exception):  # best effort: the statement may have ended
                conn._cancel_query(sql, cursor._request_id)

    def _use_schema(self, experiment: Experiment) -> None:
        try:
            self._run(f"USE SCHEMA {self._schema(experiment)}")
        except WarehouseError as exc:
            raise QueryError(
                f"experiment {experiment.name} is not materialized ({exc.detail})",
                warehouse=self.warehouse,
            ) from None

    def _execute_with_timeout(
        self, sql: str, timeout_s: float, fetch: Callable[[Any], list]
    ) -> tuple[Any, list, list]:
        """Run in a worker thread and return (open cursor, description, ``fetch(cursor)``).

        Past ``timeout_s``, or ``CANCEL_GRACE_S`` after a ``cancel`` the server did not act
        on, the statement is given up on and its connection handed to the worker to close
        when it returns (the connector's own timeout sends the abort request).
        """
        from snowflake.connector.errors import Error

        self._check_cancel()
        conn = self._connect()
        cursor = conn.cursor()
        outcome: dict[str, Any] = {}
        lock = threading.Lock()
        state = {"finished": False, "abandoned": False}

        def work() -> None:
            try:
                cursor.execute(sql, _no_retry=True, timeout=max(1, round(timeout_s)))
                description = list(cursor.description or [])
                outcome["result"] = (description, fetch(cursor) if description else [])
            except BaseException as exc:  # handed to the caller's thread
                outcome["error"] = exc
            finally:
                with lock:
                    state["finished"] = True
                    abandoned = state["abandoned"]
                if abandoned:
                    close_quietly(cursor, conn)

        worker = threading.Thread(target=work, name="dwsim-snowflake-query", daemon=True)
        self._running = (conn, cursor, sql)
        try:
            worker.start()
            self._wait(worker, timeout_s)
        finally:
            self._running = None
        with lock:
            if not state["finished"]:
                state["abandoned"] = True
        if state["abandoned"]:
            self._conn = None  # the next call opens a new session
            raise self._stopped(timeout_s)
        error = outcome.get("error")
        if error is not None:
            cursor.close()
            if isinstance(error, Error) and getattr(error, "errno", None) == CANCELLED_ERRNO:
                raise self._stopped(timeout_s)
            if isinstance(error, Error):
                raise QueryError(message(error), warehouse=self.warehouse) from None
            raise error
        return (cursor, *outcome["result"])

    def _wait(self, worker: threading.Thread, timeout_s: float) -> None:
        """Until the worker ends, the timeout passes, or a cancel's grace period ends."""
        deadline = time.monotonic() + timeout_s
        while worker.is_alive():
            if self._cancel_requested.is_set():
                deadline = min(deadline, time.monotonic() + CANCEL_GRACE_S)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            worker.join(min(remaining, POLL_S))

    def _stopped(self, timeout_s: float) -> QueryError:
        if self._cancel_requested.is_set():
            return self._cancelled()
        return self._timeout(timeout_s)

    def close(self) -> None:
        self._discard()
