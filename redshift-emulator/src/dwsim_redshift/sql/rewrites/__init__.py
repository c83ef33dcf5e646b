"""The rewrite pass: ordered functions from a parsed Redshift tree to a PostgreSQL-ready tree."""

from collections.abc import Callable

from sqlglot import exp

from dwsim_redshift.sql.rewrites import (
    aggregates,
    ddl,
    functions,
    identifiers,
    qualify,
    superpaths,
    system_relations,
    temp_tables,
)

Rewrite = Callable[[exp.Expr], exp.Expr]

# Order matters: structure first (DDL, temp names, QUALIFY), then PartiQL paths (they read
# column shapes before function rewrites wrap them), then the function tables.
REWRITES: tuple[Rewrite, ...] = (
    identifiers.rewrite,
    ddl.rewrite,
    temp_tables.rewrite,
    system_relations.rewrite,
    qualify.rewrite,
    superpaths.rewrite,
    aggregates.rewrite,
    functions.rewrite,
)


def apply_rewrites(tree: exp.Expr) -> exp.Expr:
    for rewrite in REWRITES:
        tree = rewrite(tree)
    return tree
