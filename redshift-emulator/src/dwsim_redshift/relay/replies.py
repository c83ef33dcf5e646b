"""Backend -> client: the backend's replies forwarded in whole chunks, with what the relay must
know about them.

Only message headers are walked, never the rows. Watched: ReadyForQuery (the transaction status,
and how many the backend still owes), ErrorResponse (the batch failed), CommandComplete (the
query log), RowDescription (text columns described as varchar, as Redshift describes its
strings). A watched message is never split across two writes: the bytes from its start are held
back until it has arrived whole, so it can be rewritten or cut out (the ReadyForQuery answers to
Syncs the relay sent itself).
"""

import asyncio
import contextlib
import logging

from dwsim_redshift.logs import log
from dwsim_redshift.query_log.tracker import Tracker
from dwsim_redshift.wire import messages as pq

_CHUNK = 1 << 18
_Z, _E, _T, _C = b"Z"[0], b"E"[0], b"T"[0], b"C"[0]


class Replies:
    def __init__(
        self,
        conn_id: int,
        backend: asyncio.StreamReader,
        client: asyncio.StreamWriter,
        status: bytes,
        tracker: Tracker,
    ) -> None:
        self.conn_id = conn_id
        self.breader = backend
        self.cwriter = client
        self.status = status
        self.tracker = tracker
        self.pending = 0  # ReadyForQuery messages the backend still owes
        self.idle = asyncio.Event()
        self.idle.set()
        self.batch_failed = False  # the backend reported an error since the last ReadyForQuery
        self.swallow = 0  # ReadyForQuery messages to drop (answers to Syncs sent by the relay)
        self._framer = pq.Framer(b"ZETC")
        self._carry = b""
        self._task: asyncio.Task | None = None

    def expect_ready(self) -> None:
        """A message the backend answers with ReadyForQuery was sent."""
        self.pending += 1
        self.idle.clear()

    # -- the stream ------------------------------------------------------------------------

    def process(self, data: bytes) -> bytes:
        """The bytes of ``data`` to forward now (some may be held until their message ends)."""
        found = self._framer.feed(data)
        carry = self._carry
        buf = carry + data if carry else data
        shift = len(carry)
        cuts: list[tuple[int, int]] = []
        patches: list[int] = []
        for code, start, end in found:
            start += shift
            end += shift
            if code == _Z:
                self.status = buf[end - 1 : end]
                if self.swallow and self.pending <= self.swallow:  # ours: they were sent last
                    self.swallow -= 1
                    cuts.append((start, end))
                else:
                    self.batch_failed = False
                    self.tracker.ready()
                self.pending -= 1
            elif code == _E:
                self.batch_failed = True
                self.tracker.failed(pq.error_fields(bytes(buf[start + 5 : end])))
            elif code == _C:
                self.tracker.completed(bytes(buf[start + 5 : end - 1]))
            else:
                patches.append(start)
        held = self._framer.open_start(len(data))
        hold_at = len(buf) if held is None else held + shift
        if patches:
            buf = bytearray(buf)
            for start in patches:
                pq.describe_text_as_varchar(buf, start)
        self._carry = bytes(buf[hold_at:])
        out = buf[:hold_at]
        for start, end in reversed(cuts):
            out = out[:start] + out[end:]
        return bytes(out)

    # -- the task --------------------------------------------------------------------------

    def start(self, initial: bytes = b"") -> None:
        self._task = asyncio.create_task(self._run(initial))

    async def stop(self) -> None:
        """Stop reading (the backend must be idle: every reply owed was forwarded)."""
        task = self._task
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def restart(self, status: bytes, initial: bytes) -> None:
        """Read again after the relay used the connection itself (its replies went directly)."""
        self.status = status
        self._framer = pq.Framer(b"ZETC")
        self._carry = b""
        self.start(initial)

    async def _run(self, data: bytes) -> None:
        read = self.breader.read
        write = self.cwriter.write
        try:
            while True:
                if data:
                    out = self.process(data)
                    if out:
                        write(out)
                    if self.pending <= 0:
                        self.pending = 0
                        self.idle.set()
                    await self.cwriter.drain()
                data = await read(_CHUNK)
                if not data:
                    log("redshift.backend_closed", logging.WARNING, conn=self.conn_id)
                    break
        except (ConnectionError, OSError):
            pass
        self.cwriter.close()
        self.idle.set()  # wake anyone waiting for a backend that will never answer
