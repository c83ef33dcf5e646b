"""Relational PIVOT / UNPIVOT, which PostgreSQL lacks (and sqlglot silently drops for it):
PIVOT becomes conditional aggregates grouped by the other columns, UNPIVOT a LATERAL VALUES
list. Both need the source's column names, so the source must be a subquery that names them.
"""

from sqlglot import exp

from dwsim_redshift.sql.errors import UnsupportedStatementError

_NEEDS_NAMES = (
    "{op} over a table or SELECT * cannot be emulated: PostgreSQL has no {op}, and emulating "
    "it needs the source's column names; write the source as a subquery that names them, "
    "e.g. FROM (SELECT id, region, amount FROM sales) {op} (...)"
)


def _source_columns(source: exp.Expr, op: str) -> list[str]:
    select = source.this if isinstance(source, exp.Subquery) else None
    if not isinstance(select, exp.Select) or any(
        isinstance(e, exp.Star) or (isinstance(e, exp.Column) and isinstance(e.this, exp.Star))
        for e in select.expressions
    ):
        raise UnsupportedStatementError(_NEEDS_NAMES.format(op=op))
    return [e.alias_or_name for e in select.expressions]


def _bare_source(source: exp.Expr) -> exp.Expr:
    bare = source.copy()
    bare.set("pivots", None)
    bare.set("alias", exp.TableAlias(this=exp.to_identifier("_pivot_source")))
    return bare


def _alias(pivot: exp.Pivot, source: exp.Expr, default: str) -> exp.TableAlias:
    alias = pivot.args.get("alias") or source.args.get("alias")
    name = alias.this if alias is not None else exp.to_identifier(default)
    return exp.TableAlias(this=name.copy())


def _pivot(source: exp.Expr, pivot: exp.Pivot) -> exp.Expr:
    columns = _source_columns(source, "PIVOT")
    field = pivot.args["fields"][0]
    pivot_column = field.this
    aggregates = list(pivot.expressions)
    used = {c.name.lower() for agg in aggregates for c in agg.find_all(exp.Column)}
    used.add(pivot_column.name.lower())
    group = [exp.column(name) for name in columns if name.lower() not in used]
    names = iter(n.name.lower() for n in pivot.args.get("columns") or [])
    projections: list[exp.Expr] = [g.copy() for g in group]
    for item in field.expressions:
        value = item.this if isinstance(item, exp.PivotAlias) else item
        for aggregate in aggregates:
            func = (aggregate.this if isinstance(aggregate, exp.Alias) else aggregate).copy()
            matches = exp.EQ(this=pivot_column.copy(), expression=value.copy())
            argument = func.this
            then = exp.Literal.number(1) if isinstance(argument, exp.Star) else argument
            func.set("this", exp.Case(ifs=[exp.If(this=matches, true=then.copy())]))
            name = next(names, None) or value.name.lower()
            projections.append(exp.alias_(func, exp.to_identifier(name, quoted=True)))
    select = exp.select(*projections).from_(_bare_source(source))
    if group:
        select = select.group_by(*[g.copy() for g in group])
    return exp.Subquery(this=select, alias=_alias(pivot, source, "_pivot"))


def _unpivot(source: exp.Expr, pivot: exp.Pivot) -> exp.Expr:
    columns = _source_columns(source, "UNPIVOT")
    value_name = pivot.expressions[0]
    field = pivot.args["fields"][0]
    rows, unpivoted = [], set()
    for item in field.expressions:
        column = item.this if isinstance(item, exp.PivotAlias) else item
        label = item.alias if isinstance(item, exp.PivotAlias) else column.name
        unpivoted.add(column.name.lower())
        rows.append(
            exp.Tuple(
                expressions=[
                    exp.Literal.string(label.lower()),
                    exp.column(column.name, table="_pivot_source"),
                ]
            )
        )
    pairs = exp.Values(
        expressions=rows,
        alias=exp.TableAlias(
            this=exp.to_identifier("_unpivot"),
            columns=[exp.to_identifier(field.this.name), exp.to_identifier(value_name.name)],
        ),
    )
    keep = [exp.column(n, table="_pivot_source") for n in columns if n.lower() not in unpivoted]
    select = exp.select(
        *keep,
        exp.column(field.this.name, table="_unpivot"),
        exp.column(value_name.name, table="_unpivot"),
    ).from_(_bare_source(source))
    select = select.join(exp.Lateral(this=pairs), join_type="CROSS")
    if not pivot.args.get("include_nulls"):
        select = select.where(exp.column(value_name.name, table="_unpivot").is_(exp.null()).not_())
    return exp.Subquery(this=select, alias=_alias(pivot, source, "_unpivot_result"))


def rewrite(tree: exp.Expr) -> exp.Expr:
    for source in list(tree.find_all(exp.Subquery, exp.Table)):
        pivots = source.args.get("pivots") or []
        relational = [p for p in pivots if isinstance(p.args.get("fields"), list)]
        if len(relational) != 1:
            continue
        pivot = relational[0]
        build = _unpivot if pivot.args.get("unpivot") else _pivot
        source.replace(build(source, pivot))
    return tree
