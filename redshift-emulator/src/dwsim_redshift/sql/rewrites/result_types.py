"""Typed slots for SUM/AVG results and computed DECIMALs (see sql/typed.py): the last rewrite,
once every argument is in its PostgreSQL form.

Each helper call the aggregates rewrite marked (NUMERIC_RESULT) becomes a slot around the whole
call (with its FILTER and OVER); select-list arithmetic and divisions become slots too
(rewrites/arithmetic.py). Each SELECT holding slots gets one probe: the slots' arguments
selected from that SELECT's FROM list, under the statement's WITH lists. An argument with no
column (a literal) needs no probe: PostgreSQL types it already. An argument computed with
+ - * / is probed by its operands, integer literals left out, and its slot gets the formula that
combines their precisions and scales as Redshift does (sql/decimal_scale.py); a division that
is not itself a slot is an operand of unknown scale.
"""

from sqlglot import exp

from dwsim_redshift.sql.decimal_scale import Formula
from dwsim_redshift.sql.rewrites import arithmetic
from dwsim_redshift.sql.rewrites.aggregates import NUMERIC_RESULT
from dwsim_redshift.sql.typed import PostgresTarget, Probe, SlotKind, TypedSlot

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


_OPERATORS: dict[type, str] = {exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/"}


def _formula(arg: exp.Expr, operands: list[exp.Expr], divisions: set[int]) -> Formula:
    """``arg`` as a formula over ``operands`` (appended to, in order); a division counts as an
    operation only where it is a slot (``divisions``: their ids), computed at its scale."""
    while isinstance(arg, exp.Paren | exp.Neg):
        arg = arg.this
    op = _OPERATORS.get(type(arg))
    if op is not None and (op != "/" or id(arg) in divisions):
        left = _formula(arg.this, operands, divisions)
        return [op, left, _formula(arg.expression, operands, divisions)]
    if isinstance(arg, exp.Literal) and not arg.is_string and arg.name.isdigit():
        return ["int"]
    if arithmetic.aggregates_or_windows(arg):  # not probed beside plain columns: unknown
        return ["nil"]
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


def _probe(
    scope: exp.Select, args: list[exp.Expr], slots: list[int], kinds: list[str], divisions: set[int]
) -> Probe:
    operands: list[exp.Expr] = []
    formulas = tuple(_formula(arg, operands, divisions) for arg in args)
    select = exp.Select(expressions=[a.copy() for a in operands])
    if scope.args.get("from_") is not None:
        select.set("from_", scope.args["from_"].copy())
    if scope.args.get("joins"):
        select.set("joins", [j.copy() for j in scope.args["joins"]])
    ctes, recursive = _ctes(scope)
    if ctes:
        select.set("with_", exp.With(expressions=ctes, recursive=recursive))
    plain = all(f == ["col", i] for i, f in enumerate(formulas))
    plain_kinds = all(k == SlotKind.SUM for k in kinds)
    return Probe(
        select.sql(dialect=PostgresTarget),
        tuple(slots),
        () if plain and plain_kinds else formulas,
        () if plain_kinds else tuple(kinds),
    )


def _depth(node: exp.Expr) -> int:
    depth = 0
    while node.parent is not None:
        node, depth = node.parent, depth + 1
    return depth


def rewrite(tree: exp.Expr) -> exp.Expr:
    found: list[tuple[exp.Expr, exp.Expr, exp.Select, SlotKind]] = []
    for call in tree.find_all(exp.Dot):
        position = call.meta.get(NUMERIC_RESULT)
        if position is None:
            continue
        arg = _argument(call, position)
        scope = call.find_ancestor(exp.Select)
        if arg is None or scope is None or arg.find(exp.Column) is None:
            continue
        found.append((_whole_call(call), arg, scope, SlotKind.SUM))
    found += [(node, node, scope, kind) for node, kind, scope in arithmetic.find(tree)]
    if not found:
        return tree
    divisions = {id(node) for node, _, _, kind in found if kind == SlotKind.DIVISION}
    by_scope: dict[tuple[int, bool], tuple[exp.Select, list[exp.Expr], list[int], list[str]]]
    by_scope = {}
    for slot, (_, arg, scope, kind) in enumerate(found):
        # SUM/AVG arguments and arithmetic are probed apart: a failing one spares the other
        entry = by_scope.setdefault((id(scope), kind == SlotKind.SUM), (scope, [], [], []))
        entry[1].append(arg)
        entry[2].append(slot)
        entry[3].append(kind)
    probes = [_probe(*entry, divisions) for entry in by_scope.values()]
    # innermost first: an outer node's copy then carries the inner node's slot
    order = sorted(range(len(found)), key=lambda slot: -_depth(found[slot][0]))
    for slot in order:
        whole, kind = found[slot][0], found[slot][3]
        whole.replace(TypedSlot(this=whole.copy(), slot=slot, kind=kind))
    if tree.find(TypedSlot) is None:  # the whole tree was one call
        return tree
    tree.meta[PROBES] = probes
    return tree
