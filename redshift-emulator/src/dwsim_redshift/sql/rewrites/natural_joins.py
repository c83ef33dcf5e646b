"""NATURAL JOIN compares the columns its two sides share as Redshift does: trailing blanks
ignored for CHAR and VARCHAR values (r_Character_types, "Significance of trailing blanks"), where
PostgreSQL counts them (except CHAR with CHAR).

When the column names of the join's left side (every FROM item since the last comma) and of its
right side are known (subqueries and WITH names that name their columns: join_columns.py), the
shared names are known too: ``a NATURAL JOIN b`` becomes ``a JOIN b USING (shared)``, which
using_joins.py then rewrites as any USING join. No shared name: it stays NATURAL (a cross join).

Otherwise (a table's columns are not known to the translator; a comma in the FROM list; an
UPDATE ... FROM or DELETE ... USING) the join stays NATURAL, and the WHERE gets, for each FROM
item of the left side against the right side, a guard PostgreSQL evaluates while planning
(plpgsql/65_natural_join.sql); it raises "emulator limit" (0A000) before any row is read where
a shared column would count trailing blanks:

- two tables: ``rs_natural_plain(NULL::a, NULL::b)`` compares the two row types;
- a table and a side with named columns: ``rs_natural_row(NULL::t, 'v', rs_natural_class(s.v))``
  for each name (the class call inlines to a constant picked by the column's type);
- two sides with named columns: ``rs_natural_check('v', class(a.v), class(b.v))`` per shared name;
- a side whose names are not known (``SELECT *`` over a join, unnamed expressions): the other
  side's character columns are refused ('open'); two such sides are refused here.
"""

from sqlglot import exp

from dwsim_redshift.sql.errors import UnsupportedStatementError
from dwsim_redshift.sql.rewrites.calls import helper
from dwsim_redshift.sql.rewrites.join_columns import Side, cte_map, is_comma, norm, side_of

_UNKNOWN_BOTH = (
    "NATURAL JOIN of two subqueries or WITH names whose columns are not named (SELECT *, "
    "unnamed expressions) cannot be emulated: emulator limit; name the columns, or join ON them"
)

Names = list[exp.Identifier] | None


def _is_natural(join: exp.Join) -> bool:
    return (join.args.get("method") or "").upper() == "NATURAL"


def _unique(names: tuple[exp.Identifier, ...] | list[exp.Identifier]) -> list[exp.Identifier]:
    seen: dict[str, exp.Identifier] = {}
    for name in names:
        seen.setdefault(norm(name), name)
    return list(seen.values())


def _class(side: Side, name: exp.Identifier) -> exp.Expr:
    return helper("rs_natural_class", exp.column(name.copy(), table=side.qualifier.copy()))


def _guards(left: Side, right: Side) -> list[exp.Expr]:
    if left.row is not None and right.row is not None:
        return [helper("rs_natural_plain", left.row.copy(), right.row.copy())]
    named = [s for s in (left, right) if s.names is not None and s.qualifier is not None]
    tables = [s for s in (left, right) if s.row is not None]
    if len(named) == 2:
        right_names = {norm(n): n for n in right.names}
        return [
            helper(
                "rs_natural_check",
                exp.Literal.string(norm(n)),
                _class(left, n),
                _class(right, right_names[norm(n)]),
            )
            for n in _unique(left.names)
            if norm(n) in right_names
        ]
    if named and tables:
        return [
            helper(
                "rs_natural_row",
                tables[0].row.copy(),
                exp.Literal.string(norm(n)),
                _class(named[0], n),
            )
            for n in _unique(named[0].names)
        ]
    if named:  # the other side's names are not known
        open_ = exp.Literal.string("open")
        return [
            helper("rs_natural_check", exp.Literal.string(norm(n)), _class(named[0], n), open_)
            for n in _unique(named[0].names)
        ]
    if tables:
        return [
            helper("rs_natural_row", tables[0].row.copy(), exp.Null(), exp.Literal.string("open"))
        ]
    raise UnsupportedStatementError(_UNKNOWN_BOTH)


def _after(names: Names, right: Side, using: list[exp.Identifier]) -> Names:
    """The left side's column names once joined with right (USING merges its columns first)."""
    if names is None or right.names is None:
        return None
    merged = {norm(u) for u in using}
    return (
        list(using)
        + [n for n in names if norm(n) not in merged]
        + [n for n in right.names if norm(n) not in merged]
    )


def _check(
    first: exp.Expr, joins: list[exp.Join], ctes: dict[str, exp.CTE], to_using: bool
) -> list[exp.Expr]:
    """Turn the NATURAL joins of a FROM list whose shared names are known into USING (when
    to_using), and return the guards of the others."""
    start = side_of(first, ctes)
    left = [start]
    names: Names = list(start.names) if start.names is not None else None
    tests: list[exp.Expr] = []
    for join in joins:
        right = side_of(join.this, ctes)
        if is_comma(join):
            left, names = [right], list(right.names) if right.names is not None else None
            continue
        if _is_natural(join):
            if to_using and names is not None and right.names is not None:
                keys = {norm(n) for n in right.names}
                shared = [n.copy() for n in _unique(names) if norm(n) in keys]
                if shared:  # none shared: a cross join, as PostgreSQL runs it
                    join.set("method", None)
                    join.set("using", shared)
            else:
                for side in left:
                    tests.extend(_guards(side, right))
        names = _after(names, right, join.args.get("using") or [])
        left.append(right)
    return tests


def _add_to_where(owner: exp.Expr, tests: list[exp.Expr]) -> None:
    if tests:
        where = owner.args.get("where")
        condition = exp.and_(*([where.this] if where else []), *tests, copy=False)
        owner.set("where", exp.Where(this=condition))


def _rewrite_select(select: exp.Select, ctes: dict[str, exp.CTE]) -> None:
    from_ = select.args.get("from_")
    if from_ is None:
        return
    joins = select.args.get("joins") or []
    # with a comma in the FROM list using_joins.py could not place USING's columns
    to_using = not any(is_comma(j) for j in joins)
    _add_to_where(select, _check(from_.this, joins, ctes, to_using))


def _rewrite_update(table: exp.Table, ctes: dict[str, exp.CTE]) -> None:
    """UPDATE ... FROM a NATURAL JOIN b, DELETE ... USING a NATURAL JOIN b: guards only."""
    owner = table.parent.parent if isinstance(table.parent, exp.From) else table.parent
    if not isinstance(owner, exp.Update | exp.Delete):
        return
    first = table.copy()
    first.set("joins", None)
    _add_to_where(owner, _check(first, table.args["joins"], ctes, to_using=False))


def _has_natural(node: exp.Expr) -> bool:
    return any(_is_natural(j) for j in node.args.get("joins") or [])


def rewrite(tree: exp.Expr) -> exp.Expr:
    selects = [s for s in tree.find_all(exp.Select) if _has_natural(s)]
    tables = [t for t in tree.find_all(exp.Table) if _has_natural(t)]
    if selects or tables:
        ctes = cte_map(tree)
        for select in selects:
            _rewrite_select(select, ctes)
        for table in tables:
            _rewrite_update(table, ctes)
    return tree
