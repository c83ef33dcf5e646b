"""QUALIFY: filter on window results in an outer query, keeping ORDER BY/LIMIT on the outside.

sqlglot's own transform leaves ORDER BY inside the subquery, where PostgreSQL may ignore it.
"""

from sqlglot import exp, transforms

_OUTER_ARGS = ("order", "limit", "offset")


def _rewrite_select(node: exp.Expr) -> exp.Expr:
    if not isinstance(node, exp.Select) or not node.args.get("qualify"):
        return node
    outer_args = {key: node.args.get(key) for key in _OUTER_ARGS}
    for key in _OUTER_ARGS:
        node.set(key, None)
    outer = transforms.eliminate_qualify(node)
    for key, value in outer_args.items():
        if value is None:
            continue
        for column in value.find_all(exp.Column):
            column.set("table", None)
        outer.set(key, value)
    return outer


def rewrite(tree: exp.Expr) -> exp.Expr:
    return tree.transform(_rewrite_select, copy=False)
