"""One corpus statement's outcome, and what it is: its kind and the functions it calls."""

import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot.tokens import TokenType

from dwsim_shared.contracts.compat import CheckStatus, StatementCheck

# words followed by "(" that are syntax, not function calls
_SYNTAX = {"distkey", "sortkey", "group", "identity", "values", "no_such_function"}
# after these a name followed by "(" is a table's (its columns follow), not a function's
_NOT_AFTER = {
    TokenType.TABLE, TokenType.INTO, TokenType.VIEW, TokenType.FUNCTION, TokenType.PROCEDURE,
    TokenType.REFERENCES, TokenType.R_PAREN,
}  # fmt: skip
_CALLABLE = {TokenType.VAR, TokenType.LEFT, TokenType.RIGHT, TokenType.ARRAY, TokenType.OBJECT}
_SKIPPED = {"OR", "REPLACE", "TEMP", "TEMPORARY", "TRANSIENT", "LOCAL", "EXTERNAL", "UNIQUE"}
_SHOW_ENDS = {"IN", "LIKE", "STARTS", "LIMIT", "FROM"}
_WITH_OBJECT = {"CREATE", "ALTER", "DROP", "SHOW", "DESCRIBE", "DESC", "COMMENT"}


@dataclass
class StatementResult:
    """A statement of a case (``setup``: run before the case's own ``sql``) and its check."""

    corpus: str  # the file the case is in
    case: str
    sql: str
    role: str  # "setup" or "case"
    check: StatementCheck
    documented: bool | None = None  # case statements: the answer is the documented one
    difference: str | None = None  # when it is not: what differs
    kind: str = ""
    functions: list[str] = field(default_factory=list)

    @property
    def status(self) -> CheckStatus:
        return self.check.status


def kind_of(sql: str) -> str:
    """``SELECT``, ``INSERT``, ``CREATE TABLE``, ``CREATE TABLE AS``, ``SHOW TABLES``..."""
    words = re.findall(r"[A-Za-z_]+|\(", sql.upper())
    if not words or words[0] in ("WITH", "(", "SELECT"):
        return "SELECT"
    first = words[0]
    if first not in _WITH_OBJECT:
        return first
    rest = [w for w in words[1:] if w not in _SKIPPED]
    if first == "SHOW":  # SHOW TERSE SCHEMAS IN ..., SHOW PRIMARY KEYS IN ...
        shown = [w for w in words[1:4] if w != "("]
        ends = [i for i, w in enumerate(shown) if w in _SHOW_ENDS]
        return " ".join([first, *shown[: ends[0] if ends else len(shown)]])
    kind = f"{first} {rest[0]}" if rest else first
    if kind == "CREATE TABLE" and re.search(r"\bAS\s*\(?\s*(SELECT|WITH)\b", sql, re.I):
        return "CREATE TABLE AS"
    if len(rest) > 1 and rest[0] in ("MATERIALIZED", "FILE"):
        kind += f" {rest[1]}"
    return kind


def functions_of(sql: str, dialect: str) -> list[str]:
    """The functions the statement calls, upper case, in order of first use."""
    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
    except sqlglot.errors.SqlglotError:
        return []
    names: list[str] = []
    for before, token, after in zip([None, *tokens], tokens, tokens[1:], strict=False):
        if after.token_type != TokenType.L_PAREN or token.token_type not in _CALLABLE:
            continue
        if before is not None and (
            before.token_type in _NOT_AFTER or before.text.upper() in ("ANALYZE", "VERBOSE")
        ):
            continue
        name = token.text.lower()
        if name in _SYNTAX or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            continue
        if name.upper() not in names:
            names.append(name.upper())
    return names


def describe(result: StatementResult, dialect: str) -> StatementResult:
    result.kind = kind_of(result.sql)
    result.functions = functions_of(result.sql, dialect)
    return result
