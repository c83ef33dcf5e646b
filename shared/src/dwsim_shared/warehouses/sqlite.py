"""The embedded warehouse: one SQLite file per experiment, for users with no server.

Loads read the staged Parquet from S3 (boto3 + pyarrow, one record batch at a time) and insert
it with ``executemany`` inside ONE transaction per table. Foreign keys are declared but not
enforced (as in Redshift and Snowflake), so tables can be loaded and emptied in any order.
Decimals are stored with NUMERIC affinity (exact up to 15 significant digits or int64).
"""

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.jobs import RunManifest
from dwsim_shared.contracts.query import ColumnInfo, QueryResult
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.warehouses.base import (
    DEFAULT_BATCH_ROWS,
    DEFAULT_QUERY_LIMIT,
    DEFAULT_QUERY_TIMEOUT_S,
    QueryError,
    RowStream,
    WarehouseAdapter,
    WarehouseError,
)
from dwsim_shared.warehouses.connections import SqliteConnection
from dwsim_shared.warehouses.render import render_schema
from dwsim_shared.warehouses.typemap import ident
from dwsim_shared.warehouses.values import json_safe_row

PROGRESS_STEPS = 10_000  # SQLite VM instructions between two timeout checks
SQLITE_TYPE_NAMES = {int: "integer", float: "real", str: "text", bytes: "blob"}
# functions that reach outside the experiment's file (the last three exist only where a
# build or the sqlite3 shell adds them)
DENIED_FUNCTIONS = {"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"}
# pragmas whose argument names a table or index (reading, not a setting)
PRAGMAS_WITH_ARGUMENT = {
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
}  # fmt: skip
T = TypeVar("T")


class SqliteAdapter(WarehouseAdapter):
    """SQLite warehouse: ``{data_dir}/sqlite/{experiment}.sqlite``, tables in ``main``."""

    warehouse = Warehouse.SQLITE

    def __init__(self, connection: SqliteConnection):
        super().__init__()
        self.config = connection
        self._connections: dict[str, sqlite3.Connection] = {}

    def path(self, experiment: Experiment) -> Path:
        return self.config.directory / f"{experiment.name}.sqlite"

    def _connect(self, experiment: Experiment, *, create: bool = False) -> sqlite3.Connection:
        conn = self._connections.get(experiment.name)
        if conn is not None:
            return conn
        path = self.path(experiment)
        if not create and not path.exists():
            raise WarehouseError(
                f"experiment {experiment.name} is not materialized (no file {path})",
                warehouse=self.warehouse,
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise WarehouseError(f"cannot open {path}: {exc}", warehouse=self.warehouse) from None
        if hasattr(conn, "enable_load_extension"):  # off by default; kept off explicitly
            conn.enable_load_extension(False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=10000")
        self._connections[experiment.name] = conn
        return conn

    def materialize(self, experiment: Experiment) -> None:
        conn = self._connect(experiment, create=True)
        ddl = render_schema(experiment, self.warehouse, prefix="")
        try:
            conn.execute("BEGIN IMMEDIATE")
            existing = conn.execute(
                "SELECT type, name FROM sqlite_schema "
                "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            for kind, name in existing:
                conn.execute(f"DROP {kind.upper()} IF EXISTS {ident(name, self.warehouse)}")
            for statement in ddl.statements:
                conn.execute(statement)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise WarehouseError(
                f"cannot create the tables of experiment {experiment.name}: {exc}",
                warehouse=self.warehouse,
            ) from None

    @contextlib.contextmanager
    def _load_transaction(self, experiment: Experiment) -> Iterator[None]:
        conn = self._connect(experiment)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # an interrupted statement has rolled it back already
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _replace_rows(
        self,
        experiment: Experiment,
        table_name: str,
        run: RunManifest,
        layout: RunLayout,
        bucket: str,
    ) -> int:
        from dwsim_shared.warehouses.staged import StagedFileError, iter_row_batches

        table = self._table(experiment, table_name)
        staged = self._staged(run, table_name)
        conn = self._connect(experiment)
        name = ident(table.name, self.warehouse)
        columns = ", ".join(ident(c.name, self.warehouse) for c in table.columns)
        insert = f"INSERT INTO {name} ({columns}) VALUES ({', '.join('?' * len(table.columns))})"
        loaded = 0
        try:  # cancel interrupts the statement (sqlite3's interrupt), checked between batches too
            self._check_load_cancel(table.name, loaded)
            conn.execute(f"DELETE FROM {name}")

            def stop() -> None:  # also while a file's download waits
                self._check_load_cancel(table.name, loaded)

            batches = iter_row_batches(self.config.s3, layout, bucket, staged, table, stop)
            for _file, rows in batches:
                self._check_load_cancel(table.name, loaded)
                conn.executemany(insert, rows)
                loaded += len(rows)
        except StagedFileError as exc:
            raise WarehouseError(
                f"{exc}; the table was left as it was", warehouse=self.warehouse, table=table.name
            ) from None
        except sqlite3.Error as exc:
            if str(exc) == "interrupted" and self._cancel_requested.is_set():
                raise self._load_cancelled(table.name, f"the load after {loaded} rows") from None
            raise WarehouseError(
                f"load failed after {loaded} rows: {exc}; the table was left as it was",
                warehouse=self.warehouse,
                table=table.name,
            ) from None
        self._check_count(table.name, staged.rows, loaded)
        return loaded

    def _check_load_cancel(self, table: str, loaded: int) -> None:
        if self._cancel_requested.is_set():
            raise self._load_cancelled(table, f"the load after {loaded} rows")

    def _delete_rows(self, experiment: Experiment, table_name: str) -> None:
        """``cancel`` interrupts the DELETE (sqlite3's interrupt), checked before it too."""
        if self._cancel_requested.is_set():
            raise self._load_cancelled(table_name, "DELETE", "the reset")
        try:
            self._connect(experiment).execute(f"DELETE FROM {ident(table_name, self.warehouse)}")
        except sqlite3.Error as exc:
            if str(exc) == "interrupted" and self._cancel_requested.is_set():
                raise self._load_cancelled(table_name, "DELETE", "the reset") from None
            raise WarehouseError(
                f"cannot empty the table: {exc}; every table was left as it was",
                warehouse=self.warehouse,
                table=table_name,
            ) from None

    def drop(self, experiment: Experiment) -> None:
        conn = self._connections.pop(experiment.name, None)
        if conn is not None:
            conn.close()
        path = self.path(experiment)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def count_rows(self, experiment: Experiment, table_name: str) -> int:
        table = self._table(experiment, table_name)
        conn = self._connect(experiment)
        try:
            (count,) = conn.execute(
                f"SELECT COUNT(*) FROM {ident(table.name, self.warehouse)}"
            ).fetchone()
        except sqlite3.Error as exc:
            raise WarehouseError(
                f"cannot count rows: {exc}", warehouse=self.warehouse, table=table.name
            ) from None
        return int(count)

    def query(
        self,
        experiment: Experiment,
        sql: str,
        *,
        limit: int = DEFAULT_QUERY_LIMIT,
        timeout_s: float = DEFAULT_QUERY_TIMEOUT_S,
    ) -> QueryResult:
        self._check_limit(limit, timeout_s)
        conn = self._connect(experiment)
        start = time.monotonic()
        with _UserStatement(self, conn, timeout_s) as statement:
            names, fetched = statement.run(lambda: _execute(conn, sql, limit + 1))
        rows = fetched[:limit]
        columns = [ColumnInfo(name=n, type=_column_type(rows, i)) for i, n in enumerate(names)]
        return self._limited_result(columns, fetched, limit, start, json_safe_row)

    def iter_query(
        self,
        experiment: Experiment,
        sql: str,
        *,
        timeout_s: float = DEFAULT_QUERY_TIMEOUT_S,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> RowStream:
        """SQLite computes rows as they are fetched: each fetch gets ``timeout_s``."""
        self._check_batch(batch_rows, timeout_s)
        conn = self._connect(experiment)
        statement = _UserStatement(self, conn, timeout_s).__enter__()
        try:
            cursor = statement.run(lambda: conn.execute(sql))
            first = (
                statement.run(lambda: cursor.fetchmany(batch_rows)) if cursor.description else []
            )
        except BaseException:
            statement.__exit__()
            raise
        names = [d[0] for d in cursor.description or []]

        def fetch() -> list[list]:
            if not cursor.description:
                return []
            return [json_safe_row(r) for r in statement.run(lambda: cursor.fetchmany(batch_rows))]

        def cleanup() -> None:
            try:
                cursor.close()
            finally:
                statement.__exit__()

        return RowStream(
            columns=[ColumnInfo(name=n, type=_column_type(first, i)) for i, n in enumerate(names)],
            first=[json_safe_row(r) for r in first],
            fetch=fetch,
            cleanup=cleanup,
        )

    def cancel(self) -> None:
        self._cancel_requested.set()
        for conn in list(self._connections.values()):
            with contextlib.suppress(sqlite3.Error):  # closed meanwhile
                conn.interrupt()

    def close(self) -> None:
        while self._connections:
            _, conn = self._connections.popitem()
            conn.close()


class _UserStatement:
    """What holds while a user's statement runs: an authorizer confining it to the
    experiment's own file, and a progress handler stopping it at its timeout or on cancel."""

    def __init__(self, adapter: SqliteAdapter, conn: sqlite3.Connection, timeout_s: float):
        self.adapter = adapter
        self.conn = conn
        self.timeout_s = timeout_s
        self.deadline = time.monotonic() + timeout_s
        self.denied: str | None = None

    def __enter__(self) -> "_UserStatement":
        self.adapter._check_cancel()
        self.conn.set_progress_handler(self._progress, PROGRESS_STEPS)
        self.conn.set_authorizer(self._authorize)
        return self

    def __exit__(self, *exc: object) -> None:
        self.adapter._cancel_requested.clear()  # a cancel that came too late is not kept
        self.conn.set_progress_handler(None, 0)
        self.conn.set_authorizer(None)
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def run(self, step: Callable[[], T]) -> T:
        """One step (execute, fetch) with ``timeout_s`` of its own; errors as QueryError."""
        self.deadline = time.monotonic() + self.timeout_s
        try:
            return step()
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None
        except (sqlite3.Error, ValueError) as exc:
            raise QueryError(str(exc), warehouse=self.adapter.warehouse) from None

    def _progress(self) -> int:
        return int(self.adapter._cancel_requested.is_set() or time.monotonic() > self.deadline)

    def _authorize(self, action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
        denied = None
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            denied = "ATTACH" if action == sqlite3.SQLITE_ATTACH else "DETACH"
        elif action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
            denied = f"the function {arg2}()"
        elif (
            action == sqlite3.SQLITE_PRAGMA
            and arg2 is not None
            and (arg1 or "").lower() not in PRAGMAS_WITH_ARGUMENT
        ):
            denied = f"setting PRAGMA {arg1}"
        if denied is None:
            return sqlite3.SQLITE_OK
        self.denied = denied
        return sqlite3.SQLITE_DENY

    def _error(self, exc: sqlite3.DatabaseError) -> QueryError:
        warehouse = self.adapter.warehouse
        message = str(exc)
        if "not authorized" in message or "authorization denied" in message:
            return QueryError(
                f"{self.denied or 'this statement'} is not allowed: a query sees only the "
                "experiment's own file (ATTACH, DETACH, VACUUM INTO, load_extension() and "
                "changing PRAGMA settings are refused)",
                warehouse=warehouse,
            )
        if message == "interrupted":
            if self.adapter._cancel_requested.is_set():
                return self.adapter._cancelled()
            if time.monotonic() > self.deadline:
                return self.adapter._timeout(self.timeout_s)
        return QueryError(message, warehouse=warehouse)


def _execute(conn: sqlite3.Connection, sql: str, rows: int) -> tuple[list[str], list[tuple]]:
    cursor = conn.execute(sql)
    try:
        fetched = cursor.fetchmany(rows) if cursor.description else []
        return [d[0] for d in cursor.description or []], fetched
    finally:
        cursor.close()


def _column_type(rows: list[tuple], index: int) -> str:
    """SQLite types values, not columns: the storage class of the returned values (``real``
    when integers and reals mix, as in a DECIMAL column; ``null`` when every value is)."""
    classes = {SQLITE_TYPE_NAMES.get(type(r[index]), "text") for r in rows if r[index] is not None}
    if classes == {"integer", "real"}:
        return "real"
    if len(classes) == 1:
        return classes.pop()
    return "text" if classes else "null"
