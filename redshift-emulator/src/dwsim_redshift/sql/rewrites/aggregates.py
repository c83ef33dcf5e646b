"""Aggregates and window functions: LISTAGG, APPROXIMATE ..., RATIO_TO_REPORT, MEDIAN."""

from sqlglot import exp

from dwsim_redshift.sql.rewrites.calls import bottom_up, text_arg


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


def _rewrite_node(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.WithinGroup) and _is_named(node.this, "LISTAGG"):
        return _listagg(node.this, node.expression)
    if _is_named(node, "LISTAGG") and not isinstance(node.parent, exp.WithinGroup):
        return _listagg(node, None)
    if isinstance(node, exp.Window) and _is_named(node.this, "RATIO_TO_REPORT"):
        return _ratio_to_report(node)
    if isinstance(node, exp.ApproxDistinct):
        return exp.Count(this=exp.Distinct(expressions=[node.this]))
    if isinstance(node, exp.ApproxQuantile):
        return exp.WithinGroup(
            this=exp.PercentileDisc(this=node.args["quantile"]),
            expression=exp.Order(expressions=[exp.Ordered(this=node.this)]),
        )
    return node


def rewrite(tree: exp.Expr) -> exp.Expr:
    return bottom_up(tree, _rewrite_node)
