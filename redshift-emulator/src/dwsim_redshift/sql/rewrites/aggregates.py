"""Aggregates and window functions: LISTAGG, APPROXIMATE ..., RATIO_TO_REPORT, MEDIAN, SUM and
AVG in Redshift's result types, PERCENTILE_* (percentiles.py) and IGNORE NULLS (nulls.py)."""

from sqlglot import exp

from dwsim_redshift.sql.errors import InvalidStatementError, UnsupportedStatementError
from dwsim_redshift.sql.rewrites import nulls, percentiles
from dwsim_redshift.sql.rewrites.calls import bottom_up, helper, text_arg

WORDS = frozenset(
    {"listagg", "ratio_to_report", "approximate", "over", "any_value", "avg", "median", "sum",
     "percentile_cont", "percentile_disc", "ignore", "respect"}
)  # fmt: skip
"""Words of the statements this rewrite can change (the gate in rewrites/__init__.py)."""

NUMERIC_RESULT = "dwsim_numeric_result"
"""Meta key on a helper call whose result Redshift declares NUMERIC(38, s) for a DECIMAL(p, s)
argument (SUM, AVG): its value is the argument's position in the call (relay/result_types.py)."""


def _listagg(func: exp.Anonymous, order: exp.Order | None) -> exp.Expr:
    """LISTAGG(x [, delim]) [WITHIN GROUP (ORDER BY ...)] -> STRING_AGG(x::text, delim ORDER BY)."""
    args = list(func.expressions)
    distinct = isinstance(args[0], exp.Distinct) if args else False
    if distinct:
        args = list(args[0].expressions) + args[1:]
    original, value = args[0], text_arg(args[0].copy())
    # Redshift's default delimiter is none at all.
    delimiter = args[1] if len(args) > 1 else exp.Literal.string("")
    this: exp.Expr = exp.Distinct(expressions=[value]) if distinct else value
    if order is not None:
        ordered = [o.copy() for o in order.expressions]
        if distinct:
            # With DISTINCT, PostgreSQL wants ORDER BY on the aggregated (text) expression.
            for o in ordered:
                if o.this == original:
                    o.set("this", value.copy())
        this = exp.Order(this=this, expressions=ordered)
    return exp.GroupConcat(this=this, separator=delimiter)


def _is_named(node: exp.Expr, name: str) -> bool:
    return isinstance(node, exp.Anonymous) and node.name.upper() == name


def _ratio_to_report(window: exp.Window) -> exp.Expr:
    """RATIO_TO_REPORT(x) OVER (PARTITION BY p) -> x / SUM(x) OVER (PARTITION BY p)."""
    value = window.this.expressions[0]
    total = window.copy()
    total.set("this", exp.Sum(this=value.copy()))
    numerator = exp.cast(value, exp.DType.DECIMAL, copy=False)
    return exp.Paren(this=exp.Div(this=numerator, expression=total))


_ORDERED_SET = (exp.Median, exp.ApproxQuantile)


def _listagg_window(window: exp.Window) -> exp.Expr:
    """LISTAGG(...) WITHIN GROUP (ORDER BY o) OVER (PARTITION BY p): PostgreSQL has no ORDER BY
    inside a window aggregate, but aggregates a whole-partition frame in the window's order."""
    group = window.this
    func = group.this
    if func.expressions and isinstance(func.expressions[0], exp.Distinct):
        raise UnsupportedStatementError(
            "LISTAGG(DISTINCT ...) OVER (...) cannot be emulated: PostgreSQL has no DISTINCT "
            "in window aggregates; aggregate in a subquery grouped by the partition instead"
        )
    agg = _listagg(func, None)
    window.set("this", agg)
    window.set("order", exp.Order(expressions=[o.copy() for o in group.expression.expressions]))
    window.set(
        "spec",
        exp.WindowSpec(
            kind="ROWS",
            start="UNBOUNDED",
            start_side="PRECEDING",
            end="UNBOUNDED",
            end_side="FOLLOWING",
        ),
    )
    return window


def _ordered_set_window(window: exp.Window) -> exp.Expr:
    name = window.this.sql(dialect="redshift").split("(")[0]
    raise UnsupportedStatementError(
        f"{name}(...) OVER (...) cannot be emulated: emulator limit (Redshift has no window "
        "form of it either); compute it in a subquery grouped by the partition columns"
    )


# Aggregates that Redshift refuses to run over an ordered window without a frame clause.
_NEEDS_FRAME = (exp.Sum, exp.Avg, exp.Count, exp.Min, exp.Max, exp.Stddev, exp.StddevPop,
                exp.StddevSamp, exp.Variance, exp.VariancePop)  # fmt: skip


def _check_frame(window: exp.Window) -> None:
    if (
        isinstance(window.this, _NEEDS_FRAME)
        and window.args.get("order") is not None
        and window.args.get("spec") is None
    ):
        raise InvalidStatementError(
            "Aggregate window functions with an ORDER BY clause require a frame clause "
            f"(Redshift rejects {window.this.sql(dialect='redshift')} OVER (... ORDER BY ...) "
            "without ROWS BETWEEN ...)"
        )


def _numeric_result(call: exp.Expr, position: int) -> exp.Expr:
    call.meta[NUMERIC_RESULT] = position
    return call


def _avg(node: exp.Avg) -> exp.Expr:
    """Redshift's AVG returns the argument's type: BIGINT (truncated) for integers, the same
    scale for DECIMAL. MIN(x) carries x's type to the helper that applies that rule."""
    value = node.this.expressions[0] if isinstance(node.this, exp.Distinct) else node.this
    sample: exp.Expr = exp.Min(this=value.copy())
    window = node.parent if isinstance(node.parent, exp.Window) else None
    if window is not None:
        sample = window.copy()
        sample.set("this", exp.Min(this=value.copy()))
        return _numeric_result(helper("avg_like", window.copy(), sample), 1)
    return _numeric_result(helper("avg_like", node.copy(), sample), 1)


def _sum(node: exp.Sum) -> exp.Expr:
    """SUM(x) -> dwsim_rs.sum(x): BIGINT for every integer type, DOUBLE PRECISION for REAL
    (plpgsql/61_sum.sql); DISTINCT stays inside the call."""
    return _numeric_result(helper("sum", node.this), 0)


def _median(node: exp.Median) -> exp.Expr:
    """MEDIAN(x) -> dwsim_rs.median(x): Redshift's result types, and a window form."""
    return helper("median", node.this)


def _rewrite_node(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Median):
        return _median(node)
    if isinstance(node, exp.Window) and isinstance(node.this, exp.Avg):
        _check_frame(node)
        return _avg(node.this)
    if isinstance(node, exp.Avg) and not isinstance(node.parent, exp.Window):
        return _avg(node)
    if isinstance(node, exp.Window) and isinstance(node.this, exp.Sum):
        _check_frame(node)
        node.set("this", _sum(node.this))
        return node
    if isinstance(node, exp.Sum) and not isinstance(node.parent, exp.Window):
        return _sum(node)
    if isinstance(node, exp.Window):
        _check_frame(node)
        inner = node.this
        if (rewritten := nulls.rewrite_window(node)) is not None:
            return rewritten
        if percentiles.is_percentile(inner):
            return percentiles.rewrite_window(node)
        if isinstance(inner, exp.WithinGroup) and _is_named(inner.this, "LISTAGG"):
            return _listagg_window(node)
        if isinstance(inner, _ORDERED_SET) or (
            isinstance(inner, exp.WithinGroup) and isinstance(inner.this, _ORDERED_SET)
        ):
            return _ordered_set_window(node)
    in_window = isinstance(node.parent, exp.Window)
    if (
        isinstance(node, exp.WithinGroup)
        and isinstance(node.this, exp.PercentileCont)
        and not in_window
    ):
        return percentiles.rewrite_aggregate(node)
    if isinstance(node, exp.WithinGroup) and _is_named(node.this, "LISTAGG") and not in_window:
        return _listagg(node.this, node.expression)
    if _is_named(node, "LISTAGG") and not isinstance(node.parent, exp.WithinGroup):
        return _listagg(node, None)
    if isinstance(node, exp.Window) and _is_named(node.this, "RATIO_TO_REPORT"):
        return _ratio_to_report(node)
    if isinstance(node, exp.AnyValue):  # PostgreSQL has ANY_VALUE only from version 16
        return helper("any_value", node.this)
    if isinstance(node, exp.ApproxDistinct):
        return exp.Count(this=exp.Distinct(expressions=[node.this]))
    if isinstance(node, exp.ApproxQuantile):
        return exp.WithinGroup(
            this=exp.PercentileDisc(this=node.args["quantile"]),
            expression=exp.Order(expressions=[exp.Ordered(this=node.this)]),
        )
    return node


def rewrite(tree: exp.Expr) -> exp.Expr:
    tree = bottom_up(tree, _rewrite_node)
    nulls.check_none_left(tree)
    return tree
