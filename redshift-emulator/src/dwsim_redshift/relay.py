"""One client session: its messages go to its own backend connection, translated or run here.

Backend-to-client bytes are forwarded in whole chunks; only message headers are walked (to
count ReadyForQuery and know the transaction status), never the rows. When the emulator must
answer itself (COPY/UNLOAD, a statement it cannot emulate), it waits until the backend has
answered everything sent so far, so replies reach the client in order.
"""

import asyncio
import contextlib
import logging
import threading

from dwsim_redshift import protocol as pq
from dwsim_redshift.channel import BackendChannel
from dwsim_redshift.config import Settings
from dwsim_redshift.engine import (
    Emulated,
    StatementFailed,
    classify,
    run_emulated,
    translate_async,
)
from dwsim_redshift.logs import log
from dwsim_redshift.session import BackendError
from dwsim_redshift.sql.statements import split_statements
from dwsim_redshift.statements import is_transaction_control

_CHUNK = 1 << 18
_SYNCING = frozenset((b"Q", b"S", b"F"))  # messages the backend answers with ReadyForQuery


class Relay:
    def __init__(
        self,
        conn_id: int,
        settings: Settings,
        client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        backend: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        status: bytes,
    ) -> None:
        self.conn_id = conn_id
        self.settings = settings
        self.creader, self.cwriter = client
        self.breader, self.bwriter = backend
        self.status = status
        self.pending = 0  # ReadyForQuery messages the backend still owes
        self.idle = asyncio.Event()
        self.idle.set()
        self.dirty = False  # extended-protocol messages forwarded since the last Sync
        self.batch_failed = False  # the backend reported an error since the last Sync
        self.swallow = 0  # ReadyForQuery messages to drop (answers to Syncs sent by us)
        self.skip_until_sync = False  # we answered an error: ignore the client until Sync
        self.statements: dict[str, tuple[Emulated, str]] = {}  # emulated prepared statements
        self.portals: dict[str, tuple[Emulated, str]] = {}
        self._pump_task: asyncio.Task | None = None
        self.cancelled = threading.Event()  # set by a CancelRequest while COPY/UNLOAD runs here

    def request_cancel(self) -> None:
        """A CancelRequest for this session: stops a COPY/UNLOAD the emulator is running."""
        self.cancelled.set()

    async def _emulate(self, kind: Emulated, sql: str, channel: BackendChannel) -> str:
        self.cancelled.clear()
        return await run_emulated(kind, sql, channel, self.settings, self.conn_id, self.cancelled)

    # -- backend -> client ------------------------------------------------------------------

    def _start_pump(self, initial: bytes = b"") -> None:
        self._pump_task = asyncio.create_task(self._pump(initial))

    async def _pump(self, data: bytes) -> None:
        framer = pq.Framer(b"ZE")
        read = self.breader.read
        write = self.cwriter.write
        held = b""
        try:
            while True:
                if data:
                    found = framer.feed(data)
                    if held or self.swallow:
                        data, held = self._cut_swallowed(held, data, found)
                    else:
                        for code, end in found:
                            if code == 90:  # Z
                                self.status = data[end - 1 : end]
                                self.pending -= 1
                                self.batch_failed = False
                            else:
                                self.batch_failed = True
                    if data:
                        write(data)
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

    def _cut_swallowed(
        self, held: bytes, data: bytes, found: list[tuple[int, int]]
    ) -> tuple[bytes, bytes]:
        """Drop the ReadyForQuery answers to our own Syncs; hold 5 bytes back meanwhile, so a
        ReadyForQuery split across reads can still be cut out whole."""
        out = held + data
        shift = len(held)
        cuts = []
        for code, end in found:
            if code != 90:
                self.batch_failed = True
                continue
            self.status = data[end - 1 : end]
            if self.swallow and self.pending <= self.swallow:  # ours: they were sent last
                self.swallow -= 1
                cuts.append((shift + end - 6, shift + end))
            else:
                self.batch_failed = False
            self.pending -= 1
        for start, end in reversed(cuts):
            out = out[:start] + out[end:]
        if self.swallow:
            return out[:-5], out[-5:]
        return out, b""

    async def _takeover(self) -> BackendChannel:
        """Stop the pump once the backend is idle and hand its connection to the caller."""
        await self.idle.wait()
        task = self._pump_task
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        return BackendChannel(self.breader, self.bwriter, self.status, self.cwriter.write)

    def _release(self, channel: BackendChannel) -> None:
        self.status = channel.status
        self._start_pump(channel.leftover())

    async def _settle(self) -> bool:
        """Wait until every reply owed to the client is sent; False if the client's batch had
        already failed on the backend (then the client must be ignored until its Sync)."""
        if self.dirty:
            self.dirty = False
            self.swallow += 1
            self._to_backend(pq.SYNC, syncing=True)
        await self.idle.wait()
        if self.batch_failed:
            self.batch_failed = False
            self.skip_until_sync = True
            return False
        return True

    # -- client -> backend ------------------------------------------------------------------

    def _to_backend(self, data: bytes, syncing: bool = False) -> None:
        if syncing:
            self.pending += 1
            self.idle.clear()
        self.bwriter.write(data)

    async def run(self) -> None:
        self._start_pump()
        try:
            await self._client_loop()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except BackendError as exc:  # the backend went away while the emulator was using it
            log("redshift.backend_lost", logging.WARNING, conn=self.conn_id, error=str(exc))
        except pq.ProtocolError as exc:
            log("redshift.protocol_error", logging.WARNING, conn=self.conn_id, error=str(exc))
        finally:
            if self._pump_task is not None:
                self._pump_task.cancel()
            self.bwriter.close()
            self.cwriter.close()

    async def _client_loop(self) -> None:
        read = pq.read_message
        creader = self.creader
        while True:
            code, payload = await read(creader)
            if self.skip_until_sync and code not in (b"S", b"X"):
                continue
            if code == b"Q":
                await self._on_query(payload)
            elif code == b"P":
                await self._on_parse(payload)
            elif code in (b"B", b"D", b"E", b"C") and (self.statements or self.portals):
                await self._on_extended(code, payload)
            elif code == b"S":
                self.skip_until_sync = False
                self.dirty = False
                self._to_backend(pq.message(code, payload), syncing=True)
            elif code == b"X":
                self._to_backend(pq.message(code, payload))
                return
            else:
                if code in (b"B", b"D", b"E", b"C"):
                    self.dirty = True
                self._to_backend(pq.message(code, payload), syncing=code in _SYNCING)
            await self.bwriter.drain()

    # -- simple protocol --------------------------------------------------------------------

    async def _on_query(self, payload: bytes) -> None:
        sql = payload[:-1].decode("utf-8", "surrogateescape")
        statements = split_statements(sql)
        kinds = [classify(s) for s in statements]
        if not any(kinds):
            try:
                if len(statements) == 1:
                    text = await translate_async(statements[0])
                else:
                    text = ";\n".join([await translate_async(s) for s in statements]) or sql
            except StatementFailed as exc:
                await self._fail_simple(exc)
                return
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
                elif not await channel.relay_query(await translate_async(sql)):
                    ok = False
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

    # -- extended protocol ------------------------------------------------------------------

    async def _on_parse(self, payload: bytes) -> None:
        (name, sql), rest = pq.split_cstrings(payload, 2)
        kind = classify(sql)
        if kind is not None:
            if await self._settle():
                self.statements[name] = (kind, sql)
                self.cwriter.write(pq.PARSE_COMPLETE)
            return
        self.statements.pop(name, None)
        try:
            text = await translate_async(sql)
        except StatementFailed as exc:
            await self._fail_extended(exc)
            return
        if text != sql:
            payload = pq.cstr(name) + pq.cstr(text) + rest
        self.dirty = True
        self._to_backend(pq.message(b"P", payload))

    async def _on_extended(self, code: bytes, payload: bytes) -> None:
        """Bind/Describe/Execute/Close: answered here when they name an emulated statement."""
        if code == b"B":
            (portal, statement), _ = pq.split_cstrings(payload, 2)
            target = self.statements.get(statement)
            if target is None:
                self.portals.pop(portal, None)
            elif await self._settle():
                self.portals[portal] = target
                self.cwriter.write(pq.BIND_COMPLETE)
                return
            else:
                return
        elif code in (b"D", b"C"):
            which = payload[:1]
            name = payload[1:-1].decode("utf-8", "surrogateescape")
            table = self.statements if which == b"S" else self.portals
            if name in table:
                if not await self._settle():
                    return
                if code == b"C":
                    del table[name]
                    self.cwriter.write(pq.CLOSE_COMPLETE)
                elif which == b"S":
                    self.cwriter.write(pq.NO_PARAMETERS + pq.NO_DATA)
                else:
                    self.cwriter.write(pq.NO_DATA)
                return
        elif code == b"E":
            portal = payload[: payload.index(b"\0")].decode("utf-8", "surrogateescape")
            target = self.portals.get(portal)
            if target is not None:
                await self._execute_emulated(*target)
                return
        self.dirty = True
        self._to_backend(pq.message(code, payload))

    async def _execute_emulated(self, kind: Emulated, sql: str) -> None:
        if not await self._settle():
            return
        channel = await self._takeover()
        try:
            tag = await self._emulate(kind, sql, channel)
            self.cwriter.write(pq.command_complete(tag))
        except StatementFailed as exc:
            self.cwriter.write(exc.response())
            self.skip_until_sync = True
        finally:
            self._release(channel)

    async def _fail_extended(self, exc: StatementFailed) -> None:
        """An error the emulator raised in an extended-protocol batch: error, then skip to Sync."""
        if not await self._settle():
            return
        log("redshift.unsupported", conn=self.conn_id, error=str(exc))
        if self.status == pq.IN_BLOCK:
            channel = await self._takeover()
            try:
                await channel.abort_block(str(exc))
            finally:
                self._release(channel)
        self.cwriter.write(exc.response())
        self.skip_until_sync = True
