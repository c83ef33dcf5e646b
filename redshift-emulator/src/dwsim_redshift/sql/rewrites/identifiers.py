"""Redshift folds every identifier to lower case, quoted or not (unless a session turns on
enable_case_sensitive_identifier): "MyTable" and mytable are the same table, and result
columns come back in lower case."""

from sqlglot import exp


def rewrite(tree: exp.Expr) -> exp.Expr:
    for ident in tree.find_all(exp.Identifier):
        if ident.quoted and ident.name != ident.name.lower():
            ident.set("this", ident.name.lower())
    return tree
