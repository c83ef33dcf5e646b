"""LAST_QUERY_ID() and TABLE(RESULT_SCAN(...)) as Snowflake answers them.

fakesnow keeps every result by its query id and answers exactly ``SELECT * FROM
TABLE(RESULT_SCAN('<id>'))`` from it; but it had no LAST_QUERY_ID() (the statement failed to
parse in DuckDB), and any other query over RESULT_SCAN (a column list, WHERE, ORDER BY, a
join) came back as the whole earlier result, its clauses silently ignored.

Here the session keeps the ids of its statements in order (``remember``, called after each
statement the client sends); LAST_QUERY_ID(n) becomes the id as a literal (n < 0 counts back
from the most recent, n > 0 from the first; '' past either end, as no query has that
position); a RESULT_SCAN of a known id inside any other query reads the earlier result as a
table (an Arrow table registered on the session's DuckDB connection). Results are kept within
the emulator's limits (patches/result_cache.py): a scan of one it let go fails naming them.
"""

import uuid
from collections import deque
from typing import Any

from fakesnow.cursor import FakeSnowflakeCursor
from snowflake.connector.errors import ProgrammingError
from sqlglot import exp

from dwsim_snowflake.explain import note
from dwsim_snowflake.patches.result_cache import ResultCache, evicted_error
from dwsim_snowflake.refusals import emulator_limit

_QUERIES = "_dwsim_query_ids"  # on the session's FakeSnowflakeConnection
_SCANNED = "_dwsim_result_scans"  # names registered on its DuckDB connection, oldest first
KEPT_IDS = 10_000  # LAST_QUERY_ID(n) reaches this far back
_RESCANNED = "_dwsim_rescanned"  # on a cursor: fakesnow answers its statement from its cache
_KEPT_SCANS = 8  # results registered at once (the server describes the last one after it ran)


class _Queries:
    def __init__(self) -> None:
        self.ids: deque[str] = deque(maxlen=KEPT_IDS)
        self.count = 0  # statements in the session, including those no longer in ``ids``

    def at(self, position: int) -> str:
        if position < 0:
            return self.ids[position] if -position <= len(self.ids) else ""
        index = position - 1 - (self.count - len(self.ids))
        return self.ids[index] if 0 <= index < len(self.ids) else ""


def _queries(conn: Any) -> _Queries:
    return conn.__dict__.setdefault(_QUERIES, _Queries())


def remember(cursor: FakeSnowflakeCursor) -> None:
    """After a client's statement ran: its id is now the session's most recent. (fakesnow
    answers a whole RESULT_SCAN under the scanned query's id: it gets one of its own.)"""
    if cursor.__dict__.pop(_RESCANNED, False) and (scanned := cursor.sfqid):
        cursor._sfqid = str(uuid.uuid4())
        if (cached := cursor._conn.results_cache.get(scanned)) is not None:
            cursor._conn.results_cache[cursor._sfqid] = cached
    if query_id := cursor.sfqid:
        queries = _queries(cursor._conn)
        queries.ids.append(query_id)
        queries.count += 1


def _position(call: exp.Anonymous) -> int:
    if not call.expressions:
        return -1
    arg = call.expressions[0]
    negative = isinstance(arg, exp.Neg)
    literal = arg.this if negative else arg
    if len(call.expressions) > 1 or not (isinstance(literal, exp.Literal) and literal.is_int):
        raise emulator_limit("LAST_QUERY_ID with an argument that is not an integer literal", "")
    return -int(literal.this) if negative else int(literal.this)


def _scanned_table(cursor: FakeSnowflakeCursor, node: exp.TableFromRows) -> exp.Expr | None:
    """A RESULT_SCAN('<id>') inside a query: the earlier result as a registered table."""
    if (query_id := _scanned_id(node)) is None:
        return None
    cached = _cached(cursor, query_id)
    name = "_dwsim_result_" + "".join(c for c in query_id if c.isalnum())
    scanned: deque[str] = cursor._conn.__dict__.setdefault(_SCANNED, deque())
    if name not in scanned:
        cursor._duck_conn.register(name, cached[0])
        scanned.append(name)
        while len(scanned) > _KEPT_SCANS:
            cursor._duck_conn.unregister(scanned.popleft())
    table = exp.Table(this=exp.to_identifier(name, quoted=True))
    if alias := node.args.get("alias"):
        table.set("alias", alias)
    return table


def _cached(cursor: FakeSnowflakeCursor, query_id: str) -> tuple:
    """The result kept for ``query_id``; an id whose result the emulator let go fails naming
    the limit (patches/result_cache.py), an unknown one as Snowflake's."""
    cache = cursor._conn.results_cache
    cached = cache.get(query_id)
    if cached is not None:
        return cached
    if isinstance(cache, ResultCache) and cache.evicted(query_id):
        raise evicted_error(cache, query_id)
    raise ProgrammingError(msg=f"Statement {query_id} not found", errno=709, sqlstate="02000")


def _scanned_id(node: exp.TableFromRows) -> str | None:
    """'<id>' of a ``TABLE(RESULT_SCAN('<id>'))``."""
    call = node.this
    if (
        isinstance(call, exp.Anonymous)
        and call.name.upper() == "RESULT_SCAN"
        and len(call.expressions) == 1
        and isinstance(call.expressions[0], exp.Literal)
        and call.expressions[0].is_string
    ):
        return call.expressions[0].this
    return None


def _whole_result(expression: exp.Expr) -> bool:
    """``SELECT * FROM TABLE(RESULT_SCAN('<id>'))`` and nothing else: fakesnow answers it."""
    if not isinstance(expression, exp.Select) or expression.args.get("joins"):
        return False
    others = {k for k, v in expression.args.items() if v and k not in ("expressions", "from_")}
    star = len(expression.expressions) == 1 and isinstance(expression.expressions[0], exp.Star)
    return star and not others


def rewrite(cursor: FakeSnowflakeCursor, expression: exp.Expr) -> exp.Expr:
    """LAST_QUERY_ID() as a literal; RESULT_SCAN inside a query as a table (before fakesnow's
    transforms)."""
    for call in list(expression.find_all(exp.Anonymous)):
        if call.name.upper() == "LAST_QUERY_ID":
            note("LAST_QUERY_ID() of the session")
            value = exp.Literal.string(_queries(cursor._conn).at(_position(call)))
            parent = call.parent
            if isinstance(parent, exp.Select) and call in parent.expressions:
                value = exp.alias_(value, call.sql(dialect="snowflake").upper(), quoted=True)
            call.replace(value)
    if _whole_result(expression):
        for node in expression.find_all(exp.TableFromRows):
            if (query_id := _scanned_id(node)) is not None:
                _cached(cursor, query_id)  # fakesnow answers it; a forgotten id fails here
        cursor.__dict__[_RESCANNED] = True
        return expression
    for node in list(expression.find_all(exp.TableFromRows)):
        if (table := _scanned_table(cursor, node)) is not None:
            note("RESULT_SCAN inside a query")
            node.replace(table)
    return expression
