"""A job's warehouse statements (a load's, a reset's), run so that a cancel is never waited on
for longer than a grace period.

Once the job has ended (cancelled), the heartbeat calls ``stop``, which calls the adapter's
``cancel``: most statements stop within a second. A statement that neither the warehouse nor
the emulator can stop at once (a ``COPY`` waiting on one S3 read, which lasts as long as S3
takes: minutes with the retry settings) would hold the task until that read ends. So the
statements run in a thread of their own while the task's thread waits for them; once
``grace_s`` (``DWSIM_LOADER_CANCEL_GRACE_S``) have passed since the first ``stop`` and they
have not returned, the adapter is abandoned (``WarehouseAdapter.abandon``: nothing is committed
any more, and the sockets it can reach are shut down, so the blocked call returns and the
server ends the session, rolling its transaction back), and the task goes on at once with
``QueryCancelledError``: the job ends cancelled. The abandoned thread ends on its own when its
call returns (at once on Redshift, when the S3 read ends on Snowflake and SQLite): it rolls
back, closes the adapter, and logs how it ended.
"""

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from dwsim_shared.logs import log_event
from dwsim_shared.warehouses import QueryCancelledError, WarehouseAdapter

logger = logging.getLogger("dwsim_loader.grace")

POLL_S = 0.05  # how often the waiting thread looks at the clock
T = TypeVar("T")


class StatementRunner:
    """Runs ``work(adapter)`` once (``run``); ``stop`` may be called from any thread."""

    def __init__(self, adapter: WarehouseAdapter, grace_s: float, operation: str = "the load"):
        self.adapter = adapter
        self.grace_s = grace_s
        self.operation = operation
        self._stopped_at: float | None = None  # time.monotonic() of the first stop
        self._lock = threading.Lock()
        self._finished = False
        self._abandoned_at: float | None = None  # time.monotonic(), once abandoned
        self._outcome: dict[str, Any] = {}

    def stop(self) -> None:
        """The job has ended: cancel the statement running (at every call: one sent between two
        statements finds none); the grace period runs from the first call."""
        if self._stopped_at is None:
            self._stopped_at = time.monotonic()
        self.adapter.cancel()

    def run(self, work: Callable[[WarehouseAdapter], T]) -> T:
        """``work(adapter)`` in a thread of its own, then the adapter closed: its result or its
        error, or ``QueryCancelledError`` as soon as a stop has gone unanswered for
        ``grace_s``."""
        context = contextvars.copy_context()  # the job's log fields
        thread = threading.Thread(target=context.run, args=(self._work, work), daemon=True,
                                  name="dwsim-loader-statements")  # fmt: skip
        thread.start()
        while thread.is_alive():
            stopped_at = self._stopped_at
            if stopped_at is not None and time.monotonic() - stopped_at >= self.grace_s:
                error = self._abandon(stopped_at)
                if error is not None:
                    raise error
                break  # it has just returned
            thread.join(POLL_S)
        thread.join()
        if "error" in self._outcome:
            raise self._outcome["error"]
        return self._outcome["result"]

    def _work(self, work: Callable[[WarehouseAdapter], T]) -> None:
        try:
            try:
                self._outcome["result"] = work(self.adapter)
            finally:
                self.adapter.close()
        except BaseException as exc:  # handed to the waiting thread
            self._outcome["error"] = exc
        with self._lock:
            self._finished = True
            abandoned_at = self._abandoned_at
        if abandoned_at is not None:  # nobody waits for it any more: say how it ended
            error = self._outcome.get("error")
            log_event(logger, "loader.abandoned_statement_ended",
                      seconds_after_abandon=round(time.monotonic() - abandoned_at, 1),
                      outcome=f"{type(error).__name__}: {error}" if error else "returned")  # fmt: skip

    def _abandon(self, stopped_at: float) -> QueryCancelledError | None:
        """Give up on the statement (None if it returned meanwhile)."""
        with self._lock:
            if self._finished:
                return None
            self._abandoned_at = time.monotonic()
        waited = round(self._abandoned_at - stopped_at, 1)
        try:
            self.adapter.abandon()
        except Exception as exc:  # best effort: the task stops waiting either way
            log_event(logger, "loader.abandon_failed", logging.WARNING,
                      error=f"{type(exc).__name__}: {exc}")  # fmt: skip
        log_event(logger, "loader.statement_abandoned", logging.WARNING, seconds=waited,
                  grace_s=self.grace_s, warehouse=self.adapter.warehouse.value)  # fmt: skip
        return QueryCancelledError(
            f"the statement running for {self.operation} did not stop within "
            f"{self.grace_s:g} s of the cancel; it was abandoned after {waited:g} s (its "
            f"connection given up) and {self.operation} was not committed",
            warehouse=self.adapter.warehouse,
        )
