"""The fast path: statements whose text PostgreSQL runs with Redshift's meaning as written.

Deciding costs a few regular expressions over the statement with its literals blanked, against
sqlglot's parse and generation (see bench/bench_redshift_translate.py). When unsure, a statement
is not portable: it then takes the full translation, which is slower but always right.
"""

import re

from dwsim_redshift.sql import partiql
from dwsim_redshift.sql.statements import (
    has_backslash_string,
    has_upper_case_quoted_identifier,
    words,
)
from dwsim_redshift.sql.system import mentions_system_relation

# Words that make a statement need the full translation even without any function call.
_REDSHIFT_WORDS = frozenset(
    {"sysdate", "top", "qualify", "super", "minus", "approximate", "current_user_id",
     # window clauses are checked against Redshift's rules (frame required with ORDER BY)
     "over", "pivot", "unpivot"}
)  # fmt: skip
_PORTABLE_CODE = re.compile(r"[^\[#\\]*")
# A word followed by '(' is a call (or a table's column list) unless it is one of these.
_CALL = re.compile(r"([A-Za-z_][\w$]*)\s*\(")
_PAREN_KEYWORDS = frozenset(
    {"values", "in", "exists", "from", "join", "as", "and", "or", "not", "where", "select",
     "on", "any", "all", "some", "union", "intersect", "except", "then", "else", "when",
     "case", "between", "is", "set", "using", "over",
     # functions PostgreSQL and Redshift share, name and meaning
     "count", "min", "max", "coalesce", "nullif", "lower", "upper", "abs",
     "floor", "ceil", "ceiling", "length", "substring", "replace", "cast", "greatest",
     "least", "to_char", "trim", "position",
     "row_number", "rank", "dense_rank", "lag", "lead", "current_setting"}
)  # fmt: skip
_DOTTED3 = re.compile(r"\w\s*\.\s*\w+\s*\.\s*\w")
# FROM lists, and a dotted FROM item in them: schema.table, or alias.super_array to unnest.
_FROM_LIST = re.compile(
    r"\bfrom\b(.*?)(?=\b(?:where|group|order|limit|having|union|except|intersect|window)\b|\)|$)",
    re.IGNORECASE | re.DOTALL,
)
_DOTTED_ITEM = re.compile(r"(?:^|,|\bjoin\b)\s*([A-Za-z_][\w$]*)\s*\.\s*[A-Za-z_]", re.I)
_QUALIFIER = re.compile(r"\b([A-Za-z_][\w$]*)\s*\.\s*[A-Za-z_\"]")
# "x" is declared as a table or alias: FROM x, JOIN s.x, FROM tbl x, JOIN tbl AS x ...
_ALIAS_DECLARED = (
    r"\b(?:from|join|update|into|using)\s+(?:[\w$]+\s*\.\s*)?{0}\b(?!\s*\.)"
    r"|\b(?:from|join|update|into|using)\s+[\w$.]+\s+(?:as\s+)?{0}\b(?!\s*\.)"
)
# ... or as a schema: FROM x.tbl
_DECLARED = _ALIAS_DECLARED + r"|\b(?:from|join|update|into|using)\s+{0}\s*\.\s*[\w$]+"


_ALIAS = re.compile(r"\bas\s+([A-Za-z_][\w$]*)", re.IGNORECASE)
# A comparison with a string literal ('' once literals are blanked): Redshift ignores trailing
# blanks in it (rewrites/comparisons.py). So does x IN ('a', ...) and CASE x WHEN 'a'.
_STRING_COMPARISON = re.compile(
    r"(?:[=<>]|!=)\s*''|''\s*(?:[=<>]|!=)|\bin\s*\(\s*''|\bwhen\s+''", re.IGNORECASE
)
# A comparison of two names (columns, possibly character ones: a.v = b.v): the same.
COLUMN_COMPARISON = re.compile(
    r"[A-Za-z_\"][\w$\"]*\s*(?:[=<>]|!=)=?\s*"
    r"(?!(?:true|false|null|any|all|some)\b)[A-Za-z_\"]",
    re.IGNORECASE,
)
_SUBQUERY_IN_FROM = re.compile(r"\b(?:from|join)\s*\(", re.IGNORECASE)
# JOIN ... USING (v), NATURAL JOIN: Redshift ignores trailing blanks comparing the columns
# (rewrites/using_joins.py, rewrites/natural_joins.py).
_JOIN_USING = re.compile(r"\busing\s*\(|\bnatural\s+(?:\w+\s+)*join\b", re.IGNORECASE)


# Binary arithmetic (a * b, x / 2): Redshift declares a computed DECIMAL's precision and scale
# and computes a division at its own scale (rewrites/arithmetic.py). The word before the
# operator tells a binary one from SELECT *, THEN -1 and the like.
_ARITHMETIC = re.compile(r"([\w$\"]+|\))\s*[-+*/]\s*(?=[\w$\"(.])")
_NOT_AN_OPERAND = frozenset(
    {"select", "distinct", "all", "then", "else", "when", "and", "or", "not", "where", "on",
     "in", "is", "by", "between", "like", "return", "values", "having", "as", "case", "limit",
     "offset", "top", "interval"}
)  # fmt: skip


def has_arithmetic(code: str) -> bool:
    """Whether ``code`` has a binary + - * / (a false positive only costs the translation)."""
    return any(m.group(1).lower() not in _NOT_AN_OPERAND for m in _ARITHMETIC.finditer(code))


def _uses_an_alias(code: str) -> bool:
    """A select-list alias used again (WHERE x LIKE ..., a later `x AS y`): Redshift resolves
    these lateral references, the full translation spells them out for PostgreSQL."""
    for name in {m.group(1) for m in _ALIAS.finditer(code)}:
        uses = re.finditer(rf"(?<![\w.$]){re.escape(name)}\b(?!\s*[.(])", code, re.IGNORECASE)
        if any(not re.search(r"\bas\s*$", code[: m.start()], re.IGNORECASE) for m in uses):
            return True
    return False


def is_portable(statement: str, code: str) -> bool:
    """True when the text has nothing Redshift-specific: no calls, paths, # names or escapes."""
    if not _PORTABLE_CODE.fullmatch(code) or _DOTTED3.search(code):
        return False
    if partiql.has_at_index(code) or _unnests_in_from(code):
        return False
    if _SUBQUERY_IN_FROM.search(code) or _uses_an_alias(code) or _STRING_COMPARISON.search(code):
        return False
    if COLUMN_COMPARISON.search(code) or _JOIN_USING.search(code) or has_arithmetic(code):
        return False
    if any(m.group(1).lower() not in _PAREN_KEYWORDS for m in _CALL.finditer(code)):
        return False
    # x.y is a table's column only if x is declared as a table or alias in the statement;
    # otherwise it may be a path into a SUPER column, which the full translation must see.
    for qualifier in {m.group(1) for m in _QUALIFIER.finditer(code)}:
        if not re.search(_DECLARED.format(re.escape(qualifier)), code, re.IGNORECASE):
            return False
    if words(code) & _REDSHIFT_WORDS or mentions_system_relation(statement.lower()):
        return False
    return not (has_backslash_string(statement) or has_upper_case_quoted_identifier(statement))


def _unnests_in_from(code: str) -> bool:
    """`FROM t, t.items x`: a FROM item qualified by an alias of the statement ranges over a
    SUPER array (a schema-qualified table is qualified by a name that is not declared)."""
    for from_list in _FROM_LIST.finditer(code):
        for item in _DOTTED_ITEM.finditer(from_list.group(1)):
            if re.search(_ALIAS_DECLARED.format(re.escape(item.group(1))), code, re.IGNORECASE):
                return True
    return False
