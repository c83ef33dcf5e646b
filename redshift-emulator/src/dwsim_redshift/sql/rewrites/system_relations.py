"""Unqualified references to emulated Redshift system relations point at schema dwsim_rs."""

from sqlglot import exp

from dwsim_redshift.sql.system import HELPER_SCHEMA, SYSTEM_FUNCTIONS, SYSTEM_RELATION_NAMES


def rewrite(tree: exp.Expr) -> exp.Expr:
    for table in tree.find_all(exp.Table):
        unqualified = not table.args.get("db") and isinstance(table.this, exp.Identifier)
        if unqualified and table.name.lower() in SYSTEM_RELATION_NAMES:
            table.set("db", exp.to_identifier(HELPER_SCHEMA))
    for func in list(tree.find_all(exp.Anonymous)):
        if func.name.lower() in SYSTEM_FUNCTIONS and not isinstance(func.parent, exp.Dot):
            func.replace(
                exp.Dot(
                    this=exp.to_identifier(HELPER_SCHEMA),
                    expression=exp.Anonymous(this=func.name.lower(), expressions=func.expressions),
                )
            )
    return tree
