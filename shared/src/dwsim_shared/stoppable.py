"""Waits that a cancel can end, for loads: both emulators' ``COPY`` and the loader's own reads.

A load that waits on S3 (a listing, a file's download) makes no call that looks at the cancel
while it waits: against an endpoint that hangs, a cancelled load went on until the read
returned (minutes, with the S3 retry settings), its transaction and table locks held all that
time. These helpers run the wait so that ``check``, a callable that raises the statement's own
"cancelled" error, is called every ``POLL_S``: cancelled, the caller gets that error at once;
the work is left to end on its own thread, its result dropped.
"""

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, wait
from typing import TypeVar

T = TypeVar("T")
POLL_S = 0.05
Check = Callable[[], None]


def wait_stoppable(future: Future, check: Check) -> None:
    """Until ``future`` is done, unless ``check`` raises first."""
    while True:
        check()
        if wait([future], timeout=POLL_S).done:
            return


def result_stoppable(future: "Future[T]", check: Check) -> T:
    """``future``'s result (or its exception, raised here), unless ``check`` raises first."""
    wait_stoppable(future, check)
    return future.result()


def call_stoppable(work: Callable[[], T], check: Check, name: str) -> T:
    """``work()`` run on a daemon thread named for ``name``, waited for with ``result_stoppable``."""
    check()
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to the waiting caller
            future.set_exception(exc)

    threading.Thread(target=run, name=f"dwsim-{name}", daemon=True).start()
    return result_stoppable(future, check)


def get_stoppable(ready: queue.Queue, check: Check) -> object:
    """The next item of ``ready``, unless ``check`` raises while it waits."""
    while True:
        check()
        try:
            return ready.get(timeout=POLL_S)
        except queue.Empty:
            continue


class StoppableReader:
    """A stream (an S3 object's body) read on a thread of its own, a block or two ahead, so a
    reader waiting for its next bytes can be stopped by ``check``; for text formats, which
    decode as they download. File-like enough for ``pyarrow.PythonFile``: read, close."""

    BLOCK = 1 << 20
    AHEAD = 2  # blocks read and waiting

    def __init__(self, stream, check: Check, name: str) -> None:
        self._check = check
        self._ready: queue.Queue = queue.Queue(maxsize=self.AHEAD)
        self._stop = threading.Event()
        self._buffer = bytearray()
        self._eof = False
        self.closed = False
        threading.Thread(target=self._fill, args=(stream,), name=f"dwsim-{name}",
                         daemon=True).start()  # fmt: skip

    def _fill(self, stream) -> None:
        try:
            while not self._stop.is_set():
                block = stream.read(self.BLOCK)
                if not self._put(block) or not block:
                    return
        except BaseException as exc:  # handed to the reader, raised where it reads
            self._put(exc)

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._ready.put(item, timeout=POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._buffer) < size):
            try:
                item = get_stoppable(self._ready, self._check)
            except BaseException:
                self.close()  # the filling thread may be inside a read that hangs: let it go
                raise
            if isinstance(item, BaseException):
                raise item
            if not item:
                self._eof = True
            self._buffer += item
        size = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self._stop.set()
        self.closed = True
