"""The rewrite pass: ordered functions from a parsed Redshift tree to a PostgreSQL-ready tree.

Each rewrite has a gate on the statement's words (already known from the scanner), so that a
statement pays only for the rewrites that can apply to it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

from dwsim_redshift.sql.portable import COLUMN_COMPARISON, has_arithmetic
from dwsim_redshift.sql.rewrites import (
    aggregates,
    aliases,
    catalogs,
    collations,
    comparisons,
    ddl,
    functions,
    identifiers,
    naming,
    natural_joins,
    pivot,
    qualify,
    result_types,
    routines,
    statements,
    superpaths,
    system_relations,
    temp_tables,
    using_joins,
)
from dwsim_redshift.sql.system import mentions_system_relation

Rewrite = Callable[[exp.Expr], exp.Expr]


@dataclass(frozen=True)
class Source:
    """What the scanner saw in the statement: its words (lower case) and its code text."""

    words: frozenset[str]
    code: str
    quoted_upper: bool
    text_lower: str = ""


Gate = Callable[[Source], bool]


def _always(_: Source) -> bool:
    return True


def _any_word(*names: str | frozenset[str]) -> Gate:
    wanted = frozenset().union(*({n} if isinstance(n, str) else n for n in names))
    return lambda source: not wanted.isdisjoint(source.words)


def _compares(source: Source) -> bool:
    return (
        "''" in source.code
        or "decode" in source.words
        or COLUMN_COMPARISON.search(source.code) is not None
    )


# Order matters: routine bodies and statement shapes first, then names (case, DDL, temp
# tables, system relations), then query structure (QUALIFY, lateral aliases), then PartiQL
# paths (they read column shapes before function rewrites wrap them), NATURAL JOIN (into USING
# where it can) and JOIN ... USING, aggregates, the tables of function rewrites, comparisons
# with string literals, and last the typed result slots.
REWRITES: tuple[tuple[Gate, Rewrite], ...] = (
    (_any_word("function", "procedure"), routines.rewrite),
    (_any_word("merge"), statements.rewrite),
    (_any_word("select"), naming.rewrite),
    (lambda s: s.quoted_upper, identifiers.rewrite),
    (_any_word("create", "alter", *ddl.TYPE_WORDS), ddl.rewrite),
    (lambda s: "#" in s.code, temp_tables.rewrite),
    (_any_word("collate"), collations.rewrite),
    (lambda s: mentions_system_relation(s.text_lower), system_relations.rewrite),
    (_any_word("pivot", "unpivot"), pivot.rewrite),
    (_any_word("qualify"), qualify.rewrite),
    (_any_word("as", "from"), aliases.rewrite),
    (lambda s: "." in s.code or "[" in s.code, superpaths.rewrite),
    (lambda s: "." in s.code, catalogs.rewrite),
    (_any_word("natural"), natural_joins.rewrite),
    (_any_word("using", "natural"), using_joins.rewrite),
    (_any_word(aggregates.WORDS), aggregates.rewrite),
    (_always, functions.rewrite),
    (_compares, comparisons.rewrite),
    (
        lambda s: "sum" in s.words or "avg" in s.words or has_arithmetic(s.code),
        result_types.rewrite,
    ),
)


def apply_rewrites(tree: exp.Expr, source: Source | None = None) -> exp.Expr:
    for gate, rewrite in REWRITES:
        if source is None or gate(source):
            tree = rewrite(tree)
    return tree
