"""Comparisons of character values ignore trailing blanks, as Redshift compares CHAR/VARCHAR
(both sides, CHAR or VARCHAR: r_Character_types, "Significance of trailing blanks").

``x = 'ab'`` -> ``dwsim_rs.rs_eq(x, 'ab')`` (likewise <>, <, <=, >, >=; ``x IN ('a', 'b')`` ->
``dwsim_rs.rs_in(x, 'a', 'b')``; ``CASE x WHEN 'a' ...`` -> ``CASE WHEN rs_eq(x, 'a') ...``),
and a comparison of two columns ``a.v = b.v`` -> ``dwsim_rs.rs_eq(a.v, b.v)``: PostgreSQL
picks the overload by the arguments' types (plpgsql/64_compare.sql): for character values it
compares rtrim(x) with rtrim(y); for any other types it is ``x = y`` again once PostgreSQL
inlines the function (indexes and estimates kept). Only comparisons in a condition or a select
list are rewritten (never an UPDATE's SET a = 'x'). ``DECODE(x, 'a', r1, y, r2, NULL, r3, d)``
-> ``CASE WHEN rs_eq(x, 'a') THEN r1 WHEN rs_eq(x, y) OR (x IS NULL AND y IS NULL) THEN r2 WHEN
x IS NULL THEN r3 ELSE d END`` (DECODE matches NULL with NULL). JOIN ... USING is
rewrites/using_joins.py, NATURAL JOIN rewrites/natural_joins.py.
"""

from sqlglot import exp

from dwsim_redshift.sql.rewrites.calls import bottom_up, helper

_HELPERS: dict[type, str] = {
    exp.EQ: "rs_eq",
    exp.NEQ: "rs_ne",
    exp.LT: "rs_lt",
    exp.LTE: "rs_le",
    exp.GT: "rs_gt",
    exp.GTE: "rs_ge",
}
# Where a comparison is a condition (or a value the query selects).
_CONDITIONS = (exp.Where, exp.Having, exp.Qualify, exp.Join, exp.If, exp.Case, exp.Filter)
# Where `a = b` is an assignment or an option, not a comparison.
_ASSIGNMENTS = (exp.Update, exp.OnConflict, exp.SetItem, exp.Set, exp.Property, exp.Properties)


def _is_string(node: exp.Expr) -> bool:
    return isinstance(node, exp.Literal) and node.is_string


def _is_condition(node: exp.Expr) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _CONDITIONS):
            return True
        if isinstance(parent, _ASSIGNMENTS):
            return False
        if isinstance(parent, exp.Select):
            return True  # a value the query selects (or orders or groups by)
        parent = parent.parent
    return False


def _in_list(node: exp.In) -> exp.Expr:
    items = node.expressions
    if node.args.get("query") or node.args.get("unnest") or node.args.get("field"):
        return node
    if not items or not all(_is_string(i) for i in items) or not _is_condition(node):
        return node
    trimmed = [exp.Literal.string(i.name.rstrip(" ")) for i in items]
    return helper("rs_in", node.this, *trimmed)


def _simple_case(node: exp.Case) -> exp.Expr:
    """CASE x WHEN 'a' THEN ... -> CASE WHEN rs_eq(x, 'a') THEN ... (x read once per WHEN)."""
    subject = node.this
    ifs = node.args.get("ifs") or []
    if subject is None or not ifs or not all(_is_string(i.this) for i in ifs):
        return node
    for branch in ifs:
        branch.set("this", helper("rs_eq", subject.copy(), branch.this))
    node.set("this", None)
    return node


def _decode(node: exp.DecodeCase) -> exp.Expr:
    subject, *pairs = node.expressions
    if not pairs:
        return node
    ifs = []
    for search, result in zip(pairs[::2], pairs[1::2], strict=False):
        if isinstance(search, exp.Null):
            cond: exp.Expr = exp.Is(this=subject.copy(), expression=exp.Null())
        elif isinstance(search, exp.Literal) and not search.is_string:
            cond = exp.EQ(this=subject.copy(), expression=search)
        else:
            cond = helper("rs_eq", subject.copy(), search)
            if not isinstance(search, exp.Literal):
                both_null = exp.and_(
                    exp.Is(this=subject.copy(), expression=exp.Null()),
                    exp.Is(this=search.copy(), expression=exp.Null()),
                )
                cond = exp.or_(cond, exp.paren(both_null, copy=False), copy=False)
        ifs.append(exp.If(this=cond, true=result))
    default = pairs[-1] if len(pairs) % 2 == 1 else None
    return exp.Case(ifs=ifs, default=default)


def _rewrite_node(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.DecodeCase):
        return _decode(node)
    if isinstance(node, exp.In):
        return _in_list(node)
    if isinstance(node, exp.Case):
        return _simple_case(node)
    name = _HELPERS.get(type(node))
    if name is None:
        return node
    left, right = node.this, node.expression
    columns = isinstance(left, exp.Column) and isinstance(right, exp.Column)
    if not (_is_string(left) or _is_string(right) or columns) or not _is_condition(node):
        return node
    if isinstance(left, exp.Tuple | exp.Subquery) or isinstance(right, exp.Tuple | exp.Subquery):
        return node
    return helper(name, left, right)


def rewrite(tree: exp.Expr) -> exp.Expr:
    return bottom_up(tree, _rewrite_node)
