"""PostgreSQL wire protocol (v3): message framing, the few messages the emulator builds or reads."""

import asyncio
import struct
from dataclasses import dataclass

PROTOCOL_V3 = 196608
SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
CANCEL_REQUEST = 80877102

_INT = struct.Struct("!i")
_SHORT = struct.Struct("!h")
_HEADER = struct.Struct("!ci")

# ReadyForQuery transaction status
IDLE = b"I"
IN_BLOCK = b"T"
FAILED = b"E"

# PostgreSQL's PQ_LARGE_MESSAGE_LIMIT: a longer length is garbage, not a message to wait for
MAX_MESSAGE_LENGTH = 0x3FFFFFFE


class ProtocolError(Exception):
    """The peer sent something that is not valid protocol: the connection cannot go on."""


def message(code: bytes, payload: bytes = b"") -> bytes:
    return code + _INT.pack(len(payload) + 4) + payload


def cstr(text: str) -> bytes:
    # surrogateescape: bytes that are not UTF-8 (a client in another encoding) go back unchanged
    return text.encode("utf-8", "surrogateescape") + b"\0"


def ready_for_query(status: bytes) -> bytes:
    return message(b"Z", status)


def command_complete(tag: str) -> bytes:
    return message(b"C", cstr(tag))


def parameter_status(name: str, value: str) -> bytes:
    return message(b"S", cstr(name) + cstr(value))


def auth_request(code: int, extra: bytes = b"") -> bytes:
    return message(b"R", _INT.pack(code) + extra)


PARSE_COMPLETE = message(b"1")
BIND_COMPLETE = message(b"2")
CLOSE_COMPLETE = message(b"3")
NO_DATA = message(b"n")
EMPTY_QUERY = message(b"I")
NO_PARAMETERS = message(b"t", b"\0\0")
COPY_DONE = message(b"c")
SYNC = message(b"S")
FLUSH = message(b"H")
TERMINATE = message(b"X")


def query(sql: str) -> bytes:
    return message(b"Q", cstr(sql))


def error_response(
    message_text: str, sqlstate: str = "XX000", severity: str = "ERROR", detail: str | None = None
) -> bytes:
    fields = b"S" + cstr(severity) + b"V" + cstr(severity) + b"C" + cstr(sqlstate)
    fields += b"M" + cstr(message_text)
    if detail:
        fields += b"D" + cstr(detail)
    return message(b"E", fields + b"\0")


def error_fields(payload: bytes) -> dict[str, str]:
    """Fields of an ErrorResponse/NoticeResponse payload, keyed by their one-letter code."""
    fields: dict[str, str] = {}
    for part in payload.split(b"\0"):
        if part:
            fields[chr(part[0])] = part[1:].decode(errors="replace")
    return fields


def split_cstrings(payload: bytes, count: int) -> tuple[list[str], bytes]:
    """The first ``count`` NUL-terminated strings of ``payload``, and what follows them."""
    out = []
    pos = 0
    for _ in range(count):
        end = payload.index(b"\0", pos)
        out.append(payload[pos:end].decode("utf-8", "surrogateescape"))
        pos = end + 1
    return out, payload[pos:]


@dataclass
class Startup:
    """A client's StartupMessage: protocol version and its parameters, in order."""

    version: int
    params: dict[str, str]

    def encode(self) -> bytes:
        body = _INT.pack(self.version)
        for key, value in self.params.items():
            body += cstr(key) + cstr(value)
        body += b"\0"
        return _INT.pack(len(body) + 4) + body


def parse_startup(body: bytes) -> Startup:
    version = _INT.unpack_from(body)[0]
    parts = body[4:].split(b"\0")
    params: dict[str, str] = {}
    for i in range(0, len(parts) - 1, 2):
        if not parts[i]:
            break
        params[parts[i].decode()] = parts[i + 1].decode()
    return Startup(version, params)


async def read_startup_packet(reader: asyncio.StreamReader) -> bytes:
    """An untyped packet (startup, SSLRequest, CancelRequest): length then body."""
    length = _INT.unpack(await reader.readexactly(4))[0]
    if not 8 <= length <= 10_000:
        raise ProtocolError(f"invalid startup packet length {length}")
    return await reader.readexactly(length - 4)


async def read_message(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """One typed message: (code, payload). Raises IncompleteReadError at end of stream."""
    header = await reader.readexactly(5)
    code, length = _HEADER.unpack(header)
    if not 4 <= length <= MAX_MESSAGE_LENGTH:
        raise ProtocolError(f"invalid message length {length} for {code!r}")
    payload = await reader.readexactly(length - 4) if length > 4 else b""
    return code, payload


def read_int(payload: bytes, offset: int = 0) -> int:
    return _INT.unpack_from(payload, offset)[0]


class Framer:
    """Walks a byte stream message by message, so a relay knows each message's boundaries.

    Only headers are read (bodies are skipped), the cheapest way to find ReadyForQuery in a
    stream of DataRows. ``feed`` returns (code, start, end) for each watched message that ends in
    the chunk: ``chunk[start:end]`` is the message (``start`` is negative when it began in an
    earlier chunk) and ``chunk[end - 1]`` its last byte (a ReadyForQuery's transaction status).
    """

    __slots__ = ("_partial", "_pending", "_pending_start", "_remaining", "watch")

    def __init__(self, watch: bytes) -> None:
        self.watch = watch
        self._remaining = 0  # bytes of the current message still to come
        self._partial = b""  # a header split across chunks
        self._pending = 0  # watched code of the current message, reported when it ends
        self._pending_start = 0  # where it began, counted from the start of the next chunk

    def open_start(self, chunk_length: int) -> int | None:
        """Where a watched message that began but has not ended yet starts, counted from the
        start of the chunk just fed (negative: in an earlier chunk); None if there is none."""
        if self._partial:
            if self._partial[0] in self.watch:
                return chunk_length - len(self._partial)
            return None
        return self._pending_start + chunk_length if self._pending else None

    def feed(self, chunk: bytes) -> list[tuple[int, int, int]]:
        found: list[tuple[int, int, int]] = []
        n = len(chunk)
        watch = self.watch
        if self._partial:
            had = len(self._partial)
            head = self._partial + chunk[: 5 - had]
            if len(head) < 5:
                self._partial = head
                return found
            self._partial = b""
            self._pending = head[0] if head[0] in watch else 0
            self._pending_start = -had
            pos = 1 + _INT.unpack_from(head, 1)[0] - had
        else:
            pos = self._remaining
        if self._pending and pos <= n:
            found.append((self._pending, self._pending_start, pos))
            self._pending = 0
        unpack = _INT.unpack_from
        while pos + 5 <= n:
            start = pos
            code = chunk[pos]
            pos += 1 + unpack(chunk, pos + 1)[0]
            if code in watch:
                if pos <= n:
                    found.append((code, start, pos))
                else:
                    self._pending = code
                    self._pending_start = start
        if self._pending:
            self._pending_start -= n
        if pos < n:
            self._partial = chunk[pos:]
            self._remaining = 0
        else:
            self._remaining = pos - n
        return found


_TEXT_OID = 25
_VARCHAR_OID = 1043


def describe_text_as_varchar(message_bytes: bytearray, start: int) -> None:
    """In the RowDescription at ``message_bytes[start:]``, describe text columns as varchar
    (Redshift has no TEXT type: its string results are VARCHAR). Same length, same format."""
    count = _SHORT.unpack_from(message_bytes, start + 5)[0]
    pos = start + 7
    for _ in range(count):
        pos = message_bytes.index(0, pos) + 1  # past the column name
        if _INT.unpack_from(message_bytes, pos + 6)[0] == _TEXT_OID:
            _INT.pack_into(message_bytes, pos + 6, _VARCHAR_OID)
        pos += 18
