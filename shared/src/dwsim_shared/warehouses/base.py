"""The one interface every warehouse adapter implements, and the query-result contract.

The data-loader and query-service talk to warehouses only through ``WarehouseAdapter``;
``QueryResult`` (in contracts) is what they return for a query.
"""

import contextlib
import os
import socket
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, ClassVar

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.graph import load_order
from dwsim_shared.contracts.jobs import RunManifest, TableManifest
from dwsim_shared.contracts.query import ColumnInfo, QueryResult
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment, Table
from dwsim_shared.errors import DwsimError

DEFAULT_QUERY_LIMIT = 1000
DEFAULT_QUERY_TIMEOUT_S = 30.0
DEFAULT_BATCH_ROWS = 10_000  # rows per batch of a streamed query


class WarehouseError(DwsimError):
    """A warehouse operation failed; the message names the warehouse and the table."""

    def __init__(self, message: str, *, warehouse: Warehouse, table: str | None = None):
        self.warehouse = warehouse
        self.table = table
        self.detail = message
        where = f"{warehouse.value}" + (f", table {table}" if table else "")
        super().__init__(f"{where}: {message}")


class WarehouseUnavailableError(WarehouseError):
    """The warehouse server could not be reached (the message gives its address)."""


class QueryError(WarehouseError):
    """The user's SQL failed in the warehouse (syntax, unknown table...)."""


class QueryTimeoutError(QueryError):
    """The user's SQL ran past its statement timeout and was stopped."""


class QueryCancelledError(QueryError):
    """The user's SQL was stopped by ``WarehouseAdapter.cancel`` before it finished."""


TableCallback = Callable[[str, int], None]
RowBatch = list[list[Any]]


class RowStream:
    """A streamed query's result: ``columns`` at once, then the rows in batches (JSON-safe,
    as in ``QueryResult``) while iterating, so memory holds one batch at a time.

    The statement stays open until ``close`` (always call it, or use ``with``: a stream that
    is never iterated still holds a cursor and a transaction).
    """

    def __init__(
        self,
        columns: list[ColumnInfo],
        first: RowBatch,
        fetch: Callable[[], RowBatch],
        cleanup: Callable[[], None],
    ):
        self.columns = columns
        self._first: RowBatch | None = first
        self._fetch = fetch
        self._cleanup: Callable[[], None] | None = cleanup

    def __iter__(self) -> Iterator[RowBatch]:
        if self._first:
            first, self._first = self._first, None
            yield first
        while self._cleanup is not None:
            batch = self._fetch()
            if not batch:
                return
            yield batch

    def close(self) -> None:
        cleanup, self._cleanup = self._cleanup, None
        if cleanup is not None:
            cleanup()

    def __enter__(self) -> "RowStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WarehouseAdapter(ABC):
    """Materialize, load, truncate, drop and query one experiment's objects in a warehouse.

    Each experiment gets its own namespace (a Redshift schema, a Snowflake database, a SQLite
    file). An adapter holds its connection(s) open until ``close``; it is not thread-safe, so
    use one adapter per thread. Every failure is a ``WarehouseError`` naming what failed.
    """

    warehouse: ClassVar[Warehouse]

    def __init__(self) -> None:
        # set by cancel() from any thread: the running (or next) statement stops with
        # QueryCancelledError; cleared when a statement ends
        self._cancel_requested = threading.Event()
        self._abandoned = threading.Event()  # set by abandon(): nothing is committed any more

    @abstractmethod
    def materialize(self, experiment: Experiment) -> None:
        """Create the experiment's namespace and every table in the warehouse's own dialect.

        Idempotent: re-materializing drops the namespace's objects and creates the tables anew.
        """

    def load_table(
        self,
        experiment: Experiment,
        table_name: str,
        run: RunManifest,
        layout: RunLayout,
        bucket: str,
    ) -> int:
        """Load one table of a staged run in ONE transaction and return the rows loaded.

        Existing rows are removed first, so re-loading never duplicates rows. If the loaded row
        count differs from the manifest's, or the copy fails, the transaction is rolled back
        (the table is left as it was) and a ``WarehouseError`` names table, expected and got.
        """
        with self._load_transaction(experiment):
            return self._replace_rows(experiment, table_name, run, layout, bucket)

    def load_run(
        self,
        experiment: Experiment,
        run: RunManifest,
        layout: RunLayout,
        bucket: str,
        on_table: TableCallback | None = None,
        before_commit: Callable[[], object] | None = None,
    ) -> dict[str, int]:
        """Load every table of the run, parents first, all in ONE transaction, as ``load_table``
        loads one; ``on_table(table, rows)`` after each and ``before_commit()`` after the last,
        inside the transaction: if a table fails, either raises (the load's job was
        cancelled), or ``cancel`` stops a statement (``QueryCancelledError``), every table is
        rolled back and the warehouse is as it was before the load."""
        loaded: dict[str, int] = {}
        with self._load_transaction(experiment):
            for name in load_order(experiment):
                rows = self._replace_rows(experiment, name, run, layout, bucket)
                loaded[name] = rows
                if on_table is not None:
                    on_table(name, rows)
            self._before_commit(before_commit, "the load")
        return loaded

    @abstractmethod
    def _load_transaction(self, experiment: Experiment) -> AbstractContextManager[None]:
        """A transaction for a load: committed when the block ends, rolled back if it raises."""

    @abstractmethod
    def _replace_rows(
        self,
        experiment: Experiment,
        table_name: str,
        run: RunManifest,
        layout: RunLayout,
        bucket: str,
    ) -> int:
        """Inside ``_load_transaction``: delete the table's rows, copy the run's in, check the
        count against the manifest (``WarehouseError`` naming the table if it differs)."""

    def truncate(
        self, experiment: Experiment, before_commit: Callable[[], object] | None = None
    ) -> None:
        """Remove every row of every table of the experiment, keeping the tables, in ONE
        transaction, as a load's; ``before_commit()`` is called inside it, after the last table
        is emptied and right before the COMMIT. If a statement fails, ``before_commit`` raises
        (whatever the error, e.g. the reset's job was cancelled), or ``cancel`` stops a
        statement (``QueryCancelledError``), the transaction is rolled back: every table keeps
        its rows."""
        with self._load_transaction(experiment):
            for name in reversed(load_order(experiment)):
                self._delete_rows(experiment, name)
            self._before_commit(before_commit, "the reset")

    @abstractmethod
    def _delete_rows(self, experiment: Experiment, table_name: str) -> None:
        """Inside ``_load_transaction``: DELETE every row of the table (not TRUNCATE, which
        commits at once in Redshift), a statement ``cancel`` stops (``QueryCancelledError``:
        ``_load_cancelled(table, "DELETE", "the reset")``), a failure a ``WarehouseError``
        naming the table."""

    @abstractmethod
    def drop(self, experiment: Experiment) -> None:
        """Drop the experiment's namespace and everything in it (no error if it is gone)."""

    @abstractmethod
    def count_rows(self, experiment: Experiment, table_name: str) -> int:
        """Number of rows in one of the experiment's tables."""

    @abstractmethod
    def query(
        self,
        experiment: Experiment,
        sql: str,
        *,
        limit: int = DEFAULT_QUERY_LIMIT,
        timeout_s: float = DEFAULT_QUERY_TIMEOUT_S,
    ) -> QueryResult:
        """Run the user's SQL (warehouse dialect) with the experiment's namespace as default.

        At most ``limit`` rows are returned (``truncated`` says whether more existed); a
        statement running longer than ``timeout_s`` is stopped with ``QueryTimeoutError``;
        SQL the warehouse rejects raises ``QueryError`` with the warehouse's message.
        """

    @abstractmethod
    def iter_query(
        self,
        experiment: Experiment,
        sql: str,
        *,
        timeout_s: float = DEFAULT_QUERY_TIMEOUT_S,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> RowStream:
        """Run the user's SQL like ``query``, but stream EVERY row, ``batch_rows`` at a time.

        The statement has run (and its first batch is fetched) when this returns, so SQL the
        warehouse rejects raises here; ``timeout_s`` bounds each fetch. Close the stream.
        """

    @abstractmethod
    def cancel(self) -> None:
        """Stop the statement running in ``query``/``iter_query``, in a load (``load_run``,
        ``load_table``) or in ``truncate``; the one method that may be called from another
        thread. The statement fails with ``QueryCancelledError`` (a load or truncate is rolled
        back); with no statement running, the next one does."""

    def abandon(self) -> None:
        """Give up on a load's or a reset's statement running in another thread that ``cancel``
        has not stopped (``dwsim_loader.grace``); safe from another thread. Nothing is committed
        any more, and the connections the statement may be blocked on (``_blocking_sockets``)
        are shut down, so the blocked call returns and the server ends the session, rolling
        its transaction back. The adapter is not to be used again, only closed."""
        self._abandoned.set()
        self._cancel_requested.set()
        for fd in self._blocking_sockets():
            with contextlib.suppress(OSError):  # closed meanwhile, or not a socket
                sock = socket.socket(fileno=os.dup(fd))
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                finally:
                    sock.close()  # the duplicate only: the driver closes its own

    def _blocking_sockets(self) -> list[int]:
        """The file descriptors of the open connections a statement may be blocked reading,
        for ``abandon``. None by default: the Snowflake connector keeps the socket of a request
        in flight to itself, and SQLite's loads read S3 through boto3; their abandoned
        statement returns when its read does (then rolls back)."""
        return []

    @abstractmethod
    def close(self) -> None:
        """Close every connection the adapter opened (it may be used again afterwards)."""

    def __enter__(self) -> "WarehouseAdapter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # helpers shared by the adapters

    def _table(self, experiment: Experiment, table_name: str) -> Table:
        try:
            return experiment.table(table_name)
        except KeyError:
            raise WarehouseError(
                f"experiment {experiment.name} has no table {table_name}",
                warehouse=self.warehouse,
                table=table_name,
            ) from None

    def _staged(self, run: RunManifest, table_name: str) -> TableManifest:
        staged = run.tables.get(table_name)
        if staged is None:
            raise WarehouseError(
                f"run {run.run_id} staged no files for this table "
                f"(it has: {', '.join(sorted(run.tables)) or 'no tables'})",
                warehouse=self.warehouse,
                table=table_name,
            )
        return staged

    def _check_count(self, table_name: str, expected: int, got: int) -> None:
        if expected != got:
            raise WarehouseError(
                f"loaded {got} rows but the run's manifest says {expected}; "
                "the load was rolled back and the table left as it was",
                warehouse=self.warehouse,
                table=table_name,
            )

    def _cancelled(self) -> QueryCancelledError:
        """The error for a cancelled statement (and the request is used up)."""
        self._cancel_requested.clear()
        return QueryCancelledError("the query was cancelled", warehouse=self.warehouse)

    def _before_commit(self, before_commit: Callable[[], object] | None, operation: str) -> None:
        """Inside a load's or a reset's transaction, right before its COMMIT: ``before_commit``;
        ``QueryCancelledError`` (rolled back) if the adapter was abandoned before or during it."""
        for call in (None, before_commit):
            if call is not None:
                call()
            if self._abandoned.is_set():
                raise QueryCancelledError(
                    f"{operation} was abandoned after its cancel; it was rolled back",
                    warehouse=self.warehouse,
                )

    def _check_cancel(self) -> None:
        if self._cancel_requested.is_set():
            raise self._cancelled()

    def _load_cancelled(
        self, table: str, step: str, operation: str = "the load"
    ) -> QueryCancelledError:
        """The error for a statement of a load (or of ``operation``, e.g. "the reset") stopped
        by ``cancel`` (the request is used up)."""
        self._cancel_requested.clear()
        return QueryCancelledError(
            f"{step} was cancelled; {operation} was rolled back", warehouse=self.warehouse,
            table=table,
        )  # fmt: skip

    def _timeout(self, timeout_s: float) -> QueryTimeoutError:
        return QueryTimeoutError(
            f"query stopped after {timeout_s:g} s (the statement timeout)",
            warehouse=self.warehouse,
        )

    @staticmethod
    def _check_batch(batch_rows: int, timeout_s: float) -> None:
        if batch_rows < 1:
            raise ValueError(f"batch_rows must be 1 or more, got {batch_rows}")
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {timeout_s}")

    @staticmethod
    def _limited_result(
        columns: list[ColumnInfo],
        fetched: list[Any],
        limit: int,
        started: float,
        to_json: Callable[[Any], list[Any]],
    ) -> QueryResult:
        """The first ``limit`` of ``limit + 1`` fetched rows, as JSON-safe lists; ``truncated``
        says whether the extra row was there. ``started`` is a ``time.monotonic()`` reading."""
        rows = fetched[:limit]
        return QueryResult(
            columns=columns,
            rows=[to_json(r) for r in rows],
            row_count=len(rows),
            truncated=len(fetched) > limit,
            elapsed_ms=round((time.monotonic() - started) * 1000, 3),
        )

    @staticmethod
    def _check_limit(limit: int, timeout_s: float) -> None:
        if limit < 0:
            raise ValueError(f"limit must be 0 or more, got {limit}")
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {timeout_s}")
