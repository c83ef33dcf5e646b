"""#name tables: Redshift's temporary tables become PostgreSQL temporary tables named 'name'."""

from sqlglot import exp

TEMP_PREFIX = "#"


def _is_temp(table: exp.Table) -> bool:
    return table.name.startswith(TEMP_PREFIX)


def _mark_temporary(create: exp.Create) -> None:
    props = create.args.get("properties")
    if props is None:
        props = exp.Properties(expressions=[])
        create.set("properties", props)
    if not any(isinstance(p, exp.TemporaryProperty) for p in props.expressions):
        props.append("expressions", exp.TemporaryProperty())


def rewrite(tree: exp.Expr) -> exp.Expr:
    for table in list(tree.find_all(exp.Table)):
        if not _is_temp(table):
            continue
        parent = table.parent
        if isinstance(parent, exp.Schema):
            parent = parent.parent
        if isinstance(parent, exp.Create) and parent.kind == "TABLE":
            _mark_temporary(parent)
        elif isinstance(parent, exp.Into):
            parent.set("temporary", True)
        table.set("this", exp.to_identifier(table.name[len(TEMP_PREFIX) :]))
    return tree
