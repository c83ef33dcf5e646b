"""JOIN ... USING (v) compares v as Redshift does: trailing blanks ignored for character values
(r_Character_types, "Significance of trailing blanks"), where PostgreSQL's USING compares them.

``FROM a JOIN b USING (v)`` -> ``FROM a JOIN b ON dwsim_rs.rs_eq(a.v, b.v)``: the overloads of
plpgsql/64_compare.sql compare rtrim(a.v) with rtrim(b.v) for character values (an inlined
equality of two expressions, so a hash join stays possible) and ``a.v = b.v`` for any other
type. USING also merges v into one output column, so every unqualified ``v`` of that SELECT
becomes the merged value as PostgreSQL gives it: the left side's for an inner or LEFT join, the
right side's for a RIGHT join, ``COALESCE(a.v, b.v)`` for a FULL join (a bare ``v`` in the
select list keeps its name: ``a.v AS v``).

``SELECT *`` (USING shows v once, first) is spelled out when every FROM item names its columns
(subqueries and WITH names: join_columns.py). Without the tables' columns the translator cannot
spell it out otherwise, nor tell which side holds v when the left side is several tables (unless
they all name their columns), nor rewrite a USING inside a parenthesized join or an UPDATE ...
FROM. Such a statement keeps its USING, and gets ``dwsim_rs.rs_using_plain(v, 'v')`` in its
WHERE: true (and planned away) for a column that is not a character type (or is CHAR, or NAME:
the catalog's identifiers, compared exactly in Redshift too), so the query runs as PostgreSQL runs
it; for a character column PostgreSQL folds it while planning, and it raises "emulator limit"
(0A000) before any row is read.

NATURAL JOIN is natural_joins.py's: it becomes USING here when the shared columns are known.
"""

from sqlglot import exp

from dwsim_redshift.sql.rewrites.calls import helper
from dwsim_redshift.sql.rewrites.join_columns import (
    Side,
    cte_map,
    is_comma,
    norm,
    qualifier,
    side_of,
    spell_out_star,
)

_GUARDED = "dwsim_using_guarded"


class _CannotPlace(Exception):
    """The rewrite cannot keep USING's output columns exactly: guard the SELECT instead."""


def _has_bare_star(select: exp.Select) -> bool:
    for projection in select.expressions:
        if isinstance(projection, exp.Star):
            return True
        if isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
            return not projection.table
    return False


def _holder(sources: list[Side], name: str) -> exp.Identifier | None:
    """Which FROM item of a USING's left side has column `name`: the only one, or the only one
    naming it when they all name their columns."""
    if len(sources) == 1:
        return sources[0].qualifier
    if any(s.names is None or s.qualifier is None for s in sources):
        return None
    holders = [s for s in sources if name in {norm(n) for n in s.names}]
    return holders[0].qualifier if len(holders) == 1 else None


def _plan(
    select: exp.Select, ctes: dict[str, exp.CTE]
) -> tuple[dict[str, exp.Expr], list[tuple[exp.Join, exp.Expr]]]:
    """The merged value of each USING column, and the ON condition of each USING join."""
    from_ = select.args.get("from_")
    sources = [side_of(from_.this, ctes) if from_ is not None else Side(None)]
    merged: dict[str, exp.Expr] = {}
    conditions: list[tuple[exp.Join, exp.Expr]] = []
    joins = select.args.get("joins") or []
    if any(is_comma(join) for join in joins):
        raise _CannotPlace  # which tables a USING column is merged from is then unclear
    for join in joins:
        right = qualifier(join.this)
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
                elif (holder := _holder(sources, name)) is not None:
                    left = exp.column(ident.copy(), table=holder.copy())
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
        sources.append(side_of(join.this, ctes))
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


def _rewrite_select(select: exp.Select, ctes: dict[str, exp.CTE]) -> None:
    joins = select.args.get("joins") or []
    try:
        if any(j.args.get("method") for j in joins):
            raise _CannotPlace  # a NATURAL JOIN after ON would see both sides' columns
        if _has_bare_star(select) and not spell_out_star(select, ctes):
            raise _CannotPlace
        merged, conditions = _plan(select, ctes)
    except _CannotPlace:
        _guard(select, joins)
        return
    for join, condition in conditions:
        join.set("using", None)
        join.set("on", condition)
    _replace_columns(select, merged)


def rewrite(tree: exp.Expr) -> exp.Expr:
    selects = [
        s
        for s in tree.find_all(exp.Select)
        if any(j.args.get("using") for j in s.args.get("joins") or [])
    ]
    ctes = cte_map(tree) if selects else {}
    for select in selects:
        _rewrite_select(select, ctes)
    # USING elsewhere: in a parenthesized join, an UPDATE ... FROM, a DELETE ... USING's join
    for join in list(tree.find_all(exp.Join)):
        if join.args.get("using") and not join.meta.get(_GUARDED):
            owner = join.find_ancestor(exp.Select, exp.Update, exp.Delete)
            if owner is not None:
                _guard(owner, [join])
    return tree
