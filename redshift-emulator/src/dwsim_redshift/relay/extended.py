"""The extended protocol (Parse/Bind/Describe/Execute/Close) of a Relay.

Parse is translated (and its result types settled) before it is forwarded; a statement the
emulator runs itself (COPY, UNLOAD, ALTER TABLE APPEND, TRUNCATE) is kept here and answered here
at Bind/Describe/Execute/Close. Executes are noted for the query log with their statement's text.
"""

from typing import TYPE_CHECKING

from dwsim_redshift.logs import log
from dwsim_redshift.relay.dispatch import StatementFailed, translate_async
from dwsim_redshift.relay.statement_kind import classify
from dwsim_redshift.sql import typed
from dwsim_redshift.wire import messages as pq

if TYPE_CHECKING:
    from dwsim_redshift.relay.relay import Relay


async def on_parse(relay: "Relay", payload: bytes) -> None:
    (name, sql), rest = pq.split_cstrings(payload, 2)
    relay.texts[name] = sql
    kind = classify(sql)
    if kind is not None:
        if await relay._settle():
            relay.statements[name] = (kind, sql)
            relay.cwriter.write(pq.PARSE_COMPLETE)
        return
    relay.statements.pop(name, None)
    await relay._log_readers(sql)
    try:
        text = await translate_async(sql)
    except StatementFailed as exc:
        await _fail(relay, exc)
        return
    if typed.has_slots(text):
        if not await relay._settle():
            return
        text = await relay._typed(text)
    if text != sql:
        payload = pq.cstr(name) + pq.cstr(text) + rest
    relay.dirty = True
    relay._to_backend(pq.message(b"P", payload))


async def on_message(relay: "Relay", code: bytes, payload: bytes) -> None:
    """Bind/Describe/Execute/Close: answered here when they name an emulated statement."""
    if code == b"B":
        (portal, statement), _ = pq.split_cstrings(payload, 2)
        relay.portal_texts[portal] = relay.texts.get(statement, "")
        target = relay.statements.get(statement)
        if target is None:
            relay.portals.pop(portal, None)
        elif await relay._settle():
            relay.portals[portal] = target
            relay.cwriter.write(pq.BIND_COMPLETE)
            return
        else:
            return
    elif code in (b"D", b"C"):
        which = payload[:1]
        name = payload[1:-1].decode("utf-8", "surrogateescape")
        table = relay.statements if which == b"S" else relay.portals
        if code == b"C":
            (relay.texts if which == b"S" else relay.portal_texts).pop(name, None)
        if name in table:
            if not await relay._settle():
                return
            if code == b"C":
                del table[name]
                relay.cwriter.write(pq.CLOSE_COMPLETE)
            elif which == b"S":
                relay.cwriter.write(pq.NO_PARAMETERS + pq.NO_DATA)
            else:
                relay.cwriter.write(pq.NO_DATA)
            return
    elif code == b"E":
        portal = payload[: payload.index(b"\0")].decode("utf-8", "surrogateescape")
        target = relay.portals.get(portal)
        if target is not None:
            await _execute_emulated(relay, *target)
            return
        relay.tracker.sent([relay.portal_texts.get(portal, "")], syncing=False)
    relay.dirty = True
    relay._to_backend(pq.message(code, payload))


async def _execute_emulated(relay: "Relay", kind, sql: str) -> None:
    if not await relay._settle():
        return
    channel = await relay._takeover()
    try:
        tag = await relay._emulate(kind, sql, channel)
        relay.cwriter.write(pq.command_complete(tag))
    except StatementFailed as exc:
        relay.cwriter.write(exc.response())
        relay.skip_until_sync = True
    finally:
        relay._release(channel)


async def _fail(relay: "Relay", exc: StatementFailed) -> None:
    """An error the emulator raised in an extended-protocol batch: error, then skip to Sync."""
    if not await relay._settle():
        return
    log("redshift.unsupported", conn=relay.conn_id, error=str(exc))
    if relay.status == pq.IN_BLOCK:
        channel = await relay._takeover()
        try:
            await channel.abort_block(str(exc))
        finally:
            relay._release(channel)
    relay.cwriter.write(exc.response())
    relay.skip_until_sync = True
