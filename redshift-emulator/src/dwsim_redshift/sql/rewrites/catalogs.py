"""Three-part names: database.schema.table. The emulator serves one database (clients may
connect as ``dev`` or any name), so the database part names it and is dropped; PostgreSQL
would otherwise refuse it as a cross-database reference."""

from sqlglot import exp


def rewrite(tree: exp.Expr) -> exp.Expr:
    for table in tree.find_all(exp.Table):
        if table.args.get("catalog") is not None and table.args.get("db") is not None:
            table.set("catalog", None)
    return tree
