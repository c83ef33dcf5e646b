"""The :class:`~dwsim_redshift.backend.session.BackendSession` the COPY/UNLOAD engine gets: called
from a worker thread, each call runs on the event loop over the client's backend session's
channel (channel.py). Encoding and decoding stay in the thread (the chunks iterator runs there);
the loop only moves bytes.
"""

import asyncio
import contextlib
import threading
from collections.abc import Coroutine, Iterable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar

from dwsim_redshift.backend.channel import BackendChannel
from dwsim_redshift.backend.session import Column, cancelled_error

T = TypeVar("T")


class BridgedBackendSession:
    """A BackendSession whose calls, made from a worker thread, run on the event loop."""

    def __init__(
        self,
        channel: BackendChannel,
        loop: asyncio.AbstractEventLoop,
        in_transaction: bool,
        cancelled: threading.Event | None = None,
    ) -> None:
        self._channel = channel
        self._loop = loop
        self._in_transaction = in_transaction
        self._cancelled = cancelled or threading.Event()

    @property
    def in_transaction(self) -> bool:
        return self._in_transaction

    def check_cancelled(self) -> None:
        if self._cancelled.is_set():
            raise cancelled_error()

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the loop; a client's CancelRequest stops the engine at its next call."""
        return self._submit(coro).result()

    def _submit(self, coro: Coroutine[Any, Any, T]) -> "Future[T]":
        if self._cancelled.is_set():
            coro.close()
            raise cancelled_error()
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def _now(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def query(self, sql: str) -> tuple[list[Column], list[tuple]]:
        return self._call(self._channel.query(sql))

    def copy_in(self, copy_sql: str, chunks: Iterable[bytes | memoryview]) -> int:
        """The loop writes chunk k while this thread makes chunk k+1 (the ``chunks`` iterator
        decodes, converts and encodes), so the backend is never left waiting for the engine;
        at most one chunk is in flight."""
        self._call(self._channel.start_copy_in(copy_sql))
        writing: Future | None = None
        try:
            for chunk in chunks:
                if len(chunk):
                    if writing is not None:
                        writing.result()
                    writing = self._submit(self._channel.send_copy_data(chunk))
            if writing is not None:
                writing.result()
        except BaseException as exc:
            if writing is not None:
                with contextlib.suppress(Exception):
                    writing.result()  # the backend must not get CopyFail amid a CopyData
            self._now(self._channel.fail_copy_in(f"load aborted: {exc}"))
            raise
        return self._call(self._channel.finish_copy_in())

    def copy_out(self, copy_sql: str) -> Iterator[bytes]:
        self._call(self._channel.start_copy_out(copy_sql))
        return self._chunks()

    def _chunks(self) -> Iterator[bytes]:
        while True:
            data = self._call(self._channel.read_copy_out())
            if data is None:
                return
            yield data
