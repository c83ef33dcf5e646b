"""PERCENTILE_CONT / PERCENTILE_DISC with Redshift's result types, as aggregates and windows.

PostgreSQL's PERCENTILE_CONT is double precision only (Redshift: DECIMAL for integers and
decimals, DATE/TIMESTAMP for those) and neither function has a window form. Both become a helper
over the sorted non-NULL values (plpgsql/62_percentile.sql):

    PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x [DESC])
      -> dwsim_rs.percentile_cont_sorted(ARRAY_AGG(x ORDER BY x [DESC]) FILTER (WHERE x IS NOT NULL), p)
    ... OVER (PARTITION BY g)
      -> the same ARRAY_AGG as a window over the partition in that order, whole-partition frame
         (PostgreSQL builds it once per partition)

PERCENTILE_DISC as an aggregate stays PostgreSQL's (it keeps the argument's type already).
"""

from sqlglot import exp

from dwsim_redshift.sql.errors import InvalidStatementError, UnsupportedStatementError
from dwsim_redshift.sql.rewrites.calls import helper

_FUNCTIONS = {
    exp.PercentileCont: "percentile_cont_sorted",
    exp.PercentileDisc: "percentile_disc_sorted",
}


def _parts(group: exp.WithinGroup) -> tuple[str, exp.Expr, exp.Ordered]:
    func = group.this
    order = group.expression
    name = "PERCENTILE_CONT" if isinstance(func, exp.PercentileCont) else "PERCENTILE_DISC"
    keys = order.expressions if isinstance(order, exp.Order) else []
    if len(keys) != 1:
        raise InvalidStatementError(f"{name} takes exactly one ORDER BY expression")
    p = func.this
    if isinstance(p, exp.Literal) and not p.is_string and not 0 <= float(p.name) <= 1:
        raise InvalidStatementError(f"{name}: the percentile {p.name} is not between 0 and 1")
    return name, p, keys[0]


def _ordered(key: exp.Ordered) -> exp.Ordered:
    return exp.Ordered(this=key.this.copy(), desc=key.args.get("desc"), nulls_first=False)


def _non_null_values(value: exp.Expr, order: exp.Ordered | None) -> exp.Expr:
    """ARRAY_AGG(x [ORDER BY x [DESC]]) FILTER (WHERE x IS NOT NULL)."""
    this = value.copy() if order is None else exp.Order(this=value.copy(), expressions=[order])
    return exp.Filter(
        this=exp.ArrayAgg(this=this),
        expression=exp.Where(this=exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null()))),
    )


def rewrite_aggregate(group: exp.WithinGroup) -> exp.Expr:
    """PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x): Redshift's result type."""
    _, p, key = _parts(group)
    values = _non_null_values(key.this, _ordered(key))
    return helper(_FUNCTIONS[exp.PercentileCont], values, p.copy())


def rewrite_window(window: exp.Window) -> exp.Expr:
    """PERCENTILE_CONT/DISC(p) WITHIN GROUP (ORDER BY x) OVER (PARTITION BY g)."""
    group = window.this
    name, p, key = _parts(group)
    if window.args.get("order") is not None or window.args.get("spec") is not None:
        raise InvalidStatementError(
            f"{name}(...) OVER (...) takes only PARTITION BY in its OVER clause, as in Redshift"
        )
    if window.args.get("alias") is not None:
        raise UnsupportedStatementError(
            f"{name}(...) OVER a named window cannot be emulated: emulator limit; spell the "
            "PARTITION BY in the OVER clause"
        )
    values = window.copy()
    values.set("this", _non_null_values(key.this, None))
    values.set("order", exp.Order(expressions=[_ordered(key)]))
    values.set(
        "spec",
        exp.WindowSpec(
            kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="UNBOUNDED",
            end_side="FOLLOWING",
        ),
    )  # fmt: skip
    return helper(_FUNCTIONS[type(group.this)], values, p.copy())


def is_percentile(node: exp.Expr) -> bool:
    return isinstance(node, exp.WithinGroup) and type(node.this) in _FUNCTIONS
