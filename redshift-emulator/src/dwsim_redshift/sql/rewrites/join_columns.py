"""The columns a FROM item gives, as far as the statement itself tells them (the translator has
no catalog): a subquery or WITH name lists them in its select list (an alias, a column's own
name) or in its alias's column list (VALUES too), ``SELECT *`` over one table gives that table's
(its row type), and a table gives its row type only. NATURAL JOIN needs them to know which
columns it compares, and ``SELECT *`` over a join USING to be spelled out.
"""

from dataclasses import dataclass

from sqlglot import exp


@dataclass(frozen=True)
class Side:
    """One FROM item: how the query names it, its column names when known, and ``NULL::table``
    when its rows are a table's (a table, or ``SELECT *`` over one)."""

    qualifier: exp.Identifier | None
    names: tuple[exp.Identifier, ...] | None = None
    row: exp.Expr | None = None


def norm(ident: exp.Identifier) -> str:
    return ident.name.lower()


def cte_map(tree: exp.Expr) -> dict[str, exp.CTE]:
    ctes: dict[str, exp.CTE] = {}
    for cte in tree.find_all(exp.CTE):
        ctes.setdefault(cte.alias_or_name.lower(), cte)
    return ctes


def qualifier(item: exp.Expr) -> exp.Identifier | None:
    alias = item.args.get("alias")
    if isinstance(alias, exp.TableAlias) and isinstance(alias.this, exp.Identifier):
        return alias.this
    if isinstance(item, exp.Table) and isinstance(item.this, exp.Identifier):
        return item.this
    return None


def is_comma(join: exp.Join) -> bool:
    """``FROM a, b``: a comma binds looser than JOIN, so it starts a new left side."""
    return not any(join.args.get(k) for k in ("kind", "side", "on", "using", "method"))


def _row_type(table: exp.Table) -> exp.Expr:
    """``NULL::schema.table``: the table's row type, a constant the planner can pass on."""
    db = table.args.get("db")
    name = exp.table_(table.this.copy(), db=db.copy() if db else None)
    kind = exp.DataType.build(name.sql(dialect="postgres"), dialect="postgres", udt=True)
    return exp.cast(exp.Null(), kind)


def _projection_name(item: exp.Expr) -> exp.Identifier | None:
    if isinstance(item, exp.Alias):
        alias = item.args.get("alias")
        return alias if isinstance(alias, exp.Identifier) else None
    if isinstance(item, exp.Column) and isinstance(item.this, exp.Identifier):
        return item.this
    return None  # an unnamed expression: PostgreSQL's name for it may not be Redshift's


def _is_star(item: exp.Expr) -> bool:
    return isinstance(item, exp.Star) or (
        isinstance(item, exp.Column) and isinstance(item.this, exp.Star)
    )


def _plain_star(item: exp.Expr) -> bool:
    """A bare ``*`` (not ``t.*``, not ``* EXCLUDE (...)``)."""
    if isinstance(item, exp.Column) and not item.table:
        item = item.this
    return isinstance(item, exp.Star) and not any(item.args.values())


def _query_columns(
    query: exp.Expr, ctes: dict[str, exp.CTE], seen: frozenset[str]
) -> tuple[list[exp.Identifier | None] | None, exp.Expr | None]:
    """A query's output names (None for an unnamed one), or else the row type it returns."""
    combined = False  # a set operation: named by its first query, typed by all of them
    while isinstance(query, exp.SetOperation | exp.Subquery):
        combined = combined or isinstance(query, exp.SetOperation)
        query = query.this
    if isinstance(query, exp.Values) and isinstance(query.expressions[0], exp.Tuple):
        return [None] * len(query.expressions[0].expressions), None  # unnamed until aliased
    if not isinstance(query, exp.Select):
        return None, None
    if not any(_is_star(p) for p in query.expressions):
        return [_projection_name(p) for p in query.expressions], None
    from_ = query.args.get("from_")
    only = query.expressions[0]
    if len(query.expressions) != 1 or from_ is None:
        return None, None
    if query.args.get("joins") or query.args.get("laterals"):
        return None, None
    source = qualifier(from_.this)
    if isinstance(only, exp.Column) and only.table and isinstance(only.this, exp.Star):
        # t.* over FROM t alone: the same columns as *
        if (
            source is None
            or only.table.lower() != source.name.lower()
            or any(only.this.args.values())
        ):
            return None, None
    elif not _plain_star(only):
        return None, None
    inner = _side(from_.this, ctes, seen)
    if inner.names is not None:
        return list(inner.names), None
    return None, (None if combined else inner.row)


def _side(item: exp.Expr, ctes: dict[str, exp.CTE], seen: frozenset[str]) -> Side:
    name = qualifier(item)
    alias = item.args.get("alias")
    renamed = list(alias.columns) if isinstance(alias, exp.TableAlias) else []
    if isinstance(item, exp.Table) and isinstance(item.this, exp.Identifier):
        if item.args.get("joins"):
            return Side(name)
        key = item.name.lower()
        if item.args.get("db") or key not in ctes:
            return Side(name) if renamed else Side(name, row=_row_type(item))
        if key in seen:
            return Side(name)  # a recursive WITH name inside its own definition
        cte = ctes[key]
        renamed = renamed or list(cte.args["alias"].columns)
        names, row = _query_columns(cte.this, ctes, seen | {key})
    elif isinstance(item, exp.Subquery):
        names, row = _query_columns(item.this, ctes, seen)
    else:
        return Side(name)  # a function, LATERAL ...
    if names is None:
        return Side(name) if renamed else Side(name, row=row)
    names = renamed + names[len(renamed) :]
    if any(n is None for n in names):
        return Side(name)
    return Side(name, names=tuple(names))


def side_of(item: exp.Expr, ctes: dict[str, exp.CTE]) -> Side:
    return _side(item, ctes, frozenset())


def _column(ident: exp.Identifier, table: exp.Identifier | None = None) -> exp.Column:
    return exp.column(ident.copy(), table=table.copy() if table is not None else None)


def spell_out_star(select: exp.Select, ctes: dict[str, exp.CTE]) -> bool:
    """Replace a bare ``*`` by the columns it stands for: USING's merged columns first (as
    unqualified names, for the USING rewrite to fill in), then each side's others in order; a
    table not joined USING after it stays ``t.*``. False when that cannot be known."""
    from_ = select.args.get("from_")
    joins = select.args.get("joins") or []
    if from_ is None or any(is_comma(j) or j.args.get("method") for j in joins):
        return False
    columns: list[tuple[str, exp.Expr]] = []
    opaque = False  # a side whose names are not known is on the left
    for item, join in [(from_.this, None), *((j.this, j) for j in joins)]:
        side = side_of(item, ctes)
        using = (join.args.get("using") or []) if join is not None else []
        if side.qualifier is None or (using and (opaque or side.names is None)):
            return False
        if side.names is None:
            opaque = True
            columns.append(("", exp.Column(this=exp.Star(), table=side.qualifier.copy())))
            continue
        merged = {norm(u) for u in using}
        columns = (
            [(norm(u), _column(u)) for u in using]
            + [c for c in columns if c[0] not in merged]
            + [(norm(n), _column(n, side.qualifier)) for n in side.names if norm(n) not in merged]
        )
    if any(
        _is_star(p) and not p.args.get("table") and not _plain_star(p) for p in select.expressions
    ):
        return False  # * EXCLUDE (...)
    projections: list[exp.Expr] = []
    for projection in select.expressions:
        if _plain_star(projection):
            projections.extend(column.copy() for _, column in columns)
        else:
            projections.append(projection)
    select.set("expressions", projections)
    return True
