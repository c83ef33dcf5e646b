"""Table locks as Snowflake takes them, over DuckDB, which has none.

Snowflake: a ``DELETE``, ``UPDATE``, ``MERGE`` or ``TRUNCATE`` locks its table until its
transaction ends; another transaction's statement of those kinds on that table waits for the
lock (up to ``LOCK_TIMEOUT``, 43,200 s by default). A transaction whose session disconnected is
left *detached*, its locks held; once it blocks another transaction and has been idle for 5
minutes, Snowflake aborts it and rolls it back, and the waiting statement goes on. ``INSERT``
and ``COPY INTO`` write new partitions and take no lock that blocks these.

DuckDB: optimistic; a ``DELETE`` of rows another open transaction deleted fails at once with
"Conflict on tuple deletion", and the failure aborts the whole transaction. So the emulator
keeps the locks itself (``Locks``): before a locking statement runs, it waits for another
session's lock on the table, as Snowflake does. A holder with no statement in flight for
``detached_idle_s`` (default 300 s, Snowflake's 5 minutes) while it blocks another session is
taken for detached and aborted (its transaction rolled back, by ``Session.abort``). The emulator
cannot tell a client that died from one that is alive but idle inside its transaction (the
connector sends no heartbeat unless CLIENT_SESSION_KEEP_ALIVE), so such a live session's
transaction is aborted too, only after blocking another for that long; one with a statement
in flight never is. Its next statement is told (``aborted_error``).

Each transaction the emulator knows gets an id when it begins (``begin_transaction``: a BEGIN,
the first DML of a session without AUTOCOMMIT, or an autocommit statement that takes a lock),
a signed 64-bit integer as Snowflake's are. ``holds`` and ``open_transactions`` list what SHOW
LOCKS and SHOW TRANSACTIONS show (lock_listing.py); ``abort_transaction`` is
SYSTEM$ABORT_TRANSACTION (transaction_abort.py): an idle transaction is rolled back as a
detached one is, and its next statement told; one with a statement in flight (running, or
waiting for a lock) has that statement fail with the same message and its transaction rolled
back when it ends, on its own thread (a DuckDB connection serves one statement at a time).

No fakesnow here: ``patches/locks.py`` calls these around fakesnow's statements.
"""

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake.errors import cancelled

LOCK_ERRNO = 625  # Snowflake's "… has locked table … and this lock has not yet been released"
POLL_S = 0.05

log = logging.getLogger("dwsim.snowflake")


@dataclass(eq=False)
class Transaction:
    """An open transaction, as SHOW TRANSACTIONS lists it."""

    id: int  # a signed 64-bit integer, as Snowflake's
    started_on: datetime
    name: str  # BEGIN NAME's, else a UUID (Snowflake's "system-generated name")
    explicit: bool  # BEGIN, or a session without AUTOCOMMIT; False: one autocommit statement


@dataclass(eq=False)
class Session:
    """What the lock table knows of one emulator session."""

    name: str  # for messages: the session's number in the emulator
    rollback: Callable[[], None]  # rolls its DuckDB transaction back (only when idle)
    alive: Callable[[], bool]  # False once the session has ended (logout, idle timeout)
    user: str | None = None  # the login name, for who sees and aborts its transaction
    in_flight: int = 0
    last_end: float = field(default_factory=time.monotonic)
    aborting: threading.Event = field(default_factory=threading.Event)  # set: rollback running
    aborted: str | None = None  # why its transaction was aborted, until it is told
    waiting_for: "Session | None" = None
    waiting_on: str | None = None  # the table its statement waits for
    cancel: threading.Event = field(default_factory=threading.Event)
    transaction: Transaction | None = None
    abort_request: tuple[int, str, bool] | None = None  # (transaction id, message, tell now)
    lock_timeout_s: float | None = None  # ALTER SESSION SET LOCK_TIMEOUT; None: the emulator's
    statement_timeout_s: float | None = None  # STATEMENT_TIMEOUT_IN_SECONDS; None: no limit


@dataclass(eq=False)
class Hold:
    """A table lock held: by whom, since when, taken by which statement."""

    table: str
    session: Session
    acquired_on: datetime
    query_id: str | None = None  # the statement's, once it has one (when it ends)
    stamped: bool = False  # its statement ended (a failed one has no id)


class Locks:
    """Which session holds which table, and the waits for them."""

    def __init__(self, detached_idle_s: float = 300.0, lock_timeout_s: float = 43_200.0):
        self.detached_idle_s = detached_idle_s
        self.lock_timeout_s = lock_timeout_s
        self._mutex = threading.Lock()
        self._holders: dict[str, Hold] = {}  # table -> the hold of the transaction holding it
        self._open: dict[int, Session] = {}  # transaction id -> its session
        self._last_id = 0

    # statements of a session

    def begin_statement(self, session: Session) -> None:
        """A statement of ``session`` starts: it is not idle; wait for an abort in progress."""
        with self._mutex:
            session.in_flight += 1
            session.cancel.clear()
        while session.aborting.is_set():
            time.sleep(POLL_S)

    def end_statement(self, session: Session) -> None:
        """A statement of ``session`` ended; an abort asked as it ended is carried out now."""
        with self._mutex:
            session.in_flight -= 1
            session.last_end = time.monotonic()
            request = session.abort_request if not session.in_flight else None
            session.abort_request = None if request else session.abort_request
            current = session.transaction
            if request is None or current is None or current.id != request[0]:
                return
            session.aborting.set()
        try:
            with contextlib.suppress(Exception):
                session.rollback()
        finally:
            with self._mutex:
                self._end(session)
                session.aborted = request[1]
            session.aborting.clear()

    def acquire(self, session: Session, table: str) -> None:
        """Wait until no other session holds ``table``, then hold it for ``session``."""
        started = time.monotonic()
        try:
            while True:
                with self._mutex:
                    hold = self._holders.get(table)
                    if hold is None or hold.session is session:
                        if hold is None:
                            self._holders[table] = Hold(table, session, _now())
                        return
                    holder = hold.session
                    session.waiting_for, session.waiting_on = holder, table
                    if self._deadlocked(session):
                        raise _deadlock(table, holder)
                if session.abort_request is not None:
                    raise aborted_error(session.abort_request[1])
                if not holder.alive():
                    self._abort(holder, table, ended=True)
                    continue
                if self._idle(holder) >= self.detached_idle_s and self._abort(holder, table):
                    continue
                if session.cancel.is_set():
                    raise cancelled()
                limit = self.lock_timeout_s
                if session.lock_timeout_s is not None:
                    limit = session.lock_timeout_s
                if time.monotonic() - started >= limit:
                    raise _timed_out(table, holder, limit)
                time.sleep(POLL_S)
        finally:
            with self._mutex:
                session.waiting_for = session.waiting_on = None

    def release_all(self, session: Session) -> None:
        """The transaction of ``session`` ended (COMMIT, ROLLBACK, session closed)."""
        with self._mutex:
            self._end(session)

    def _end(self, session: Session) -> None:
        """Under the mutex: its locks released, its transaction no longer open."""
        for table in [t for t, h in self._holders.items() if h.session is session]:
            del self._holders[table]
        if session.transaction is not None:
            self._open.pop(session.transaction.id, None)
            session.transaction = None

    def release(self, session: Session, table: str) -> None:
        with self._mutex:
            if (hold := self._holders.get(table)) is not None and hold.session is session:
                del self._holders[table]

    def holds(self, session: Session | None = None) -> list[Hold]:
        """The locks held (by ``session``, or by every live session), for SHOW LOCKS."""
        with self._mutex:
            return [
                h for h in self._holders.values()
                if (h.session is session if session else h.session.alive())
            ]  # fmt: skip

    def stamp(self, session: Session, query_id: str | None) -> None:
        """The statement of ``session`` that just ended is ``query_id`` (None: it failed):
        the locks it took (those without a statement yet) were taken by it."""
        with self._mutex:
            for hold in self._holders.values():
                if hold.session is session and not hold.stamped:
                    hold.query_id, hold.stamped = query_id, True

    # transactions

    def begin_transaction(
        self,
        session: Session,
        explicit: bool,
        name: str | None = None,
        since: datetime | None = None,
    ) -> Transaction:
        """The transaction of ``session``, begun now (or ``since``) unless it has one."""
        with self._mutex:
            if session.transaction is None:
                self._last_id = max(self._last_id + 1, time.time_ns())
                session.transaction = Transaction(
                    self._last_id, since or _now(), name or str(uuid.uuid4()), explicit
                )
                self._open[self._last_id] = session
            elif explicit:
                session.transaction.explicit = True
            return session.transaction

    def open_transactions(self) -> list[tuple[Transaction, Session]]:
        """Every live session's open transaction, oldest first (SHOW TRANSACTIONS)."""
        with self._mutex:
            found = [(s.transaction, s) for s in self._open.values() if s.transaction]
        return sorted([(t, s) for t, s in found if s.alive()], key=lambda f: f[0].id)

    def waits(self) -> list[tuple[str, Session]]:
        """(table, session) of every statement waiting for a lock (SHOW LOCKS' WAITING)."""
        with self._mutex:
            return [
                (s.waiting_on, s) for s in self._open.values()
                if s.waiting_on is not None and s.waiting_for is not None
            ]  # fmt: skip

    def session_of(self, transaction_id: int) -> Session | None:
        with self._mutex:
            session = self._open.get(transaction_id)
        return session if session is not None and session.alive() else None

    def abort_transaction(
        self, target: Session, transaction_id: int, message: str, own: bool
    ) -> bool:
        """SYSTEM$ABORT_TRANSACTION: roll back ``target``'s transaction ``transaction_id``
        now if it is idle (its next statement is told ``message``); else ask the statement in
        flight to (``own``: the caller's, told at its next statement). False: not open."""
        while True:
            with self._mutex:
                current = target.transaction
                if current is None or current.id != transaction_id:
                    return False
                if target.in_flight or target.aborting.is_set():
                    target.abort_request = (transaction_id, message, not own)
                    return True
            if self._abort(target, "-", message=message, expected=transaction_id):
                return True

    def settle_abort(self, session: Session) -> str | None:
        """At the end of a statement of ``session`` (still in flight): carry out an abort
        asked meanwhile. The message to fail that statement with, if it is to be told now."""
        with self._mutex:
            request, session.abort_request = session.abort_request, None
            current = session.transaction
            if request is None or current is None or current.id != request[0]:
                return None
        with contextlib.suppress(Exception):
            session.rollback()
        with self._mutex:
            self._end(session)
        log.warning(
            "snowflake.transaction_aborted session=%s transaction=%s reason=%s",
            session.name, request[0], "SYSTEM$ABORT_TRANSACTION",
        )  # fmt: skip
        if request[2]:
            return request[1]
        session.aborted = request[1]
        return None

    def cancel(self, session: Session) -> None:
        """The client gave up on the statement (abort request): a lock wait stops (604)."""
        session.cancel.set()

    # detached transactions

    def _idle(self, holder: Session) -> float:
        with self._mutex:
            return 0.0 if holder.in_flight else time.monotonic() - holder.last_end

    def _abort(
        self,
        holder: Session,
        table: str,
        ended: bool = False,
        message: str | None = None,
        expected: int | None = None,
    ) -> bool:
        """Roll back ``holder``'s transaction (if ``expected``, only that one) if no statement
        of it is in flight; its next statement is told ``message`` (default: why a detached
        transaction is aborted)."""
        with self._mutex:
            if holder.in_flight or holder.aborting.is_set():
                return False
            current = holder.transaction
            if expected is not None and (current is None or current.id != expected):
                return False
            holder.aborting.set()
            idle = time.monotonic() - holder.last_end
            transaction = holder.transaction.id if holder.transaction else None
        try:
            with contextlib.suppress(Exception):  # an ended session's connection may be closed
                holder.rollback()
        finally:
            with self._mutex:
                self._end(holder)
                if message is not None:
                    holder.aborted = message
                elif not ended:
                    holder.aborted = (
                        f"Your transaction was aborted and rolled back: it held a lock on table "
                        f"'{table}' that another session waited for, and was idle for {idle:.0f} s "
                        f"(the Snowflake emulator takes a transaction that blocks another and is "
                        f"idle for {self.detached_idle_s:g} s for detached, as Snowflake aborts "
                        "a detached transaction after 5 idle minutes). Run the transaction again."
                    )
            holder.aborting.clear()
        reason = (
            "SYSTEM$ABORT_TRANSACTION" if message is not None
            else "session ended" if ended else "detached, blocking a lock"
        )  # fmt: skip
        log.warning(
            "snowflake.transaction_aborted session=%s transaction=%s table=%s idle_s=%.1f "
            "reason=%s", holder.name, transaction, table, idle, reason,
        )  # fmt: skip
        return True

    def _deadlocked(self, session: Session) -> bool:
        """Under the mutex: does the chain of waits from ``session`` come back to it?"""
        seen: set[int] = set()
        current = session.waiting_for
        while current is not None and id(current) not in seen:
            if current is session:
                return True
            seen.add(id(current))
            current = current.waiting_for
        return False


def _now() -> datetime:
    return datetime.now(UTC)


def aborted_error(message: str) -> ProgrammingError:
    return ProgrammingError(msg=message, errno=LOCK_ERRNO, sqlstate="40001")


def _timed_out(table: str, holder: Session, seconds: float) -> ProgrammingError:
    return ProgrammingError(
        msg=f"Table '{table}' is locked by the transaction of session {holder.name}, and the "
        f"lock was not released within LOCK_TIMEOUT ({seconds:g} s). Your statement was "
        "aborted; the transaction it is part of is still open.",
        errno=LOCK_ERRNO,
        sqlstate="57014",
    )


def _deadlock(table: str, holder: Session) -> ProgrammingError:
    return ProgrammingError(
        msg=f"Deadlock: table '{table}' is locked by the transaction of session {holder.name}, "
        "which waits for a lock this transaction holds. Your statement was chosen as the "
        "victim and aborted; the transaction it is part of is still open.",
        errno=LOCK_ERRNO,
        sqlstate="40001",
    )
