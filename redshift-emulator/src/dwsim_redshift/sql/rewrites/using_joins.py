"""JOIN ... USING (v) compares v as Redshift does: trailing blanks ignored for character values
(r_Character_types, "Significance of trailing blanks"), where PostgreSQL's USING compares them.

``FROM a JOIN b USING (v)`` -> ``FROM a JOIN b ON dwsim_rs.rs_eq(a.v, b.v)``: the overloads of
plpgsql/64_compare.sql compare rtrim(a.v) with rtrim(b.v) for character values (an inlined
equality of two expressions, so a hash join stays possible) and ``a.v = b.v`` for any other
type. USING also merges v into one output column, so every unqualified ``v`` of that SELECT
becomes the merged value as PostgreSQL gives it: the left side's for an inner or LEFT join, the
right side's for a RIGHT join, ``COALESCE(a.v, b.v)`` for a FULL join (a bare ``v`` in the
select list keeps its name: ``a.v AS v``).

Without the tables' columns the translator cannot spell out ``SELECT *`` (USING shows v once,
first), nor tell which side holds v when the left side is several tables, nor rewrite a USING
inside a parenthesized join or an UPDATE ... FROM. Such a statement keeps its USING, and gets ``dwsim_rs.rs_using_plain(v, 'v')`` in its WHERE: true (and planned away)
for a column that is not a character type (or is CHAR, or NAME: the catalog's identifiers,
compared exactly in Redshift too), so the query runs as PostgreSQL runs it; for a
character column PostgreSQL folds it while planning, and it raises "emulator limit" (0A000)
before any row is read.

NATURAL JOIN names no columns: it keeps PostgreSQL's join, with
``dwsim_rs.rs_natural_plain(NULL::left_table, NULL::right_table)`` in the WHERE for each table
of its left side. Constant arguments, so PostgreSQL calls it while planning: it compares the two
row types' columns and raises "emulator limit" when a column both have is a character type
(unless CHAR, or NAME, on both sides). A side that is not a table (a subquery, a WITH name) is left
unchecked.
"""

from sqlglot import exp

from dwsim_redshift.sql.rewrites.calls import helper

_GUARDED = "dwsim_using_guarded"


class _CannotPlace(Exception):
    """The rewrite cannot keep USING's output columns exactly: guard the SELECT instead."""


def _qualifier(item: exp.Expr) -> exp.Identifier | None:
    alias = item.args.get("alias")
    if isinstance(alias, exp.TableAlias) and isinstance(alias.this, exp.Identifier):
        return alias.this
    if isinstance(item, exp.Table) and isinstance(item.this, exp.Identifier):
        return item.this
    return None


def _is_comma(join: exp.Join) -> bool:
    """``FROM a, b``: a comma binds looser than JOIN, so it starts a new left side."""
    return not any(join.args.get(k) for k in ("kind", "side", "on", "using", "method"))


def _has_bare_star(select: exp.Select) -> bool:
    for projection in select.expressions:
        if isinstance(projection, exp.Star):
            return True
        if isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
            return not projection.table
    return False


def _plan(select: exp.Select) -> tuple[dict[str, exp.Expr], list[tuple[exp.Join, exp.Expr]]]:
    """The merged value of each USING column, and the ON condition of each USING join."""
    from_ = select.args.get("from_")
    first = _qualifier(from_.this) if from_ is not None else None
    sources: list[exp.Identifier | None] = [first]
    merged: dict[str, exp.Expr] = {}
    conditions: list[tuple[exp.Join, exp.Expr]] = []
    joins = select.args.get("joins") or []
    if any(_is_comma(join) for join in joins):
        raise _CannotPlace  # which tables a USING column is merged from is then unclear
    for join in joins:
        right = _qualifier(join.this)
        using = join.args.get("using")
        if using:
            if right is None:
                raise _CannotPlace
            side = (join.args.get("side") or "").upper()
            tests = []
            for ident in using:
                name = ident.name.lower()
                if name in merged:
                    left: exp.Expr = merged[name].copy()
                elif len(sources) == 1 and sources[0] is not None:
                    left = exp.column(ident.copy(), table=sources[0].copy())
                else:
                    raise _CannotPlace
                other = exp.column(ident.copy(), table=right.copy())
                tests.append(helper("rs_eq", left.copy(), other.copy()))
                if side == "RIGHT":
                    merged[name] = other
                elif side == "FULL":
                    merged[name] = exp.func("COALESCE", left, other)
                else:
                    merged[name] = left
            conditions.append((join, exp.and_(*tests) if len(tests) > 1 else tests[0]))
        sources.append(right)
    return merged, conditions


def _replace_columns(select: exp.Select, merged: dict[str, exp.Expr]) -> None:
    outputs = {p.alias_or_name.lower() for p in select.expressions}
    for column in list(select.find_all(exp.Column)):
        name = column.name.lower()
        if column.table or name not in merged or column.find_ancestor(exp.Select) is not select:
            continue
        if isinstance(column.parent, exp.Ordered) and name in outputs:
            continue  # ORDER BY v names the output column, which is the merged value already
        value = merged[name].copy()
        if column.parent is select:
            value = exp.alias_(value, column.this.copy())
        column.replace(value)


def _guard(owner: exp.Expr, joins: list[exp.Join]) -> None:
    tests: list[exp.Expr] = []
    for join in joins:
        join.meta[_GUARDED] = True
        tests.extend(
            helper("rs_using_plain", exp.column(ident.copy()), exp.Literal.string(ident.name))
            for ident in join.args.get("using") or []
        )
    if not tests:
        return
    where = owner.args.get("where")
    condition = exp.and_(*([where.this] if where else []), *tests, copy=False)
    owner.set("where", exp.Where(this=condition))


def _rewrite_select(select: exp.Select) -> None:
    try:
        if _has_bare_star(select):
            raise _CannotPlace
        merged, conditions = _plan(select)
    except _CannotPlace:
        _guard(select, select.args.get("joins") or [])
        return
    for join, condition in conditions:
        join.set("using", None)
        join.set("on", condition)
    _replace_columns(select, merged)


def _row_type(item: exp.Expr, ctes: set[str]) -> exp.Expr | None:
    """``NULL::schema.table`` for a table FROM item (its row type), None for anything else."""
    if not isinstance(item, exp.Table) or not isinstance(item.this, exp.Identifier):
        return None
    if not item.args.get("db") and item.name.lower() in ctes:
        return None
    name = exp.table_(item.this.copy(), db=item.args["db"].copy() if item.args.get("db") else None)
    kind = exp.DataType.build(name.sql(dialect="postgres"), dialect="postgres", udt=True)
    return exp.cast(exp.Null(), kind)


def _guard_natural(select: exp.Select, ctes: set[str]) -> None:
    from_ = select.args.get("from_")
    left = [from_.this] if from_ is not None else []
    tests: list[exp.Expr] = []
    for join in select.args.get("joins") or []:
        if _is_comma(join):
            left = []
        if (join.args.get("method") or "").upper() == "NATURAL":
            right = _row_type(join.this, ctes)
            for item in left:
                if right is not None and (row := _row_type(item, ctes)) is not None:
                    tests.append(helper("rs_natural_plain", row, right.copy()))
        left.append(join.this)
    if tests:
        where = select.args.get("where")
        condition = exp.and_(*([where.this] if where else []), *tests, copy=False)
        select.set("where", exp.Where(this=condition))


def rewrite(tree: exp.Expr) -> exp.Expr:
    for select in list(tree.find_all(exp.Select)):
        if any(j.args.get("using") for j in select.args.get("joins") or []):
            _rewrite_select(select)
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for select in list(tree.find_all(exp.Select)):
        joins = select.args.get("joins") or []
        if any((j.args.get("method") or "").upper() == "NATURAL" for j in joins):
            _guard_natural(select, ctes)
    # USING elsewhere: in a parenthesized join, an UPDATE ... FROM, a DELETE ... USING's join
    for join in list(tree.find_all(exp.Join)):
        if join.args.get("using") and not join.meta.get(_GUARDED):
            owner = join.find_ancestor(exp.Select, exp.Update, exp.Delete)
            if owner is not None:
                _guard(owner, [join])
    return tree
