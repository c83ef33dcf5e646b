"""Which computed DECIMALs of a select list get typed slots (rewrites/result_types.py).

A select-list item that is ``+``, ``-`` or ``*`` arithmetic over a column gets a CAST slot (its
declared NUMERIC(p, s)); every division over a column in a select list, also nested (in a
function's argument, in SUM(a / b)), gets a DIVISION slot: Redshift computes it at its own
scale, which decides the value's digits too. In a grouped SELECT (GROUP BY, HAVING, DISTINCT,
aggregates) a division outside an aggregate's argument is left alone: the rewritten call would
no longer match the GROUP BY / ORDER BY expression PostgreSQL checks it against.
"""

from sqlglot import exp

from dwsim_redshift.sql.rewrites.aggregates import NUMERIC_RESULT
from dwsim_redshift.sql.typed import SlotKind

Found = tuple[exp.Expr, SlotKind, exp.Select]
"""A node to become a slot (it is also the slot's argument), its kind, and its SELECT."""

_EXACT = (exp.Add, exp.Sub, exp.Mul)


def _is_aggregate(node: exp.Expr) -> bool:
    """An aggregate call (not a window): SUM/AVG were rewritten to marked helper calls."""
    if not (isinstance(node, exp.AggFunc) or node.meta.get(NUMERIC_RESULT) is not None):
        return False
    return not isinstance(node.parent, exp.Window)


def _own(node: exp.Expr, scope: exp.Select) -> bool:
    return node.find_ancestor(exp.Select) is scope


def _grouped(scope: exp.Select) -> bool:
    if any(scope.args.get(k) for k in ("group", "having", "distinct")):
        return True
    return any(
        _is_aggregate(node) and _own(node, scope)
        for item in scope.expressions
        for node in item.walk()
    )


def _in_aggregate(node: exp.Expr, scope: exp.Select) -> bool:
    parent = node.parent
    while parent is not None and parent is not scope:
        if _is_aggregate(parent):
            return True
        parent = parent.parent
    return False


def _has_column(node: exp.Expr) -> bool:
    return node.find(exp.Column) is not None


def _unwrapped(node: exp.Expr) -> exp.Expr:
    while isinstance(node, exp.Paren | exp.Neg):
        node = node.this
    return node


def _plain_division(node: exp.Div) -> bool:
    return not node.args.get("safe")  # "typed" is PostgreSQL's / already


def aggregates_or_windows(node: exp.Expr) -> bool:
    """Whether ``node`` holds an aggregate or a window of its own SELECT."""
    scope = node.find_ancestor(exp.Select)
    return any(
        (_is_aggregate(n) or isinstance(n, exp.Window)) and n.find_ancestor(exp.Select) is scope
        for n in node.walk()
    )


def find(tree: exp.Expr) -> list[Found]:
    found: list[Found] = []
    for scope in tree.find_all(exp.Select):
        grouped = None
        for item in scope.expressions:
            top = item.this if isinstance(item, exp.Alias) else item
            inner = _unwrapped(top)
            # -(a / b) loses the division's declared type: cast the whole item again
            computed = isinstance(inner, _EXACT) or (
                inner is not top and isinstance(inner, exp.Div)
            )
            if computed and _has_column(top) and not aggregates_or_windows(top):
                found.append((top, SlotKind.CAST, scope))
            for div in item.find_all(exp.Div):
                if not (_own(div, scope) and _plain_division(div) and _has_column(div)):
                    continue
                if grouped is None:
                    grouped = _grouped(scope)
                if grouped and not _in_aggregate(div, scope):
                    continue
                found.append((div, SlotKind.DIVISION, scope))
    return found
