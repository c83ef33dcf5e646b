"""ALTER SESSION SET / UNSET of session parameters.

fakesnow implements two (AUTOCOMMIT, and QUOTED_IDENTIFIERS_IGNORE_CASE = FALSE) and fails
every other with its own "not implemented, raise an issue" text. Here:

- LOCK_TIMEOUT (seconds, 0 or more; Snowflake's default 43,200) sets how long this session's
  DELETE, UPDATE, MERGE and TRUNCATE wait for another transaction's table lock
  (table_locks.py); 0: the lock is taken at once or the statement fails. UNSET goes back to
  the emulator's DWSIM_SNOWFLAKE_LOCK_TIMEOUT_SECONDS.
- STATEMENT_TIMEOUT_IN_SECONDS (0 to 604,800; 0 is Snowflake's default, two days): a
  statement of this session still running past it is stopped with 630 (statement_timeout.py).
- QUERY_TAG (a string of at most 2,000 characters) is accepted: on Snowflake it only labels
  the session's queries in the query history, which the emulator does not keep.
- AUTOCOMMIT and QUOTED_IDENTIFIERS_IGNORE_CASE go to fakesnow, alone in their statement.
- Any other parameter is refused as an emulator limit naming it: the emulator keeps
  Snowflake's defaults (a TIMEZONE set and silently ignored would give wrong
  answers).
"""

import re

from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake.refusals import emulator_limit
from dwsim_snowflake.sql_text import without_comments
from dwsim_snowflake.table_locks import Session

_ALTER = re.compile(r"^\s*ALTER\s+SESSION\s+(SET|UNSET)\s+(.*?)\s*;?\s*$", re.I | re.S)
_ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*('(?:[^']|'')*'|[^\s,']+)\s*,?\s*", re.S)
_NAMES = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*,?\s*")
FAKESNOW = frozenset({"AUTOCOMMIT", "QUOTED_IDENTIFIERS_IGNORE_CASE"})
OURS = frozenset({"LOCK_TIMEOUT", "QUERY_TAG", "STATEMENT_TIMEOUT_IN_SECONDS"})
STATEMENT_TIMEOUT_MAX = 604_800  # Snowflake's largest (7 days); 0: its default, 2 days
QUERY_TAG_MAX = 2000
DONE = "SELECT 'Statement executed successfully.' AS \"status\""


def apply(command: str, session: Session) -> str | None:
    """For an ALTER SESSION the emulator answers itself: applied, and the SQL that gives its
    result. None: not such a statement (fakesnow runs it)."""
    found = _ALTER.match(without_comments(command))
    if found is None:
        return None
    unset, body = found[1].upper() == "UNSET", found[2]
    items = _items(body, unset)
    if items is None:
        return None  # not a list of parameters: fakesnow's parser says what is wrong
    names = [name for name, _ in items]
    if len(items) == 1 and names[0] in FAKESNOW:
        return None
    for name in names:
        if name not in OURS:
            raise emulator_limit(
                f"ALTER SESSION {found[1].upper()} {name}",
                "The emulator keeps Snowflake's defaults for session parameters; it accepts "
                "LOCK_TIMEOUT, STATEMENT_TIMEOUT_IN_SECONDS, QUERY_TAG, AUTOCOMMIT and "
                "QUOTED_IDENTIFIERS_IGNORE_CASE = FALSE.",
            )
    for name, value in items:
        _set(session, name, value)
    return DONE


def _items(body: str, unset: bool) -> list[tuple[str, str | None]] | None:
    pattern = _NAMES if unset else _ASSIGN
    items, at = [], 0
    while at < len(body):
        match = pattern.match(body, at)
        if match is None:
            return None
        items.append((match[1].upper(), None if unset else match[2]))
        at = match.end()
    return items or None


def _set(session: Session, name: str, value: str | None) -> None:
    if name == "LOCK_TIMEOUT":
        if value is None:
            session.lock_timeout_s = None
        elif value.isdigit():
            session.lock_timeout_s = float(value)
        else:
            raise _invalid(name, value)
    elif name == "STATEMENT_TIMEOUT_IN_SECONDS":
        if value is None:
            session.statement_timeout_s = None
        elif value.isdigit() and int(value) <= STATEMENT_TIMEOUT_MAX:
            session.statement_timeout_s = float(value) or None
        else:
            raise _invalid(name, value)
    elif name == "QUERY_TAG" and value is not None:
        text = value[1:-1].replace("''", "'") if value.startswith("'") else value
        if len(text) > QUERY_TAG_MAX:
            raise _invalid(name, value[:40] + "...")


def _invalid(name: str, value: str) -> ProgrammingError:
    return ProgrammingError(
        msg=f"Invalid value [{value}] for parameter '{name}'",
        errno=1008,
        sqlstate="22023",
    )
