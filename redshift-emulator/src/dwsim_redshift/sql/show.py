"""Redshift's SHOW DATABASES / SCHEMAS / TABLES / COLUMNS (what redshift_connector's metadata
API sends) as queries over set-returning helpers in dwsim_rs (see sql/plpgsql/20_show.sql)."""

import re

from sqlglot import exp

from dwsim_redshift.sql.errors import UnsupportedStatementError
from dwsim_redshift.sql.rewrites.calls import helper

_NAME = r'("(?:[^"]|"")+"|[A-Za-z_][\w$]*)'
_TAIL = r"(?:\s+LIKE\s+'((?:[^']|'')*)')?(?:\s+LIMIT\s+(\d+))?\s*;?\s*$"
# SHOW form -> (regular expression, helper function); groups: names..., pattern, limit.
FORMS: dict[str, tuple[re.Pattern[str], str]] = {
    "DATABASES": (re.compile(r"^\s*SHOW\s+DATABASES" + _TAIL, re.I | re.S), "show_databases"),
    "SCHEMAS": (
        re.compile(rf"^\s*SHOW\s+SCHEMAS\s+FROM\s+DATABASE\s+{_NAME}" + _TAIL, re.I | re.S),
        "show_schemas",
    ),
    "TABLES": (
        re.compile(rf"^\s*SHOW\s+TABLES\s+FROM\s+SCHEMA\s+{_NAME}\s*\.\s*{_NAME}" + _TAIL, re.I),
        "show_tables",
    ),
    "COLUMNS": (
        re.compile(
            rf"^\s*SHOW\s+COLUMNS\s+FROM\s+TABLE\s+{_NAME}\s*\.\s*{_NAME}\s*\.\s*{_NAME}" + _TAIL,
            re.I | re.S,
        ),
        "show_columns",
    ),
}


def is_show_command(words: tuple[str, ...]) -> bool:
    return len(words) >= 2 and words[0] == "SHOW" and words[1] in FORMS


def _name(text: str) -> str:
    if text.startswith('"'):
        return text[1:-1].replace('""', '"')
    return text.lower()


def translate_show(statement: str, words: tuple[str, ...]) -> str:
    pattern, function = FORMS[words[1]]
    m = pattern.match(statement)
    if m is None:
        raise UnsupportedStatementError(
            f"SHOW {words[1]}: expected the form in Redshift's documentation, e.g. "
            "SHOW TABLES FROM SCHEMA database.schema [LIKE 'pattern'] [LIMIT n]"
        )
    *names, like, limit = m.groups()
    args: list[exp.Expr] = [exp.Literal.string(_name(n)) for n in names]
    args.append(exp.Literal.string(like.replace("''", "'")) if like is not None else exp.null())
    query = exp.select("*").from_(exp.Table(this=helper(function, *args)))
    if limit is not None:
        query = query.limit(int(limit))
    return query.sql(dialect="postgres")
