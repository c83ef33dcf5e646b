"""translate(): Redshift SQL in, PostgreSQL SQL out, one statement at a time."""

import logging
import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from dwsim_redshift.sql import commands, partiql
from dwsim_redshift.sql.dialect import RedshiftSource
from dwsim_redshift.sql.errors import UnsupportedStatementError
from dwsim_redshift.sql.rewrites import Source, apply_rewrites
from dwsim_redshift.sql.statements import (
    code_text,
    has_backslash_string,
    has_upper_case_quoted_identifier,
    leading_words,
    split_statements,
    words,
)
from dwsim_redshift.sql.system import mentions_system_relation

log = logging.getLogger("dwsim_redshift.sql")
# sqlglot warns on every statement it keeps as an opaque command (GRANT ... TO GROUP, VACUUM...):
# the translator passes those through on purpose, so the warnings are noise in server logs.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

TARGET = "postgres"

# Leading keywords of statements that may be portable as written (checked further below).
_QUERY_WORDS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES", "TABLE"})
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
     "count", "sum", "min", "max", "avg", "coalesce", "nullif", "lower", "upper", "abs",
     "round", "floor", "ceil", "ceiling", "length", "substring", "concat", "replace",
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
_DECLARE = re.compile(
    r"^(\s*DECLARE\s+.+?\s+CURSOR\s+(?:(?:WITH|WITHOUT)\s+HOLD\s+)?FOR\s+)(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_SETTING = re.compile(
    r"^(\s*(?:SET|SHOW|RESET)\s+(?:SESSION\s+|LOCAL\s+)?)(\w+)(.*)$", re.IGNORECASE | re.DOTALL
)


def translate(sql: str) -> str:
    """One Redshift statement (or several separated by ';') -> PostgreSQL text.

    Placeholders ($1, %s) are preserved. Raises UnsupportedStatementError for statements that
    cannot be emulated; text sqlglot cannot parse is passed through for PostgreSQL to judge.
    """
    statements = split_statements(sql)
    if not statements:
        return sql
    return ";\n".join(_translate_safely(statement) for statement in statements)


def _translate_safely(statement: str) -> str:
    try:
        return translate_statement(statement)
    except UnsupportedStatementError:
        raise
    except Exception:  # a translator bug must not cost the client its session
        log.exception("sql.untranslated: statement passed through as written")
        return statement


def translate_statement(statement: str) -> str:
    head = leading_words(statement, 8)
    if not head:
        return statement
    first = head[0]
    if first in commands.PASSTHROUGH:
        return statement
    code = code_text(statement)
    commands.check_supported(head, code)
    if commands.is_noop(head):
        return commands.NOOP_SQL
    if first in ("SET", "SHOW", "RESET"):
        return _setting(statement)
    if first == "ANALYZE":
        return commands.analyze(statement)
    if first == "DECLARE" and (m := _DECLARE.match(statement)):
        return m.group(1) + translate_statement(m.group(2))
    if first in _QUERY_WORDS and _is_portable(statement, code):
        return statement
    source = Source(
        words=frozenset(words(code)),
        code=code,
        quoted_upper=has_upper_case_quoted_identifier(statement),
        text_lower=statement.lower(),
    )
    return _transpile(statement, source)


def _is_portable(statement: str, code: str) -> bool:
    """True when the text has nothing Redshift-specific: no calls, paths, # names or escapes."""
    if not _PORTABLE_CODE.fullmatch(code) or _DOTTED3.search(code):
        return False
    if partiql.has_at_index(code) or _unnests_in_from(code):
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


def _setting(statement: str) -> str:
    m = _SETTING.match(statement)
    if m and m.group(2).lower() in commands.REDSHIFT_SETTINGS:
        return f"{m.group(1)}{commands.SETTING_PREFIX}{m.group(2).lower()}{m.group(3)}"
    return statement


def _transpile(statement: str, source: Source) -> str:
    text, indexes = statement, {}
    if partiql.has_at_index(source.code):
        text, indexes = partiql.strip_at_indexes(statement)
    try:
        trees = sqlglot.parse(text, dialect=RedshiftSource)
    except (ParseError, TokenError) as err:
        log.debug("sql.passthrough: sqlglot could not parse: %s", err)
        return statement
    out = []
    for tree in trees:
        if tree is None:
            continue
        if isinstance(tree, exp.Command):
            out.append(statement)
            continue
        if indexes or "unpivot" in source.words:
            partiql.attach_indexes(tree, indexes)
        try:
            out.append(apply_rewrites(tree, source).sql(dialect=TARGET, copy=False))
        except UnsupportedStatementError:
            raise
        except Exception as err:  # a gap in sqlglot or the rewrites: let PostgreSQL judge
            log.warning("sql.untranslated: %s: %s", type(err).__name__, err)
            return statement
    return ";\n".join(out)


__all__ = ["UnsupportedStatementError", "translate"]
