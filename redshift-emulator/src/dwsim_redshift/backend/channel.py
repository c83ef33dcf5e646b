"""Exclusive use of a backend session while the emulator runs statements on it itself.

The relay hands the session over only when the backend is idle (after its last
ReadyForQuery), so every exchange here starts on a message boundary and ends at ReadyForQuery.
"""

import asyncio
import contextlib
import struct
from collections.abc import Callable

from dwsim_redshift.backend.session import BackendError, Column
from dwsim_redshift.wire import messages as pq

_INT = struct.Struct("!i")
_SHORT = struct.Struct("!h")
_INT_OIDS = {20, 21, 23, 26}
_FLOAT_OIDS = {700, 701}
_BATCH = 1 << 20


def decode_value(raw: bytes | None, oid: int) -> object:
    if raw is None:
        return None
    if oid in _INT_OIDS:
        return int(raw)
    if oid == 16:
        return raw == b"t"
    if oid in _FLOAT_OIDS:
        return float(raw)
    return raw.decode()


class BackendChannel:
    """Framed, buffered reading and writing on a backend session (runs on the event loop)."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        status: bytes,
        to_client: Callable[[bytes], None],
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.status = status
        self.to_client = to_client  # for asynchronous messages (notifications) met on the way
        self._buf = bytearray()
        self._pos = 0
        self.copy_out_open = False

    # -- framing ---------------------------------------------------------------------------

    def leftover(self) -> bytes:
        """Bytes read but not consumed (normally none): the relay forwards them."""
        rest = bytes(self._buf[self._pos :])
        self._buf.clear()
        self._pos = 0
        return rest

    def _take(self) -> tuple[bytes, bytes] | None:
        buf, pos = self._buf, self._pos
        if len(buf) - pos < 5:
            return None
        length = _INT.unpack_from(buf, pos + 1)[0]
        end = pos + 1 + length
        if len(buf) < end:
            return None
        self._pos = end
        return bytes(buf[pos : pos + 1]), bytes(buf[pos + 5 : end])

    async def _fill(self) -> None:
        if self._pos:
            del self._buf[: self._pos]
            self._pos = 0
        data = await self.reader.read(1 << 18)
        if not data:
            raise BackendError("PostgreSQL closed the connection", "08006")
        self._buf += data

    async def next_message(self) -> tuple[bytes, bytes]:
        while True:
            msg = self._take()
            if msg is not None:
                return msg
            await self._fill()

    def send(self, data: bytes) -> None:
        self.writer.write(data)

    # -- exchanges -------------------------------------------------------------------------

    async def _until_ready(self, error: dict[str, str] | None = None) -> dict[str, str] | None:
        """Read up to ReadyForQuery; return the ErrorResponse fields if there was one."""
        while True:
            code, payload = await self.next_message()
            if code == b"Z":
                self.status = payload[:1]
                return error
            if code == b"E" and error is None:
                error = pq.error_fields(payload)
            elif code == b"G":  # COPY FROM STDIN where none was expected
                self.send(pq.message(b"f", pq.cstr("COPY FROM STDIN is not allowed here")))
            elif code == b"A":
                self.to_client(pq.message(code, payload))

    async def query(self, sql: str) -> tuple[list[Column], list[tuple]]:
        self.send(pq.query(sql))
        columns: list[Column] = []
        rows: list[tuple] = []
        error: dict[str, str] | None = None
        while True:
            code, payload = await self.next_message()
            if code == b"D":
                rows.append(_data_row(payload, columns))
            elif code == b"T":
                columns = _row_description(payload)
            elif code == b"E":
                error = pq.error_fields(payload)
                break
            elif code == b"Z":
                self.status = payload[:1]
                return columns, rows
            elif code == b"G":
                self.send(pq.message(b"f", pq.cstr("COPY FROM STDIN is not allowed here")))
            elif code == b"A":
                self.to_client(pq.message(code, payload))
        await self._until_ready(error)
        raise _backend_error(error)

    async def relay_query(self, sql: str) -> bool:
        """Run ``sql`` and forward its replies to the client except ReadyForQuery; True if OK."""
        self.send(pq.query(sql))
        failed = False
        out: list[bytes] = []
        while True:
            code, payload = await self.next_message()
            if code == b"Z":
                self.status = payload[:1]
                break
            if code == b"E":
                failed = True
            elif code == b"G":
                out.append(
                    pq.error_response(
                        "COPY FROM STDIN cannot be combined with other statements in one query",
                        "0A000",
                    )
                )
                self.send(
                    pq.message(b"f", pq.cstr("COPY FROM STDIN inside a multi-statement query"))
                )
                continue
            if code == b"T":  # described as the relay describes them (relay/replies.py)
                described = bytearray(pq.message(code, payload))
                pq.describe_text_as_varchar(described, 0)
                out.append(bytes(described))
            else:
                out.append(pq.message(code, payload))
            if len(out) > 1000:
                self.to_client(b"".join(out))
                out.clear()
        self.to_client(b"".join(out))
        return not failed

    async def start_copy_in(self, sql: str) -> None:
        self.send(pq.query(sql))
        while True:
            code, payload = await self.next_message()
            if code == b"G":
                return
            if code == b"E":
                raise _backend_error(await self._until_ready(pq.error_fields(payload)))
            if code == b"Z":
                self.status = payload[:1]
                raise BackendError(f"not a COPY ... FROM STDIN statement: {sql[:200]}", "42601")

    async def send_copy_data(self, chunk: bytes | memoryview) -> None:
        """One CopyData message; the chunk is written as it is (framed, not copied into a
        message), and this returns once the socket has taken all but the last few KiB."""
        view = memoryview(chunk).cast("B")
        self.send(b"d" + _INT.pack(len(view) + 4))
        self.send(view)
        await self.writer.drain()

    async def fail_copy_in(self, reason: str) -> None:
        self.send(pq.message(b"f", pq.cstr(reason)))
        await self._until_ready()

    async def finish_copy_in(self) -> int:
        self.send(pq.COPY_DONE)
        rows = 0
        error: dict[str, str] | None = None
        while True:
            code, payload = await self.next_message()
            if code == b"C":
                tag = payload.rstrip(b"\0").split()
                rows = int(tag[-1]) if tag and tag[-1].isdigit() else 0
            elif code == b"E":
                error = pq.error_fields(payload)
            elif code == b"Z":
                self.status = payload[:1]
                if error is not None:
                    raise _backend_error(error)
                return rows

    async def start_copy_out(self, sql: str) -> None:
        self.send(pq.query(sql))
        while True:
            code, payload = await self.next_message()
            if code == b"H":
                self.copy_out_open = True
                return
            if code == b"E":
                raise _backend_error(await self._until_ready(pq.error_fields(payload)))
            if code == b"Z":
                self.status = payload[:1]
                raise BackendError(f"not a COPY ... TO STDOUT statement: {sql[:200]}", "42601")

    async def read_copy_out(self) -> bytes | None:
        """The next run of COPY data (many rows joined), or None once the COPY has ended."""
        if not self.copy_out_open:
            return None
        parts: list[bytes] = []
        size = 0
        while size < _BATCH:
            msg = self._take()
            if msg is None:
                if parts:
                    break
                await self._fill()
                continue
            code, payload = msg
            if code == b"d":
                parts.append(payload)
                size += len(payload)
            elif code == b"c":
                continue
            elif code in (b"C", b"E"):
                self.copy_out_open = False
                error = pq.error_fields(payload) if code == b"E" else None
                error = await self._until_ready(error)
                if error is not None:
                    raise _backend_error(error)
                break
        return b"".join(parts) if parts else None

    async def finish(self) -> None:
        """Drain a COPY TO STDOUT the engine left unfinished, so the backend is idle again."""
        while self.copy_out_open:
            with contextlib.suppress(BackendError):
                await self.read_copy_out()

    async def abort_block(self, reason: str) -> None:
        """Leave the client's transaction block failed, as an error inside it would in PostgreSQL."""
        literal = reason.replace("'", "''")[:500]
        await self.relay_query_silent(f"DO $$BEGIN RAISE EXCEPTION '%', '{literal}'; END$$")

    async def relay_query_silent(self, sql: str) -> None:
        self.send(pq.query(sql))
        await self._until_ready()


def _row_description(payload: bytes) -> list[Column]:
    count = _SHORT.unpack_from(payload)[0]
    columns = []
    pos = 2
    for _ in range(count):
        end = payload.index(b"\0", pos)
        name = payload[pos:end].decode()
        oid = _INT.unpack_from(payload, end + 7)[0]
        columns.append((name, oid))
        pos = end + 19
    return columns


def _data_row(payload: bytes, columns: list[Column]) -> tuple:
    count = _SHORT.unpack_from(payload)[0]
    values = []
    pos = 2
    for i in range(count):
        length = _INT.unpack_from(payload, pos)[0]
        pos += 4
        raw = None
        if length >= 0:
            raw = payload[pos : pos + length]
            pos += length
        values.append(decode_value(raw, columns[i][1] if i < len(columns) else 25))
    return tuple(values)


def _backend_error(fields: dict[str, str] | None) -> BackendError:
    fields = fields or {}
    return BackendError(
        fields.get("M", "unknown backend error"), fields.get("C", "XX000"), fields.get("D")
    )
