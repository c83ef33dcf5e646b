"""Decode ahead: the batches of a load's files, made on a thread of their own.

While the engine converts and encodes batch k (and the event loop writes the batch before it),
this thread fetches and decodes what comes next, up to ``depth`` batches ahead, across file
boundaries. Batches come out in file order; an error the thread meets (a missing object, a file
that is not Parquet) is raised where its batch would have come, so the load fails on the same
file, with the same message, as it would reading the files one after the other. A client's
cancel ends the wait for the next batch at once (dwsim_shared.stoppable), even while the
thread is in the middle of a read that hangs; the thread is then left to end when its read
does.
"""

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from dwsim_shared.stoppable import Check, get_stoppable

T = TypeVar("T")
S = TypeVar("S")
_DONE = object()


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def read_ahead(
    sources: Iterable[S],
    batches_of: Callable[[S], Iterable[T]],
    depth: int,
    check: Check = lambda: None,
) -> Iterator[T]:
    """Every item of ``batches_of(source)`` for each source in order, produced on a thread;
    raises what ``check`` raises (a cancel) as soon as it does while it waits for one."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for source in sources:
                for batch in batches_of(source):
                    if not put(batch):
                        return
        except BaseException as exc:  # handed to the consumer, raised there in order
            put(_Failed(exc))
            return
        put(_DONE)

    thread = threading.Thread(target=produce, name="dwsim-copy-read-ahead", daemon=True)
    thread.start()
    stuck = False
    try:
        while True:
            try:
                item = get_stoppable(ready, check)
            except BaseException:
                stuck = True  # the thread may be inside a read that hangs: not waited for
                raise
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.exc
            yield item
    finally:
        stop.set()  # the consumer stopped (done, failed or cancelled): so does the thread
        if not stuck:
            thread.join()
