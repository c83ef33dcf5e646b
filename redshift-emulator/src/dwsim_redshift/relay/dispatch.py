"""What the relay does with one statement: run it here (COPY from S3, UNLOAD, ALTER TABLE APPEND,
TRUNCATE: statement_kind.classify tells which) or translate it.

The COPY/UNLOAD engine (``dwsim_redshift.copy``) runs in a worker thread against a
:class:`BridgedBackendSession`; the translator (``dwsim_redshift.sql``) turns Redshift SQL into
PostgreSQL text, cached since clients repeat the same statements.
"""

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from dwsim_redshift import copy as copy_engine
from dwsim_redshift import sql as translator
from dwsim_redshift.backend.bridged_session import BridgedBackendSession
from dwsim_redshift.backend.channel import BackendChannel
from dwsim_redshift.backend.session import BackendError
from dwsim_redshift.config import Settings
from dwsim_redshift.logs import log
from dwsim_redshift.relay.statement_kind import Emulated
from dwsim_redshift.sql import typed
from dwsim_redshift.wire import messages as pq


@dataclass(frozen=True)
class Done:
    """An emulated statement that ran: its command tag, and its query id if it has one."""

    tag: str
    query_id: int | None = None


class StatementFailed(Exception):
    """A statement the emulator handles failed; ``str()`` is the message the client sees."""

    def __init__(self, message: str, sqlstate: str = "XX000", detail: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.detail = detail

    def response(self) -> bytes:
        """The ErrorResponse message for the client."""
        return pq.error_response(str(self), self.sqlstate, detail=self.detail)


_CACHED_LENGTH = 4096  # longer statements (bulk INSERTs) are rarely repeated: not cached
_THREAD_LENGTH = 65536  # translating longer statements would hold up other sessions


def translate(sql: str) -> str:
    """Redshift SQL to PostgreSQL, with typed slots (result_types.settle() renders them);
    raises StatementFailed if it cannot be emulated."""
    if len(sql) <= _CACHED_LENGTH:
        return _translate_cached(sql)
    return _translate(sql)


async def translate_async(sql: str) -> str:
    if len(sql) > _THREAD_LENGTH:
        return await asyncio.to_thread(_translate, sql)
    return translate(sql)


@lru_cache(maxsize=4096)
def _translate_cached(sql: str) -> str:
    return _translate(sql)


def _translate(sql: str) -> str:
    try:
        return translator.translate_typed(sql)
    except translator.UnsupportedStatementError as exc:
        raise StatementFailed(str(exc), "0A000") from exc
    except Exception:
        # A translator bug must not cost the client its connection: PostgreSQL gets the text
        # as written and answers for itself.
        log("redshift.translate_failed", logging.WARNING, exc_info=True, statement=sql[:300])
        return sql


_ABORTED = "current transaction is aborted, commands ignored until end of transaction block"


async def run_truncate(sql: str, channel: BackendChannel) -> Done:
    """TRUNCATE, then COMMIT when inside a transaction block: Redshift's TRUNCATE commits the
    transaction it runs in (everything before it in the block too; ROLLBACK undoes nothing)."""
    if channel.status == pq.FAILED:
        raise StatementFailed(_ABORTED, "25P02")
    try:
        await channel.query(typed.strip(translate(sql)))
        if channel.status == pq.IN_BLOCK:
            await channel.query("COMMIT")
    except BackendError as exc:
        raise StatementFailed(exc.message, exc.sqlstate, exc.detail) from exc
    return Done("TRUNCATE TABLE")


async def run_emulated(
    kind: Emulated,
    sql: str,
    channel: BackendChannel,
    settings: Settings,
    conn_id: int,
    cancelled: threading.Event | None = None,
) -> Done:
    """Run a COPY/UNLOAD/APPEND/TRUNCATE on the client's backend session; return its command tag.

    Outside a transaction block the run gets its own transaction, so it is all-or-nothing;
    inside the client's block a failure leaves the block failed, as in PostgreSQL.
    """
    if kind is Emulated.TRUNCATE:
        return await run_truncate(sql, channel)
    if channel.status == pq.FAILED:
        raise StatementFailed(_ABORTED, "25P02")
    own_transaction = channel.status == pq.IDLE
    if kind is Emulated.APPEND and not own_transaction:
        raise StatementFailed(copy_engine.IN_BLOCK, "25001")
    if own_transaction:
        await channel.query("BEGIN")
    loop = asyncio.get_running_loop()
    session = BridgedBackendSession(channel, loop, not own_transaction, cancelled)
    started = time.perf_counter()
    query_id = None
    try:
        if kind is Emulated.COPY:
            result = await asyncio.to_thread(copy_engine.run_copy, sql, session, settings)
            tag = f"COPY {result.rows}"
            query_id = result.query_id
            fields: dict[str, object] = {"rows": result.rows}
        elif kind is Emulated.UNLOAD:
            result = await asyncio.to_thread(copy_engine.run_unload, sql, session, settings)
            tag = "UNLOAD"
            fields = {"rows": result.rows, "files": len(result.files)}
        else:
            moved = await asyncio.to_thread(copy_engine.run_append, sql, session)
            tag = "ALTER TABLE APPEND"
            fields = {"rows": moved}
        await channel.finish()
        if own_transaction:
            await channel.query("COMMIT")
    except Exception as exc:
        failure = _failure(kind, exc)
        await _recover(channel, own_transaction, str(failure))
        log(
            f"redshift.{kind}.failed",
            logging.WARNING,
            exc_info=not isinstance(exc, copy_engine.CopyError | BackendError),
            conn=conn_id,
            error=str(failure),
            sqlstate=failure.sqlstate,
        )
        raise failure from exc
    log(
        f"redshift.{kind}",
        conn=conn_id,
        ms=round((time.perf_counter() - started) * 1000, 1),
        statement=sql[:300],
        **fields,
    )
    return Done(tag, query_id)


def _failure(kind: Emulated, exc: Exception) -> StatementFailed:
    if isinstance(exc, StatementFailed):
        return exc
    if isinstance(exc, copy_engine.CopyError):
        sqlstate = getattr(exc, "sqlstate", None) or "XX000"
        return StatementFailed(str(exc), sqlstate, getattr(exc, "detail", None))
    if isinstance(exc, BackendError):
        return StatementFailed(exc.message, exc.sqlstate, exc.detail)
    return StatementFailed(
        f"the Redshift emulator failed while running {kind.upper()}: {type(exc).__name__}: {exc}",
        "XX000",
    )


async def _recover(channel: BackendChannel, own_transaction: bool, reason: str) -> None:
    """Leave the backend idle and the transaction as PostgreSQL would after an error."""
    try:
        await channel.finish()
        if own_transaction:
            await channel.relay_query_silent("ROLLBACK")
        elif channel.status == pq.IN_BLOCK:
            await channel.abort_block(reason)
    except BackendError:
        pass
