"""The queries running now, by id, so that ``POST /queries/{id}/cancel`` can stop one."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from dwsim_shared.errors import DwsimError
from dwsim_shared.warehouses import WarehouseAdapter

RETRY_S = 0.2  # between two cancels of a query that has not stopped yet


class QueryIdInUseError(DwsimError):
    """Two running queries cannot share an id (the second would be uncancellable)."""


@dataclass
class RunningQuery:
    query_id: str
    experiment: str
    adapter: WarehouseAdapter
    started: float = field(default_factory=time.monotonic)
    cancelled: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cancel(self) -> None:
        """Ask the warehouse to stop the statement (a no-op once the query is done)."""
        with self._lock:  # never cancel on a connection being closed
            if self.done.is_set():
                return
            self.cancelled.set()
            self.adapter.cancel()

    def cancel_and_wait(self, wait_s: float) -> bool:
        """Cancel, again every ``RETRY_S`` (a cancel that arrived just before the statement
        began is lost by some drivers), until the query is done; False if it never was."""
        deadline = time.monotonic() + wait_s
        self.cancel()
        while not self.done.wait(RETRY_S):
            if time.monotonic() > deadline:
                return False
            self.cancel()
        return True

    def finish(self) -> None:
        with self._lock:
            self.done.set()


class RunningQueries:
    def __init__(self) -> None:
        self._queries: dict[str, RunningQuery] = {}
        self._lock = threading.Lock()

    def add(self, query_id: str, experiment: str, adapter: WarehouseAdapter) -> RunningQuery:
        with self._lock:
            if query_id in self._queries:
                raise QueryIdInUseError(f"a query with id {query_id} is already running")
            running = self._queries[query_id] = RunningQuery(query_id, experiment, adapter)
        return running

    def remove(self, running: RunningQuery) -> None:
        """The query is done: no cancel reaches its adapter after this returns."""
        running.finish()
        with self._lock:
            if self._queries.get(running.query_id) is running:
                del self._queries[running.query_id]

    def get(self, query_id: str) -> RunningQuery | None:
        with self._lock:
            return self._queries.get(query_id)

    @contextmanager
    def track(
        self, query_id: str, experiment: str, adapter: WarehouseAdapter
    ) -> Iterator[RunningQuery]:
        running = self.add(query_id, experiment, adapter)
        try:
            yield running
        finally:
            self.remove(running)

    def __len__(self) -> int:
        with self._lock:
            return len(self._queries)
