"""Settle typed slots (sql/typed.py) on the client's own backend session.

Each probe is parsed and described under a statement name of the emulator's own, then closed:
PostgreSQL reports the columns' types and type modifiers without running anything. Inside the
client's transaction block the probes run under a savepoint, so a probe that fails (a column of
an outer query, a table created earlier in the same Query message) leaves the block as it was;
in a failed block nothing is probed. A slot whose probe failed keeps PostgreSQL's type.
"""

import struct

from dwsim_redshift.backend.channel import BackendChannel
from dwsim_redshift.sql import typed
from dwsim_redshift.wire import messages as pq

_NAME = "dwsim_probe"
_SAVEPOINT = "dwsim_probe"
_INT = struct.Struct("!i")
_SHORT = struct.Struct("!h")


def _probe_messages(sql: str) -> bytes:
    name = pq.cstr(_NAME)
    return (
        pq.message(b"P", name + pq.cstr(sql) + b"\0\0")
        + pq.message(b"D", b"S" + name)
        + pq.message(b"C", b"S" + name)
        + pq.SYNC
    )


def _columns(payload: bytes) -> list[tuple[int, int]]:
    """(type OID, type modifier) of each column of a RowDescription."""
    count = _SHORT.unpack_from(payload)[0]
    columns = []
    pos = 2
    for _ in range(count):
        pos = payload.index(b"\0", pos) + 1
        columns.append(
            (_INT.unpack_from(payload, pos + 6)[0], _INT.unpack_from(payload, pos + 12)[0])
        )
        pos += 18
    return columns


async def describe(channel: BackendChannel, statements: list[str]) -> list[typed.Described]:
    """What each statement's result columns are, or None where PostgreSQL refused it."""
    if not statements or channel.status == pq.FAILED:
        return [None] * len(statements)
    in_block = channel.status == pq.IN_BLOCK
    if in_block:
        await channel.relay_query_silent(f"SAVEPOINT {_SAVEPOINT}")
    channel.send(b"".join(_probe_messages(sql) for sql in statements))
    out: list[typed.Described] = []
    for _ in statements:
        columns: typed.Described = []
        while True:
            code, payload = await channel.next_message()
            if code == b"T":
                columns = _columns(payload)
            elif code == b"E":
                columns = None
            elif code == b"Z":
                channel.status = payload[:1]
                break
            elif code == b"A":
                channel.to_client(pq.message(code, payload))
        out.append(columns)
    if in_block:
        undo = "" if all(c is not None for c in out) else f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}; "
        await channel.relay_query_silent(f"{undo}RELEASE SAVEPOINT {_SAVEPOINT}")
    return out


async def settle(channel: BackendChannel, text: str) -> str:
    """``text`` (translated, with slots) as PostgreSQL should run it on this session."""
    if not typed.has_slots(text):
        return text
    groups = typed.probes(text)
    flat = await describe(channel, [p.sql for group in groups for p in group])
    described: list[list[typed.Described]] = []
    pos = 0
    for group in groups:
        described.append(flat[pos : pos + len(group)])
        pos += len(group)
    return typed.render(text, described)
