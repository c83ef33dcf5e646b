"""STATEMENT_TIMEOUT_IN_SECONDS (ALTER SESSION SET): the server stops a statement past it.

Snowflake cancels a statement that runs longer than the session's STATEMENT_TIMEOUT_IN_SECONDS
(0, the default: 172,800 s, two days) and fails it with 630 *Statement reached its statement or
warehouse timeout of N second(s) and was canceled.* Here a timer, armed when the statement
starts, stops it as the client's abort request does (patches/cancel.py: DuckDB interrupted, a
COPY INTO between two files and a lock wait stopped), and the statement's error becomes that
630. The timer can only fire while its statement runs: ``Watch.done`` and the firing take the
same lock, so a statement that has just ended is never stopped, nor the next one.
"""

import threading
from collections.abc import Callable
from types import TracebackType

from snowflake.connector.errors import ProgrammingError

TIMEOUT_ERRNO = 630


class Watch:
    """``with Watch(seconds, stop):`` calls ``stop`` if the block is still running after
    ``seconds`` (None or 0: never); ``fired`` then says so."""

    def __init__(self, seconds: float | None, stop: Callable[[], None]):
        self.seconds, self._stop = seconds, stop
        self._lock = threading.Lock()
        self._running = True
        self.fired = False
        self._timer: threading.Timer | None = None

    def __enter__(self) -> "Watch":
        if self.seconds:
            self._timer = threading.Timer(self.seconds, self._expire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        with self._lock:
            self._running = False
        if self._timer is not None:
            self._timer.cancel()
        if kind is not None and issubclass(kind, Exception) and self.fired:
            raise timed_out(self.seconds or 0) from None

    def _expire(self) -> None:
        with self._lock:
            if not self._running:
                return
            self.fired = True
            self._stop()


def timed_out(seconds: float) -> ProgrammingError:
    return ProgrammingError(
        msg=f"Statement reached its statement or warehouse timeout of {seconds:g} second(s) "
        "and was canceled.",
        errno=TIMEOUT_ERRNO,
        sqlstate="57014",
    )
