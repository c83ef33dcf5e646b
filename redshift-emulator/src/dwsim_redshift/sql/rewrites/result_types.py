"""Typed slots for SUM/AVG results (see sql/typed.py): the last rewrite, once every argument
is in its PostgreSQL form.

Each helper call the aggregates rewrite marked (NUMERIC_RESULT) becomes a slot around the whole
call (with its FILTER and OVER), and each SELECT holding slots gets one probe: the slots'
arguments selected from that SELECT's FROM list, under the statement's WITH lists. An argument
with no column (a literal) needs no probe: PostgreSQL types it already. An argument computed
with + - * is probed by its operands, integer literals left out, and its slot gets the formula
that combines their scales as Redshift does (sql/decimal_scale.py).
"""

from sqlglot import exp

from dwsim_redshift.sql.decimal_scale import Formula
from dwsim_redshift.sql.rewrites.aggregates import NUMERIC_RESULT
from dwsim_redshift.sql.typed import PostgresTarget, Probe, TypedSlot

PROBES = "dwsim_probes"
"""Meta key on the rewritten tree: its list of Probe, for the translator to append."""


def _argument(call: exp.Dot, position: int) -> exp.Expr | None:
    args = call.expression.expressions
    if position >= len(args):
        return None
    arg = args[position]
    while isinstance(arg, exp.Window | exp.Min | exp.Distinct):
        arg = arg.expressions[0] if isinstance(arg, exp.Distinct) else arg.this
    return arg


_OPERATORS: dict[type, str] = {exp.Add: "+", exp.Sub: "-", exp.Mul: "*"}


def _formula(arg: exp.Expr, operands: list[exp.Expr]) -> Formula:
    """``arg`` as a formula over ``operands`` (appended to, in order)."""
    while isinstance(arg, exp.Paren | exp.Neg):
        arg = arg.this
    if (op := _OPERATORS.get(type(arg))) is not None:
        return [op, _formula(arg.this, operands), _formula(arg.expression, operands)]
    if isinstance(arg, exp.Literal) and not arg.is_string and arg.name.isdigit():
        return ["int"]
    operands.append(arg)
    return ["col", len(operands) - 1]


def _whole_call(call: exp.Expr) -> exp.Expr:
    node = call
    while isinstance(node.parent, exp.Filter | exp.Window) and node.parent.this is node:
        node = node.parent
    return node


def _ctes(scope: exp.Select) -> tuple[list[exp.Expr], bool]:
    """The CTEs visible from ``scope``, outermost first, and whether any WITH is RECURSIVE."""
    ctes: list[exp.Expr] = []
    recursive = False
    node: exp.Expr | None = scope
    while node is not None:
        with_ = node.args.get("with_") if isinstance(node, exp.Query) else None
        if isinstance(with_, exp.With):
            ctes = [c.copy() for c in with_.expressions] + ctes
            recursive = recursive or bool(with_.args.get("recursive"))
        node = node.parent
    return ctes, recursive


def _probe(scope: exp.Select, args: list[exp.Expr], slots: list[int]) -> Probe:
    operands: list[exp.Expr] = []
    formulas = tuple(_formula(arg, operands) for arg in args)
    select = exp.Select(expressions=[a.copy() for a in operands])
    if scope.args.get("from_") is not None:
        select.set("from_", scope.args["from_"].copy())
    if scope.args.get("joins"):
        select.set("joins", [j.copy() for j in scope.args["joins"]])
    ctes, recursive = _ctes(scope)
    if ctes:
        select.set("with_", exp.With(expressions=ctes, recursive=recursive))
    plain = all(f == ["col", i] for i, f in enumerate(formulas))
    return Probe(select.sql(dialect=PostgresTarget), tuple(slots), () if plain else formulas)


def rewrite(tree: exp.Expr) -> exp.Expr:
    found: list[tuple[exp.Expr, exp.Expr, exp.Select]] = []
    for call in tree.find_all(exp.Dot):
        position = call.meta.get(NUMERIC_RESULT)
        if position is None:
            continue
        arg = _argument(call, position)
        scope = call.find_ancestor(exp.Select)
        if arg is None or scope is None or arg.find(exp.Column) is None:
            continue
        found.append((_whole_call(call), arg, scope))
    if not found:
        return tree
    by_scope: dict[int, tuple[exp.Select, list[exp.Expr], list[int]]] = {}
    for slot, (_, arg, scope) in enumerate(found):
        entry = by_scope.setdefault(id(scope), (scope, [], []))
        entry[1].append(arg)
        entry[2].append(slot)
    probes = [_probe(scope, args, slots) for scope, args, slots in by_scope.values()]
    # innermost first: an outer call's copy then carries the inner call's slot
    for slot, (whole, _, _) in reversed(list(enumerate(found))):
        whole.replace(TypedSlot(this=whole.copy(), slot=slot))
    if tree.find(TypedSlot) is None:  # the whole tree was one call
        return tree
    tree.meta[PROBES] = probes
    return tree
