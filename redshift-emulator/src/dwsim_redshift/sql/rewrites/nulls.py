"""IGNORE NULLS / RESPECT NULLS in FIRST_VALUE, LAST_VALUE, NTH_VALUE, LAG and LEAD.

PostgreSQL 15 has no null treatment clause (sqlglot drops it when it writes PostgreSQL, so
every IgnoreNulls node must be rewritten or refused here). IGNORE NULLS becomes a window
aggregate over the same partition and order that keeps only non-NULL values
(plpgsql/63_ignore_nulls.sql), read with a subscript:

- FIRST_VALUE(v) / NTH_VALUE(v, n): first_nonnulls(v, n) over the function's own frame, element n;
- LAST_VALUE(v): last_nonnulls(v, 1) over its frame, element 1;
- LAG(v, k, d): last_nonnulls(v, k) over the rows before the current one, element 1, else d;
- LEAD(v, k, d): the same over the window's order reversed (the rows after the current one, the
  nearest first), so the frame still grows from the partition's start.

RESPECT NULLS is the default: the clause is dropped.
"""

from sqlglot import exp

from dwsim_redshift.sql.errors import UnsupportedStatementError
from dwsim_redshift.sql.rewrites.calls import helper

_NAVIGATION = (exp.FirstValue, exp.LastValue, exp.NthValue, exp.Lag, exp.Lead)


def _name(func: exp.Expr) -> str:
    if isinstance(func, exp.Dot):  # a call an earlier step made a helper's (SUM, AVG ...)
        func = func.expression
    return func.sql(dialect="redshift").split("(")[0].upper()


def _refuse(func: exp.Expr, why: str) -> UnsupportedStatementError:
    return UnsupportedStatementError(
        f"{_name(func)}(...) IGNORE NULLS cannot be emulated here ({why}): emulator limit; "
        "filter the NULLs in a subquery instead"
    )


def _offset(func: exp.Expr, default: int = 1) -> exp.Expr:
    offset = func.args.get("offset")
    if offset is None:
        return exp.Literal.number(default)
    if offset.is_int and int(offset.name) < 1:
        raise _refuse(func, "an offset below 1")
    return offset


def _element(window: exp.Window, index: exp.Expr) -> exp.Expr:
    """(window)[index], subscripts counted from 1 as PostgreSQL counts them."""
    return exp.Bracket(this=exp.Paren(this=window), expressions=[index.copy()], offset=1)


def _reversed(order: exp.Order) -> exp.Order:
    keys = []
    for key in order.expressions:
        flipped = key.copy()
        flipped.set("desc", not key.args.get("desc"))
        flipped.set("nulls_first", not key.args.get("nulls_first"))
        keys.append(flipped)
    return exp.Order(expressions=keys)


def _preceding_rows() -> exp.WindowSpec:
    return exp.WindowSpec(
        kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="1", end_side="PRECEDING"
    )


def _ignore_nulls(window: exp.Window, func: exp.Expr) -> exp.Expr:
    value = func.this
    over = window.copy()
    if isinstance(func, exp.FirstValue | exp.NthValue):
        n = _offset(func) if isinstance(func, exp.NthValue) else exp.Literal.number(1)
        over.set("this", helper("first_nonnulls", value, n.copy()))
        return _element(over, n)
    if isinstance(func, exp.LastValue):
        over.set("this", helper("last_nonnulls", value, exp.Literal.number(1)))
        return _element(over, exp.Literal.number(1))
    if over.args.get("spec") is not None:
        raise _refuse(func, "LAG and LEAD take no frame clause")
    order = over.args.get("order")
    if order is None:
        raise _refuse(func, "the window has no ORDER BY")
    if isinstance(func, exp.Lead):
        over.set("order", _reversed(order))
    over.set("this", helper("last_nonnulls", value, _offset(func)))
    over.set("spec", _preceding_rows())
    found = _element(over, exp.Literal.number(1))
    default = func.args.get("default")
    return found if default is None else exp.Coalesce(this=found, expressions=[default])


def rewrite_window(window: exp.Window) -> exp.Expr | None:
    """The rewrite of a window whose function carries a null treatment; None if it has none."""
    inner = window.this
    if isinstance(inner, exp.RespectNulls):
        window.set("this", inner.this)
        return window
    if not isinstance(inner, exp.IgnoreNulls):
        return None
    func = inner.this
    if not isinstance(func, _NAVIGATION):
        raise UnsupportedStatementError(
            f"IGNORE NULLS on {_name(func)} cannot be emulated: emulator limit (Redshift allows it "
            "on FIRST_VALUE, LAST_VALUE, NTH_VALUE, LAG and LEAD)"
        )
    return _ignore_nulls(window, func)


def check_none_left(tree: exp.Expr) -> None:
    """A null treatment outside a window (sqlglot would drop it silently) is refused."""
    for node in tree.find_all(exp.IgnoreNulls, exp.RespectNulls):
        raise UnsupportedStatementError(
            f"{node.sql(dialect='redshift')[:80]}: IGNORE NULLS / RESPECT NULLS outside a window "
            "function cannot be emulated: emulator limit"
        )
