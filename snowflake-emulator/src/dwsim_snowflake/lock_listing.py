"""SHOW LOCKS and SHOW TRANSACTIONS, answered from the emulator's lock table (table_locks.py).

Snowflake's columns, in lower case as Snowflake names SHOW columns:

- SHOW LOCKS [IN ACCOUNT]: ``resource`` (the table, DB.SCHEMA.TABLE), ``type`` (PARTITIONS:
  a standard table's lock), ``transaction``, ``transaction_started_on``, ``status`` (HOLDING,
  or WAITING for a statement waiting for the lock), ``acquired_on`` (NULL while WAITING),
  ``query_id`` (the statement that took the lock; NULL while WAITING: the emulator gives a
  statement its id when it ends, Snowflake when it is submitted), ``session`` (shown to the
  ACCOUNTADMIN role only, NULL for others).
- SHOW TRANSACTIONS [IN ACCOUNT]: ``id``, ``user``, ``session``, ``name`` (BEGIN NAME's, else
  a UUID), ``started_on``, ``state`` (running), ``scope`` (0: the emulator has no stored
  procedures, so no scoped transactions).

Who sees what, as in Snowflake: a user sees the transactions and locks of all their own
sessions; IN ACCOUNT shows every user's to the ACCOUNTADMIN role (for other roles it shows
their own, as SHOW LOCKS does). A session's number in the emulator is its session id.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from dwsim_snowflake.sql_text import without_comments
from dwsim_snowflake.table_locks import Locks, Session

ADMIN_ROLE = "ACCOUNTADMIN"
_SHOW = re.compile(r"^\s*SHOW\s+(LOCKS|TRANSACTIONS)(\s+IN\s+ACCOUNT)?\s*;?\s*$", re.IGNORECASE)

_LOCK_COLUMNS = (
    ("resource", "VARCHAR"),
    ("type", "VARCHAR"),
    ("transaction", "NUMBER(19, 0)"),
    ("transaction_started_on", "TIMESTAMP_LTZ"),
    ("status", "VARCHAR"),
    ("acquired_on", "TIMESTAMP_LTZ"),
    ("query_id", "VARCHAR"),
    ("session", "NUMBER(19, 0)"),
)
_TRANSACTION_COLUMNS = (
    ("id", "NUMBER(19, 0)"),
    ("user", "VARCHAR"),
    ("session", "NUMBER(19, 0)"),
    ("name", "VARCHAR"),
    ("started_on", "TIMESTAMP_LTZ"),
    ("state", "VARCHAR"),
    ("scope", "NUMBER(19, 0)"),
)

Value = str | int | datetime | None


@dataclass(frozen=True)
class Viewer:
    """Who asks: their login name and current role."""

    user: str | None
    role: str

    @property
    def admin(self) -> bool:
        return self.role == ADMIN_ROLE

    def sees(self, session: Session, in_account: bool) -> bool:
        return (in_account and self.admin) or session.user == self.user

    def may_abort(self, session: Session) -> bool:
        """Snowflake: the user who started the transaction, or an account administrator."""
        return self.admin or session.user == self.user


def parse(command: str) -> tuple[str, bool] | None:
    """("LOCKS" | "TRANSACTIONS", IN ACCOUNT) when ``command`` is one of these SHOWs."""
    found = _SHOW.match(without_comments(command))
    if found is None:
        return None
    return found[1].upper(), found[2] is not None


def answer_sql(locks: Locks, viewer: Viewer, what: str, in_account: bool) -> str:
    """The SELECT returning what the SHOW shows ``viewer``, in Snowflake's columns."""
    if what == "LOCKS":
        return _select(_LOCK_COLUMNS, _lock_rows(locks, viewer, in_account))
    rows = [
        (t.id, s.user, _session_id(s), t.name, t.started_on, "running", 0)
        for t, s in locks.open_transactions()
        if viewer.sees(s, in_account)
    ]
    return _select(_TRANSACTION_COLUMNS, rows)


def _lock_rows(locks: Locks, viewer: Viewer, in_account: bool) -> list[tuple[Value, ...]]:
    rows: list[tuple[Value, ...]] = []
    for hold in locks.holds():
        transaction = hold.session.transaction
        if transaction is None or not viewer.sees(hold.session, in_account):
            continue
        session = _session_id(hold.session) if viewer.admin else None
        rows.append(
            (hold.table, "PARTITIONS", transaction.id, transaction.started_on, "HOLDING",
             hold.acquired_on, hold.query_id, session)
        )  # fmt: skip
    for table, waiter in locks.waits():
        transaction = waiter.transaction
        if transaction is None or not viewer.sees(waiter, in_account):
            continue
        session = _session_id(waiter) if viewer.admin else None
        rows.append(
            (table, "PARTITIONS", transaction.id, transaction.started_on, "WAITING", None, None,
             session)
        )  # fmt: skip
    return sorted(rows, key=lambda r: (str(r[0]), r[4] != "HOLDING", int(r[2] or 0)))


def _session_id(session: Session) -> int | None:
    return int(session.name) if session.name.isdigit() else None


def _literal(value: Value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, datetime):
        return f"'{value.isoformat(sep=' ')}'"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def _select(columns: tuple[tuple[str, str], ...], rows: list[tuple[Value, ...]]) -> str:
    """A SELECT of ``rows`` typed and named as ``columns`` (none: no rows, same columns)."""
    names = ", ".join(f"c{i}" for i in range(len(columns)))
    typed = ", ".join(f'CAST(c{i} AS {kind}) AS "{name}"' for i, (name, kind) in enumerate(columns))
    if not rows:
        nulls = ", ".join("NULL" for _ in columns)
        return f"SELECT {typed} FROM (VALUES ({nulls})) AS t({names}) WHERE 1 = 0"
    values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    return f"SELECT {typed} FROM (VALUES {values}) AS t({names})"
