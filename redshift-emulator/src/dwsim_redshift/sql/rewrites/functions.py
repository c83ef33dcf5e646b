"""Dispatch every function call through the rewrite tables (data, not if/else chains)."""

from collections.abc import Callable

from sqlglot import exp

from dwsim_redshift.sql.rewrites import dates, strings, superfuncs
from dwsim_redshift.sql.rewrites.calls import bottom_up

# Calls sqlglot leaves as Anonymous (or that the source dialect keeps raw), by upper-case name.
FUNCTION_REWRITES: dict[str, Callable[[list[exp.Expr]], exp.Expr]] = {
    **dates.FUNCTIONS,
    **strings.FUNCTIONS,
    **superfuncs.FUNCTIONS,
}

# sqlglot's canonical nodes whose PostgreSQL rendering differs from Redshift's meaning.
NODE_REWRITES: dict[type, Callable[[exp.Expr], exp.Expr]] = {
    **dates.NODES,
    **strings.NODES,
    **superfuncs.NODES,
}


def _rewrite_node(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Anonymous):
        build = FUNCTION_REWRITES.get(node.name.upper())
        if build is not None and not isinstance(node.parent, exp.Dot):
            return build(list(node.expressions))
        return node
    build_node = NODE_REWRITES.get(type(node))
    return build_node(node) if build_node is not None else node


def rewrite(tree: exp.Expr) -> exp.Expr:
    return bottom_up(tree, _rewrite_node)
