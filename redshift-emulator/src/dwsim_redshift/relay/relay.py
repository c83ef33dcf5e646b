"""One client session: its messages go to its own backend session, translated or run here.

The backend's replies are forwarded by replies.Replies. When the emulator must use the session
itself (COPY/UNLOAD/TRUNCATE, the probes that settle result types, a statement it cannot
emulate), it waits until the backend has answered everything sent so far, so replies reach the
client in order. Extended-protocol messages are handled in extended.py.
"""

import asyncio
import logging
import threading
import time

from dwsim_redshift.backend.channel import BackendChannel
from dwsim_redshift.backend.session import BackendError
from dwsim_redshift.config import Settings
from dwsim_redshift.logs import log
from dwsim_redshift.query_log.tracker import QueryStatus, Tracker
from dwsim_redshift.query_log.writer import READERS
from dwsim_redshift.relay import extended
from dwsim_redshift.relay.dispatch import StatementFailed, run_emulated, translate_async
from dwsim_redshift.relay.replies import Replies
from dwsim_redshift.relay.result_types import settle
from dwsim_redshift.relay.statement_kind import Emulated, classify, is_transaction_control
from dwsim_redshift.sql import typed
from dwsim_redshift.sql.statements import split_statements
from dwsim_redshift.wire import messages as pq

_SYNCING = frozenset((b"Q", b"S", b"F"))  # messages the backend answers with ReadyForQuery
_STARTS_WORK = frozenset((b"Q", b"E"))  # a query, an Execute: what a CancelRequest is for


class Relay:
    def __init__(
        self,
        conn_id: int,
        settings: Settings,
        client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        backend: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        status: bytes,
        tracker: Tracker,
    ) -> None:
        self.conn_id = conn_id
        self.settings = settings
        self.creader, self.cwriter = client
        self.breader, self.bwriter = backend
        self.tracker = tracker
        self.replies = Replies(conn_id, self.breader, self.cwriter, status, tracker)
        self.dirty = False  # extended-protocol messages forwarded since the last Sync
        self.skip_until_sync = False  # we answered an error: ignore the client until Sync
        self.statements: dict[str, tuple[Emulated, str]] = {}  # emulated prepared statements
        self.portals: dict[str, tuple[Emulated, str]] = {}
        self.texts: dict[str, str] = {}  # prepared statement -> its Redshift text (query log)
        self.portal_texts: dict[str, str] = {}
        self.cancelled = threading.Event()  # set by a CancelRequest while COPY/UNLOAD runs here

    @property
    def status(self) -> bytes:
        return self.replies.status

    def request_cancel(self) -> None:
        """A CancelRequest for this session: stops a COPY/UNLOAD the emulator is running."""
        self.cancelled.set()

    async def _emulate(self, kind: Emulated, sql: str, channel: BackendChannel) -> str:
        started = time.time()
        try:
            done = await run_emulated(
                kind, sql, channel, self.settings, self.conn_id, self.cancelled
            )
        except StatementFailed as exc:
            failed = QueryStatus.CANCELED if exc.sqlstate == "57014" else QueryStatus.FAILED
            self.tracker.record(sql, started, time.time(), failed, str(exc))
            raise
        rows = int(done.tag.rsplit(" ", 1)[-1]) if done.tag[-1:].isdigit() else 0
        self.tracker.record(
            sql, started, time.time(), QueryStatus.SUCCESS, rows=rows, query_id=done.query_id
        )
        return done.tag

    async def _log_readers(self, sql: str) -> None:
        """A statement that reads the query log sees every query recorded before it."""
        sink = self.tracker.sink
        lowered = sql.lower()
        if sink is not None and any(name in lowered for name in READERS):
            await sink.flush()

    # -- the backend session -----------------------------------------------------------------

    async def _takeover(self) -> BackendChannel:
        """Stop forwarding once the backend is idle and hand the session to the caller."""
        await self.replies.idle.wait()
        await self.replies.stop()
        return BackendChannel(self.breader, self.bwriter, self.status, self.cwriter.write)

    def _release(self, channel: BackendChannel) -> None:
        self.replies.restart(channel.status, channel.leftover())

    async def _settle(self) -> bool:
        """Wait until every reply owed to the client is sent; False if the client's batch had
        already failed on the backend (then the client must be ignored until its Sync)."""
        replies = self.replies
        if self.dirty:
            self.dirty = False
            replies.swallow += 1
            self._to_backend(pq.SYNC, syncing=True)
        await replies.idle.wait()
        if replies.batch_failed:
            replies.batch_failed = False
            self.skip_until_sync = True
            return False
        return True

    async def _typed(self, text: str) -> str:
        """``text`` with its result types settled on this session (backend idle first)."""
        channel = await self._takeover()
        try:
            return await settle(channel, text)
        finally:
            self._release(channel)

    def _to_backend(self, data: bytes, syncing: bool = False) -> None:
        if syncing:
            self.replies.expect_ready()
        self.bwriter.write(data)

    # -- the client ---------------------------------------------------------------------------

    async def run(self) -> None:
        self.replies.start()
        try:
            await self._client_loop()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except BackendError as exc:  # the backend went away while the emulator was using it
            log("redshift.backend_lost", logging.WARNING, conn=self.conn_id, error=str(exc))
        except pq.ProtocolError as exc:
            log("redshift.protocol_error", logging.WARNING, conn=self.conn_id, error=str(exc))
        finally:
            self.replies.cancel()
            self.bwriter.close()
            self.cwriter.close()

    async def _client_loop(self) -> None:
        read = pq.read_message
        creader = self.creader
        while True:
            code, payload = await read(creader)
            if code in _STARTS_WORK:  # a cancel counts from here, as the client sees it run
                self.cancelled.clear()
            if self.skip_until_sync and code not in (b"S", b"X"):
                continue
            if code == b"Q":
                await self._on_query(payload)
            elif code == b"P":
                await extended.on_parse(self, payload)
            elif code in (b"B", b"D", b"E", b"C"):
                await extended.on_message(self, code, payload)
            elif code == b"S":
                self.skip_until_sync = False
                self.dirty = False
                self.tracker.synced()
                self._to_backend(pq.message(code, payload), syncing=True)
            elif code == b"X":
                self._to_backend(pq.message(code, payload))
                return
            else:
                self._to_backend(pq.message(code, payload), syncing=code in _SYNCING)
            await self.bwriter.drain()

    # -- simple protocol ----------------------------------------------------------------------

    async def _on_query(self, payload: bytes) -> None:
        sql = payload[:-1].decode("utf-8", "surrogateescape")
        statements = split_statements(sql)
        kinds = [classify(s) for s in statements]
        await self._log_readers(sql)
        if not any(kinds):
            try:
                texts = [await translate_async(s) for s in statements]
            except StatementFailed as exc:
                await self._fail_simple(exc)
                return
            text = ";\n".join(texts) or sql
            if typed.has_slots(text):
                await self._settle()
                text = await self._typed(text)
            self.tracker.sent(statements, syncing=True, translated=texts)
            self._to_backend(pq.message(b"Q", payload) if text == sql else pq.query(text), True)
            return
        await self._settle()
        channel = await self._takeover()
        try:
            await self._run_mixed(channel, statements, kinds)
        finally:
            self._release(channel)

    async def _run_mixed(
        self, channel: BackendChannel, statements: list[str], kinds: list[Emulated | None]
    ) -> None:
        """A query string with COPY/UNLOAD in it: run its statements one by one, in order."""
        wrap = (
            channel.status == pq.IDLE
            and len(statements) > 1
            and not any(is_transaction_control(s) for s in statements)
        )
        if wrap:
            await channel.relay_query_silent("BEGIN")
        ok = True
        for sql, kind in zip(statements, kinds, strict=True):
            try:
                if kind is not None:
                    tag = await self._emulate(kind, sql, channel)
                    self.cwriter.write(pq.command_complete(tag))
                else:
                    text = await settle(channel, await translate_async(sql))
                    started = time.time()
                    ok = await channel.relay_query(text)
                    status = QueryStatus.SUCCESS if ok else QueryStatus.FAILED
                    self.tracker.record(sql, started, time.time(), status)
            except StatementFailed as exc:
                self.cwriter.write(exc.response())
                if channel.status == pq.IN_BLOCK and not wrap:
                    await channel.abort_block(str(exc))
                ok = False
            if not ok:
                break
        if wrap:
            await channel.relay_query_silent("COMMIT" if ok else "ROLLBACK")
        self.cwriter.write(pq.ready_for_query(channel.status))

    async def _fail_simple(self, exc: StatementFailed) -> None:
        """Answer a Query with an error the emulator raised, then ReadyForQuery."""
        await self._settle()
        log("redshift.unsupported", conn=self.conn_id, error=str(exc))
        if self.status == pq.IN_BLOCK:
            channel = await self._takeover()
            try:
                await channel.abort_block(str(exc))
            finally:
                self._release(channel)
        self.cwriter.write(exc.response())
        self.cwriter.write(pq.ready_for_query(self.status))
