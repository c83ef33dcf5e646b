"""The embedded warehouse: one SQLite file per experiment, for users with no server.

Loads read the staged Parquet from S3 (boto3 + pyarrow, one record batch at a time) and insert
it with ``executemany`` inside ONE transaction per table. Foreign keys are declared but not
enforced (as in Redshift and Snowflake), so tables can be loaded and emptied in any order.
Decimals are stored with NUMERIC affinity (exact up to 15 significant digits or int64).
"""

import sqlite3
import time
from pathlib import Path

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
)
from dwsim_shared.warehouses.connections import SqliteConnection
from dwsim_shared.warehouses.render import render_schema
from dwsim_shared.warehouses.typemap import ident
from dwsim_shared.warehouses.values import json_safe_row

PROGRESS_STEPS = 10_000  # SQLite VM instructions between two timeout checks
SQLITE_TYPE_NAMES = {int: "integer", float: "real", str: "text", bytes: "blob"}


class SqliteAdapter(WarehouseAdapter):
    """SQLite warehouse: ``{data_dir}/sqlite/{experiment}.sqlite``, tables in ``main``."""

    warehouse = Warehouse.SQLITE

    def __init__(self, connection: SqliteConnection):
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

    def load_table(
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
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(f"DELETE FROM {name}")
            for _file, rows in iter_row_batches(self.config.s3, layout, bucket, staged, table):
                conn.executemany(insert, rows)
                loaded += len(rows)
            self._check_count(table.name, staged.rows, loaded)
        except StagedFileError as exc:
            conn.execute("ROLLBACK")
            raise WarehouseError(
                f"{exc}; the table was left as it was", warehouse=self.warehouse, table=table.name
            ) from None
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise WarehouseError(
                f"load failed after {loaded} rows: {exc}; the table was left as it was",
                warehouse=self.warehouse,
                table=table.name,
            ) from None
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return loaded

    def truncate(self, experiment: Experiment) -> None:
        conn = self._connect(experiment)
        try:
            conn.execute("BEGIN IMMEDIATE")
            for name in reversed(load_order(experiment)):
                conn.execute(f"DELETE FROM {ident(name, self.warehouse)}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise WarehouseError(
                f"cannot truncate experiment {experiment.name}: {exc}", warehouse=self.warehouse
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
        deadline = start + timeout_s
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
        conn.set_authorizer(_own_file_only)
        try:
            cursor = conn.execute(sql)
            fetched = cursor.fetchmany(limit + 1) if cursor.description else []
            names = [d[0] for d in cursor.description or []]
            cursor.close()
        except sqlite3.DatabaseError as exc:
            if "not authorized" in str(exc) or "authorization denied" in str(exc):
                raise QueryError(
                    f"{exc}: a query sees only the experiment's own file "
                    "(ATTACH, DETACH and VACUUM INTO are refused)",
                    warehouse=self.warehouse,
                ) from None
            if str(exc) == "interrupted" and time.monotonic() > deadline:
                raise QueryTimeoutError(
                    f"query stopped after {timeout_s:g} s (the statement timeout)",
                    warehouse=self.warehouse,
                ) from None
            raise QueryError(str(exc), warehouse=self.warehouse) from None
        except (sqlite3.Error, ValueError) as exc:
            raise QueryError(str(exc), warehouse=self.warehouse) from None
        finally:
            conn.set_progress_handler(None, 0)
            conn.set_authorizer(None)
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        rows = fetched[:limit]
        return QueryResult(
            columns=[ColumnInfo(name=n, type=_column_type(rows, i)) for i, n in enumerate(names)],
            rows=[json_safe_row(r) for r in rows],
            row_count=len(rows),
            truncated=len(fetched) > limit,
            elapsed_ms=round((time.monotonic() - start) * 1000, 3),
        )

    def close(self) -> None:
        while self._connections:
            _, conn = self._connections.popitem()
            conn.close()


def _own_file_only(action: int, *_args: object) -> int:
    """Authorizer for user SQL: no ATTACH/DETACH, which would reach any file on the host."""
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _column_type(rows: list[tuple], index: int) -> str:
    """SQLite types values, not columns: the storage class of the returned values (``real``
    when integers and reals mix, as in a DECIMAL column; ``null`` when every value is)."""
    classes = {SQLITE_TYPE_NAMES.get(type(r[index]), "text") for r in rows if r[index] is not None}
    if classes == {"integer", "real"}:
        return "real"
    if len(classes) == 1:
        return classes.pop()
    return "text" if classes else "null"
