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
