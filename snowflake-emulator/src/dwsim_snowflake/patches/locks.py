"""Lock waits and detached transactions, as Snowflake has them (see table_locks.py).

fakesnow runs every statement straight on DuckDB, which has no locks: a session's ``DELETE`` of
rows another session's open transaction deleted failed at once with DuckDB's "Conflict on tuple
deletion", and aborted the whole transaction. A client killed inside its transaction (it never
logged out) left that transaction open until its session ended (4 idle hours), and every
``DELETE`` of those tables failed meanwhile. Here:

- each statement of a session is counted in flight (``execute``), so a session with none in
  flight for a while is known to be idle;
- a ``DELETE``, ``UPDATE``, ``MERGE`` or ``TRUNCATE`` takes its table's lock before DuckDB runs
  it (``_execute``), waiting while another session's transaction holds it; the lock is held
  until the transaction ends (COMMIT, ROLLBACK), or the statement's end outside a transaction;
- a holder that ended (logged out, timed out) is rolled back; one idle for
  ``DWSIM_SNOWFLAKE_DETACHED_IDLE_SECONDS`` while it blocks the wait is aborted, and its next
  statement is told (a ``ROLLBACK`` just succeeds);
- the wait ends with an error after ``DWSIM_SNOWFLAKE_LOCK_TIMEOUT_SECONDS``, on a deadlock, or
  when the client's abort request cancels it (the connector's statement timeout);
- each transaction gets an id when it begins (BEGIN; the first DML without AUTOCOMMIT; an
  autocommit statement that locks), for SHOW LOCKS and SHOW TRANSACTIONS (answered here,
  lock_listing.py: fakesnow failed them) and SYSTEM$ABORT_TRANSACTION (transaction_abort.py:
  fakesnow had no such function).

The launcher calls ``configure()``; cancel.py calls ``cancel()``.
"""

import itertools
import re
import weakref
from datetime import UTC, datetime
from typing import Any

import fakesnow.server as server
from fakesnow.cursor import FakeSnowflakeCursor
from sqlglot import exp

from dwsim_snowflake import aborts, lock_listing, session_parameters, transaction_abort
from dwsim_snowflake.statement_timeout import Watch
from dwsim_snowflake.system_functions import DEFAULT_ROLE, session_info
from dwsim_snowflake.table_locks import Locks, Session, aborted_error

LOCKS = Locks()
_ROLLBACK = re.compile(r"^\s*(?:(?:--[^\n]*\n|/\*.*?\*/)\s*)*ROLLBACK\b", re.IGNORECASE | re.DOTALL)
_NAME = re.compile(r"^NAME\s+(\S+)$", re.IGNORECASE)
_numbers = itertools.count(1)
_original_execute: Any = None
_original_inner: Any = None


def configure(detached_idle_s: float, lock_timeout_s: float) -> None:
    LOCKS.detached_idle_s = detached_idle_s
    LOCKS.lock_timeout_s = lock_timeout_s


def stop(conn: Any) -> None:
    """Stop the statement running on ``conn`` (the client's abort request, or its session's
    STATEMENT_TIMEOUT_IN_SECONDS): DuckDB interrupted, a COPY INTO between two DuckDB
    statements stopped too (aborts.py), and a wait for a table lock (604)."""
    conn._duck_conn.interrupt()
    aborts.record(conn._duck_conn)
    if (session := getattr(conn, "_dwsim_locks", None)) is not None:
        LOCKS.cancel(session)


def session_of(conn: Any) -> Session:
    session = getattr(conn, "_dwsim_locks", None)
    if session is None:
        ref = weakref.ref(conn)  # the session must not keep its connection alive
        session = Session(
            name=str(next(_numbers)),
            rollback=lambda: _rollback(ref()),
            alive=lambda: (c := ref()) is not None and _logged_in(c),
            user=session_info(conn).get("user"),
        )
        conn._dwsim_locks = session
    return session


def execute(self: FakeSnowflakeCursor, command: str, *args: Any, **kwargs: Any) -> Any:
    session = session_of(self._conn)
    LOCKS.begin_statement(session)
    try:
        if session.aborted is not None:
            message, session.aborted = session.aborted, None
            if not _ROLLBACK.match(command):
                raise aborted_error(message)
        if (answer := session_parameters.apply(command, session)) is not None:
            return _original_execute(self, answer)
        if (shown := lock_listing.parse(command)) is not None:
            sql = lock_listing.answer_sql(LOCKS, viewer(self._conn), *shown)
            return _original_execute(self, sql)
        try:
            with Watch(session.statement_timeout_s, lambda: stop(self._conn)):
                result = _original_execute(self, command, *args, **kwargs)
        except Exception:
            LOCKS.stamp(session, None)
            if (message := LOCKS.settle_abort(session)) is not None:
                raise aborted_error(message) from None
            raise
        if (message := LOCKS.settle_abort(session)) is not None:
            raise aborted_error(message)
        LOCKS.stamp(session, self.sfqid)
        return result
    finally:
        LOCKS.end_statement(session)


def viewer(conn: Any) -> lock_listing.Viewer:
    info = session_info(conn)
    return lock_listing.Viewer(info.get("user"), info.get("role") or DEFAULT_ROLE)


def _execute(self: FakeSnowflakeCursor, transformed: exp.Expr, *args: Any, **kwargs: Any) -> Any:
    conn = self._conn
    session = session_of(conn)
    began = datetime.now(UTC)
    transaction_abort.answer_calls(LOCKS, session, viewer(conn), transformed)
    beginning = isinstance(transformed, exp.Transaction)
    name = _transaction_name(transformed) if beginning else None
    try:
        if tables := locked_tables(transformed, conn.database, conn.schema):
            explicit = _in_transaction(conn) or not conn._autocommit
            LOCKS.begin_transaction(session, explicit=explicit)
        for table in tables:
            LOCKS.acquire(session, table)
        result = _original_inner(self, transformed, *args, **kwargs)
        if beginning:  # ignored when a transaction is open, as Snowflake ignores it
            LOCKS.begin_transaction(session, explicit=True, name=name, since=began)
        return result
    finally:
        if isinstance(transformed, exp.Commit | exp.Rollback) or not (
            beginning or _in_transaction(conn)
        ):
            LOCKS.release_all(session)
        elif not beginning:  # a transaction DuckDB began (no AUTOCOMMIT): known from now
            LOCKS.begin_transaction(session, explicit=True, since=began)


def _transaction_name(begin: exp.Transaction) -> str | None:
    """BEGIN [TRANSACTION] NAME <name>'s name, taken off the statement (DuckDB has none)."""
    modes = begin.args.get("modes") or []
    for mode in modes:
        if (found := _NAME.match(str(mode).strip())) is not None:
            begin.set("modes", [m for m in modes if m is not mode] or None)
            name = found[1]
            return name[1:-1] if name.startswith('"') else name.upper()
    return None


def locked_tables(statement: exp.Expr, database: str | None, schema: str | None) -> list[str]:
    """The tables a statement locks in Snowflake (DELETE, UPDATE, MERGE, TRUNCATE targets)."""
    if isinstance(statement, exp.Delete | exp.Update | exp.Merge):
        targets = [statement.this]
    elif isinstance(statement, exp.TruncateTable):
        targets = list(statement.expressions)
    else:
        return []
    return [
        f"{t.catalog or database}.{t.db or schema}.{t.name}".upper()
        for t in targets
        if isinstance(t, exp.Table)
    ]


def _in_transaction(conn: Any) -> bool:
    return bool(getattr(conn, "_dwsim_in_tx", False) or conn._in_transaction)


def _logged_in(conn: Any) -> bool:
    return any(c is conn for c in list(server.sessions.values()))


def _rollback(conn: Any) -> None:
    if conn is None:
        return
    conn._in_transaction = False
    conn._dwsim_in_tx = False
    conn._duck_conn.execute("ROLLBACK")


def install() -> None:
    global _original_execute, _original_inner
    if FakeSnowflakeCursor.execute is not execute:
        _original_execute = FakeSnowflakeCursor.execute
        FakeSnowflakeCursor.execute = execute  # type: ignore[method-assign]
    if FakeSnowflakeCursor._execute is not _execute:
        _original_inner = FakeSnowflakeCursor._execute
        FakeSnowflakeCursor._execute = _execute  # type: ignore[method-assign]
