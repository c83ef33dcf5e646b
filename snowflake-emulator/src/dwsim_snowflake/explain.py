"""Which of the emulator's own rewrites a statement goes through, without running it.

The emulator's public hook for ``dwsim check-sql`` (and anyone who wants to know what the
emulator does to their SQL)::

    SELECT SYSTEM$DWSIM_EXPLAIN('select amount / 3 from orders')

answers one row: ``SQL`` (the DuckDB SQL the emulator would run, statements split by fakesnow
joined with ``;``), ``REWRITES`` (a JSON array of the names of the rewrites that apply, in the
order they applied; ``[]``: the statement runs through fakesnow's plain translation only) and
``UNSUPPORTED`` (the emulator limit it would be refused with, else NULL). The statement is
parsed and transformed exactly as ``execute`` would (on a cursor of its own, in the session's
database, schema and temporary tables), then dropped: nothing runs.

Each rewrite says it applied by calling ``note(name)`` where it changes a statement; outside
an explanation ``note`` does nothing. fakesnow's own transforms (Snowflake to DuckDB SQL) are
not named: they are the emulator's translation, as sqlglot's is on Redshift.
"""

import contextvars
import json
import re
from dataclasses import dataclass
from typing import Any

import sqlglot
from fakesnow.dialect import parse_one
from snowflake.connector.errors import ProgrammingError
from sqlglot import exp
from sqlglot.errors import SqlglotError

from dwsim_snowflake import refusals
from dwsim_snowflake.sql_text import without_comments

FUNCTION = "SYSTEM$DWSIM_EXPLAIN"

_notes: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "dwsim_explain_notes", default=None
)
_ASKED = re.compile(r"SYSTEM\$DWSIM_EXPLAIN", re.IGNORECASE)
# statements the emulator runs itself rather than through fakesnow's transforms
_RUN_BY_EMULATOR = (
    (re.compile(r"\s*DROP\s+DATABASE\b", re.IGNORECASE), "DROP DATABASE (run by the emulator)"),
    (re.compile(r"\s*LIST\s+@", re.IGNORECASE), "LIST @stage (run by the emulator)"),
    (re.compile(r"\s*COPY\s+INTO\s+(?:'|@)", re.IGNORECASE), "unload (run by the emulator)"),
    (re.compile(r"\s*COPY\s+INTO\b", re.IGNORECASE), "copy (run by the emulator)"),
    (re.compile(r"\s*PUT\s", re.IGNORECASE), "put (run by the emulator)"),
)


@dataclass(frozen=True)
class Explanation:
    sql: str  # what DuckDB would be sent
    rewrites: tuple[str, ...] = ()
    unsupported: str | None = None


def note(name: str) -> None:
    """Record that the rewrite ``name`` applied to the statement being explained."""
    found = _notes.get()
    if found is not None and name not in found:
        found.append(name)


def explain(cursor: Any, sql: str) -> Explanation:
    """What the emulator would do with ``sql`` in ``cursor``'s session, without running it."""
    bare = without_comments(sql)
    for pattern, name in _RUN_BY_EMULATOR:
        if pattern.match(bare):
            return Explanation(sql=sql, rewrites=(name,))
    own = cursor._conn.cursor()  # the transforms leave state on the cursor for _execute
    token = _notes.set([])
    try:
        refusals.check(sql)
        expression = parse_one(own._inline_variables(sql))
        if isinstance(expression, exp.Set):  # SET x = ...: its transform sets the variable
            return Explanation(sql=sql)
        statements = own._transform_explode(expression)
        transformed = [own._transform(statement, None) for statement in statements]
        text = ";\n".join(t.sql(dialect="duckdb") for t in transformed)
        return Explanation(sql=text, rewrites=tuple(_notes.get() or ()))
    except ProgrammingError as exc:
        if exc.sqlstate == "0A000":
            return Explanation(sql=sql, unsupported=getattr(exc, "raw_msg", None) or exc.msg)
        raise
    finally:
        _notes.reset(token)
        own.close()


def asked(command: str) -> str | None:
    """The statement of ``SELECT SYSTEM$DWSIM_EXPLAIN('<statement>')``, else None."""
    if not _ASKED.search(command):
        return None
    try:
        tree = sqlglot.parse_one(command, read="snowflake")
    except SqlglotError:
        return None
    if not isinstance(tree, exp.Select) or len(tree.expressions) != 1 or tree.args.get("from_"):
        return None
    call = tree.expressions[0]
    if not (isinstance(call, exp.Anonymous) and call.name.upper() == FUNCTION):
        return None
    if len(call.expressions) != 1 or not call.expressions[0].is_string:
        raise refusals.emulator_limit(
            f"{FUNCTION} with anything but one string literal", "Quote the statement."
        )
    return call.expressions[0].this


def _quoted(text: str | None) -> str:
    if text is None:
        return "NULL"
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def answer_sql(explanation: Explanation) -> str:
    """The SELECT that returns ``explanation`` as the hook's row."""
    rewrites = json.dumps(list(explanation.rewrites))
    return (
        f'SELECT {_quoted(explanation.sql)} AS "SQL", {_quoted(rewrites)} AS "REWRITES", '
        f'{_quoted(explanation.unsupported)} AS "UNSUPPORTED"'
    )
