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

No fakesnow here: ``patches/locks.py`` calls these around fakesnow's statements.
"""

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake.errors import cancelled

LOCK_ERRNO = 625  # Snowflake's "… has locked table … and this lock has not yet been released"
POLL_S = 0.05

log = logging.getLogger("dwsim.snowflake")


@dataclass(eq=False)
class Session:
    """What the lock table knows of one emulator session."""

    name: str  # for messages: the session's number in the emulator
    rollback: Callable[[], None]  # rolls its DuckDB transaction back (only when idle)
    alive: Callable[[], bool]  # False once the session has ended (logout, idle timeout)
    in_flight: int = 0
    last_end: float = field(default_factory=time.monotonic)
    aborting: threading.Event = field(default_factory=threading.Event)  # set: rollback running
    aborted: str | None = None  # why its transaction was aborted, until it is told
    waiting_for: "Session | None" = None
    cancel: threading.Event = field(default_factory=threading.Event)


class Locks:
    """Which session holds which table, and the waits for them."""

    def __init__(self, detached_idle_s: float = 300.0, lock_timeout_s: float = 43_200.0):
        self.detached_idle_s = detached_idle_s
        self.lock_timeout_s = lock_timeout_s
        self._mutex = threading.Lock()
        self._holders: dict[str, Session] = {}  # table -> the session whose transaction holds it

    # statements of a session

    def begin_statement(self, session: Session) -> None:
        """A statement of ``session`` starts: it is not idle; wait for an abort in progress."""
        with self._mutex:
            session.in_flight += 1
            session.cancel.clear()
        while session.aborting.is_set():
            time.sleep(POLL_S)

    def end_statement(self, session: Session) -> None:
        with self._mutex:
            session.in_flight -= 1
            session.last_end = time.monotonic()

    def acquire(self, session: Session, table: str) -> None:
        """Wait until no other session holds ``table``, then hold it for ``session``."""
        started = time.monotonic()
        try:
            while True:
                with self._mutex:
                    holder = self._holders.get(table)
                    if holder is None or holder is session:
                        self._holders[table] = session
                        return
                    session.waiting_for = holder
                    if self._deadlocked(session):
                        raise _deadlock(table, holder)
                if not holder.alive():
                    self._abort(holder, table, ended=True)
                    continue
                if self._idle(holder) >= self.detached_idle_s and self._abort(holder, table):
                    continue
                if session.cancel.is_set():
                    raise cancelled()
                if time.monotonic() - started >= self.lock_timeout_s:
                    raise _timed_out(table, holder, self.lock_timeout_s)
                time.sleep(POLL_S)
        finally:
            with self._mutex:
                session.waiting_for = None

    def release_all(self, session: Session) -> None:
        """The transaction of ``session`` ended (COMMIT, ROLLBACK, session closed)."""
        with self._mutex:
            for table in [t for t, s in self._holders.items() if s is session]:
                del self._holders[table]

    def release(self, session: Session, table: str) -> None:
        with self._mutex:
            if self._holders.get(table) is session:
                del self._holders[table]

    def holds(self, session: Session) -> bool:
        with self._mutex:
            return any(s is session for s in self._holders.values())

    def cancel(self, session: Session) -> None:
        """The client gave up on the statement (abort request): a lock wait stops (604)."""
        session.cancel.set()

    # detached transactions

    def _idle(self, holder: Session) -> float:
        with self._mutex:
            return 0.0 if holder.in_flight else time.monotonic() - holder.last_end

    def _abort(self, holder: Session, table: str, ended: bool = False) -> bool:
        """Roll back ``holder``'s transaction if no statement of it is in flight."""
        with self._mutex:
            if holder.in_flight or holder.aborting.is_set():
                return False
            holder.aborting.set()
            idle = time.monotonic() - holder.last_end
        try:
            with contextlib.suppress(Exception):  # an ended session's connection may be closed
                holder.rollback()
        finally:
            with self._mutex:
                for name in [t for t, s in self._holders.items() if s is holder]:
                    del self._holders[name]
                if not ended:
                    holder.aborted = (
                        f"Your transaction was aborted and rolled back: it held a lock on table "
                        f"'{table}' that another session waited for, and was idle for {idle:.0f} s "
                        f"(the Snowflake emulator takes a transaction that blocks another and is "
                        f"idle for {self.detached_idle_s:g} s for detached, as Snowflake aborts "
                        "a detached transaction after 5 idle minutes). Run the transaction again."
                    )
            holder.aborting.clear()
        log.warning(
            "snowflake.transaction_aborted session=%s table=%s idle_s=%.1f reason=%s",
            holder.name, table, idle, "session ended" if ended else "detached, blocking a lock",
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
