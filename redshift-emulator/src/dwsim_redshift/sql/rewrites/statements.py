"""Statement forms sqlglot reads differently from Redshift."""

from sqlglot import exp


def _merge_insert_values(tree: exp.Expr) -> None:
    """MERGE ... WHEN NOT MATCHED THEN INSERT VALUES (...): without a column list, sqlglot's
    Redshift reader (which does not treat VALUES as a keyword) sees a call to values()."""
    for when in tree.find_all(exp.When):
        insert = when.args.get("then")
        if not isinstance(insert, exp.Insert) or insert.args.get("expression"):
            continue
        row = insert.this
        if (
            isinstance(row, exp.Tuple)
            and len(row.expressions) == 1
            and isinstance(row.expressions[0], exp.Anonymous)
            and row.expressions[0].name.upper() == "VALUES"
        ):
            insert.set("this", None)
            insert.set("expression", exp.Tuple(expressions=list(row.expressions[0].expressions)))


def rewrite(tree: exp.Expr) -> exp.Expr:
    if isinstance(tree, exp.Merge):
        _merge_insert_values(tree)
    return tree
