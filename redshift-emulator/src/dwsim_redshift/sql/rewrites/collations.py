"""COLLATE CASE_INSENSITIVE / CASE_SENSITIVE (columns, expressions, the COLLATE() function):
Redshift's two collations, as an ICU nondeterministic collation in dwsim_rs and the default.

PostgreSQL 15 refuses LIKE on a nondeterministic collation, so LIKE on such a column fails
where Redshift would match case-insensitively.
"""

from sqlglot import exp

from dwsim_redshift.sql.system import HELPER_SCHEMA

CASE_INSENSITIVE = "case_insensitive"
COLLATIONS = {
    CASE_INSENSITIVE: lambda: exp.column(CASE_INSENSITIVE, table=HELPER_SCHEMA),
    "case_sensitive": lambda: exp.column(exp.to_identifier("default", quoted=True)),
}


def _target(name_node: exp.Expr | None) -> exp.Expr | None:
    if isinstance(name_node, exp.Column | exp.Var | exp.Identifier | exp.Literal):
        build = COLLATIONS.get(name_node.name.lower())
        return build() if build else None
    return None


def rewrite(tree: exp.Expr) -> exp.Expr:
    for node in list(tree.find_all(exp.CollateColumnConstraint, exp.Collate)):
        key = "this" if isinstance(node, exp.CollateColumnConstraint) else "expression"
        target = _target(node.args.get(key))
        if target is not None:
            node.set(key, target)
    return tree
