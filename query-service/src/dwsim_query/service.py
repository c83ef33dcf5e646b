"""Running a user's SQL on an experiment's warehouse: JSON results, CSV streams, cancels.

The experiment comes from the metadata service; each query gets its own adapter (adapters
are not thread-safe), registered under its id while it runs so that it can be cancelled.
"""

import logging
import time
from collections.abc import Callable, Iterator

from dwsim_query.config import Settings
from dwsim_query.csv_format import csv_lines
from dwsim_query.guard import NotAllowedError, check_allowed
from dwsim_query.isolation import check_isolated
from dwsim_query.profiling import TableProfiler
from dwsim_query.running import RunningQueries, RunningQuery
from dwsim_shared.contracts.api import QueryRequest, TableProfile
from dwsim_shared.contracts.enums import CancelStatus, Warehouse
from dwsim_shared.contracts.query import ProfileRequest, QueryResult
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.errors import DwsimError
from dwsim_shared.logs import log_event
from dwsim_shared.metadata_client import MetadataClient, NotFoundError
from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses import QueryTimeoutError, WarehouseAdapter, get_adapter
from dwsim_shared.warehouses.base import DEFAULT_QUERY_LIMIT, QueryCancelledError, RowStream
from dwsim_shared.warehouses.registry import connection_from_settings

log = logging.getLogger("dwsim_query")

SQL_LOG_CHARS = 200  # of a query's SQL in its log line (values beyond are not logged)

AdapterFactory = Callable[[Warehouse, DwsimSettings], WarehouseAdapter]


class ExperimentNotFoundError(DwsimError):
    pass


class QueryLog:
    """The one log line of a query: experiment, outcome, rows, elapsed time, SQL's start."""

    def __init__(self, query_id: str, experiment: Experiment, sql: str, output: str):
        self.fields = {
            "query_id": query_id,
            "experiment": experiment.name,
            "warehouse": experiment.warehouse.value,
            "format": output,
            "sql": sql[:SQL_LOG_CHARS],
        }
        self.start = time.monotonic()

    def ok(self, rows: int, **fields: object) -> None:
        self._write("ok", rows=rows, **fields)

    def failed(self, exc: BaseException, rows: int = 0) -> None:
        if isinstance(exc, QueryCancelledError):
            status = "cancelled"
        elif isinstance(exc, QueryTimeoutError):
            status = "timeout"
        elif isinstance(exc, NotAllowedError):
            status = "refused"
        else:
            status = "error"
        self._write(status, rows=rows, error=str(exc) or type(exc).__name__)

    def _write(self, status: str, **fields: object) -> None:
        elapsed_ms = round((time.monotonic() - self.start) * 1000, 3)
        level = logging.INFO if status in ("ok", "cancelled") else logging.WARNING
        log_event(
            log, "query.finished", level, status=status, elapsed_ms=elapsed_ms,
            **self.fields, **fields,
        )  # fmt: skip


class QueryService:
    def __init__(
        self,
        settings: Settings,
        metadata: MetadataClient | None = None,
        adapters: AdapterFactory = get_adapter,
    ):
        self.settings = settings
        self.metadata = metadata or MetadataClient(settings.metadata_url)
        self.adapters = adapters
        self.running = RunningQueries()

    def close(self) -> None:
        self.metadata.close()

    def experiment(self, name: str) -> Experiment:
        try:
            return self.metadata.get_experiment(name).schema_
        except NotFoundError:
            raise ExperimentNotFoundError(f"experiment {name} does not exist") from None

    def limits(self, request: QueryRequest) -> tuple[int, float]:
        """(row limit, timeout): the request's, else the defaults; the limit capped."""
        limit = DEFAULT_QUERY_LIMIT if request.limit is None else request.limit
        timeout_s = request.timeout_s or self.settings.query_timeout_s
        return min(limit, self.settings.query_max_limit), timeout_s

    def check_isolated(self, experiment: Experiment, sql: str) -> None:
        """Snowflake: refuse SQL naming another experiment's schema (the emulator has no
        grants); Redshift's experiment users and SQLite's files keep experiments apart."""
        if experiment.warehouse == Warehouse.SNOWFLAKE:
            database = connection_from_settings(Warehouse.SNOWFLAKE, self.settings).database
            check_isolated(experiment, sql, database)

    def run(self, name: str, request: QueryRequest, query_id: str) -> QueryResult:
        return self.run_on(self.experiment(name), request, query_id)

    def run_on(self, experiment: Experiment, request: QueryRequest, query_id: str) -> QueryResult:
        """At most ``limit`` rows, as a ``QueryResult``."""
        limit, timeout_s = self.limits(request)
        record = QueryLog(query_id, experiment, request.sql, "json")
        try:
            check_allowed(experiment.warehouse, request.sql)
            self.check_isolated(experiment, request.sql)
            adapter = self.adapters(experiment.warehouse, self.settings)
            try:
                with self.running.track(query_id, experiment.name, adapter):
                    result = adapter.query(
                        experiment, request.sql, limit=limit, timeout_s=timeout_s
                    )
            finally:
                adapter.close()
        except BaseException as exc:
            record.failed(exc)
            raise
        record.ok(result.row_count, truncated=result.truncated)
        return result

    def open_csv(self, name: str, request: QueryRequest, query_id: str) -> "CsvExport":
        return self.open_csv_on(self.experiment(name), request, query_id)

    def open_csv_on(
        self, experiment: Experiment, request: QueryRequest, query_id: str
    ) -> "CsvExport":
        """Start the statement (errors raise here, before any byte is sent) and return its
        rows as CSV chunks; EVERY row, ``csv_batch_rows`` at a time. Close the export."""
        _, timeout_s = self.limits(request)
        record = QueryLog(query_id, experiment, request.sql, "csv")
        try:
            check_allowed(experiment.warehouse, request.sql)
            self.check_isolated(experiment, request.sql)
            adapter = self.adapters(experiment.warehouse, self.settings)
            try:
                running = self.running.add(query_id, experiment.name, adapter)
                try:
                    stream = adapter.iter_query(
                        experiment,
                        request.sql,
                        timeout_s=timeout_s,
                        batch_rows=self.settings.csv_batch_rows,
                    )
                except BaseException:
                    self.running.remove(running)
                    raise
            except BaseException:
                adapter.close()
                raise
        except BaseException as exc:
            record.failed(exc)
            raise
        return CsvExport(stream, adapter, running, self.running, record)

    def profile(self, name: str, request: ProfileRequest, query_id: str) -> TableProfile:
        """The table's column profile, computed by the warehouse (a few aggregate statements,
        each under the timeout); cancelled like a query, by its id."""
        experiment = self.experiment(name)
        profiler = TableProfiler(experiment, request)  # unknown names: refused here
        timeout_s = request.timeout_s or self.settings.query_timeout_s
        what = f"-- profile of {profiler.table.name} ({len(profiler.columns)} columns)"
        record = QueryLog(query_id, experiment, what, "profile")
        try:
            adapter = self.adapters(experiment.warehouse, self.settings)
            try:
                with self.running.track(query_id, experiment.name, adapter):
                    result = profiler.profile(
                        lambda sql, limit: adapter.query(
                            experiment, sql, limit=limit, timeout_s=timeout_s
                        )
                    )
            finally:
                adapter.close()
        except BaseException as exc:
            record.failed(exc)
            raise
        record.ok(result.rows, columns=len(result.columns))
        return result

    def cancel(self, query_id: str) -> CancelStatus | None:
        """Stop a running query (None: no query runs under that id)."""
        running = self.running.get(query_id)
        if running is None:
            return None
        if running.cancel_and_wait(self.settings.cancel_wait_s):
            return CancelStatus.CANCELLED
        return CancelStatus.CANCELLING


class CsvExport:
    """A statement's rows as CSV chunks: the header and first batch, then a batch per chunk.

    ``next_chunk`` and ``close`` are called one after the other (from any thread); ``cancel``
    from any thread at any time. ``close`` ends the statement and frees its connection.
    """

    def __init__(
        self,
        stream: RowStream,
        adapter: WarehouseAdapter,
        running: RunningQuery,
        registry: RunningQueries,
        record: QueryLog,
    ):
        self.columns = stream.columns
        self._stream = stream
        self._batches = iter(stream)
        self._adapter = adapter
        self._running = running
        self._registry = registry
        self._record = record
        self._started = False
        self._complete = False
        self._error: BaseException | None = None
        self._closed = False
        self.rows = 0

    def next_chunk(self) -> bytes | None:
        """The next CSV bytes, or None after the last row."""
        try:
            header = b""
            if not self._started:
                self._started = True
                header = csv_lines([[c.name for c in self.columns]])
            if self._running.cancelled.is_set():
                raise QueryCancelledError(
                    "the query was cancelled", warehouse=self._adapter.warehouse
                )
            batch = next(self._batches, None)
        except BaseException as exc:
            self._error = exc
            raise
        if batch is None:
            self._complete = True
            return header or None
        self.rows += len(batch)
        return header + csv_lines(batch)

    def chunks(self) -> Iterator[bytes]:
        while (chunk := self.next_chunk()) is not None:
            yield chunk

    def cancel(self) -> None:
        self._running.cancel()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._stream.close()
        finally:
            self._registry.remove(self._running)
            self._adapter.close()
            if self._complete:
                self._record.ok(self.rows)
            else:
                error = self._error or QueryCancelledError(
                    "the client went away before the last row",
                    warehouse=self._adapter.warehouse,
                )
                self._record.failed(error, rows=self.rows)
