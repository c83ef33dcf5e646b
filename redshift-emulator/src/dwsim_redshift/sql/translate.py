"""translate(): Redshift SQL in, PostgreSQL SQL out, one statement at a time."""

import logging
import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from dwsim_redshift.sql import commands, keys, layout, partiql, show, typed, users
from dwsim_redshift.sql.dialect import RedshiftSource
from dwsim_redshift.sql.errors import UnsupportedStatementError
from dwsim_redshift.sql.portable import is_portable
from dwsim_redshift.sql.rewrites import Source, apply_rewrites
from dwsim_redshift.sql.rewrites.result_types import PROBES
from dwsim_redshift.sql.statements import (
    code_text,
    has_upper_case_quoted_identifier,
    leading_words,
    split_statements,
    words,
)

log = logging.getLogger("dwsim_redshift.sql")
# sqlglot warns on every statement it keeps as an opaque command (GRANT ... TO GROUP, VACUUM...):
# the translator passes those through on purpose, so the warnings are noise in server logs.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

TARGET = typed.PostgresTarget

# Leading keywords of statements that may be portable as written (checked further below).
_QUERY_WORDS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES", "TABLE"})
_KEY_WORDS = frozenset({"constraint", "primary", "unique", "foreign"})
_PARAMETER = re.compile(r"(?<![\w$])(\$\d+)(?=[^\d\s])")
_EXPLAIN = re.compile(r"^(\s*EXPLAIN\s+(?:VERBOSE\s+)?)(.*)$", re.IGNORECASE | re.DOTALL)
_DELETE = re.compile(r"^(\s*DELETE\s+)", re.IGNORECASE)
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
    Results whose declared type needs the backend's catalog (SUM/AVG of a DECIMAL) are left as
    PostgreSQL types them: translate_typed() keeps them as slots for the relay to settle.
    """
    return typed.strip(translate_typed(sql))


def translate_typed(sql: str) -> str:
    """translate(), with typed slots and their probes left in (see sql/typed.py)."""
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
    if head[:2] == ("ALTER", "TABLE") and (recorded := layout.alter_layout(statement)) is not None:
        return recorded
    altering_keys = head[:2] == ("ALTER", "TABLE") and words(code) & _KEY_WORDS
    if altering_keys and (recorded := keys.alter_keys(statement)) is not None:
        return recorded
    if commands.is_noop(head):
        return commands.NOOP_SQL
    if show.is_show_command(head):
        return show.translate_show(statement, head)
    if first in ("SET", "SHOW", "RESET"):
        return _setting(statement)
    if first == "ANALYZE":
        return commands.analyze(statement)
    if (without_quota := commands.schema_quota(statement, head)) is not None:
        return without_quota
    if (user := users.user_statement(statement, head)) is not None:
        return user
    if (user := commands.user_options(statement, head)) is not None:
        return user
    if first == "DECLARE" and (m := _DECLARE.match(statement)):
        return m.group(1) + translate_statement(m.group(2))
    if first == "EXPLAIN" and (m := _EXPLAIN.match(statement)):
        return m.group(1) + translate_statement(m.group(2))
    if first == "DELETE" and len(head) > 1 and head[1] != "FROM":
        statement = _DELETE.sub(r"\1FROM ", statement, count=1)  # FROM is optional in Redshift
        code = code_text(statement)
    if first in _QUERY_WORDS and is_portable(statement, code):
        return statement
    source = Source(
        words=frozenset(words(code)),
        code=code,
        quoted_upper=has_upper_case_quoted_identifier(statement),
        text_lower=statement.lower(),
    )
    return _transpile(statement, source)


def _setting(statement: str) -> str:
    m = _SETTING.match(statement)
    if m and m.group(2).lower() in commands.REDSHIFT_SETTINGS:
        return f"{m.group(1)}{commands.SETTING_PREFIX}{m.group(2).lower()}{m.group(3)}"
    return statement


def _parse(text: str) -> list:
    """sqlglot's trees of the statement. Its tokenizer reads ``$1,$2`` (a driver's bound
    parameters, as redshift_connector sends dbt's seed INSERTs: ``values ($1,$2),($3,$4)``) as
    the start of a dollar-quoted string; without quotes in the statement, a space after each
    parameter changes nothing else."""
    try:
        return sqlglot.parse(text, dialect=RedshiftSource)
    except TokenError:
        if "'" in text or "$$" in text or not _PARAMETER.search(text):
            raise
        return sqlglot.parse(_PARAMETER.sub(r"\1 ", text), dialect=RedshiftSource)


def _transpile(statement: str, source: Source) -> str:
    text, indexes = statement, {}
    if partiql.has_at_index(source.code):
        text, indexes = partiql.strip_at_indexes(statement)
    try:
        trees = _parse(text)
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
            rewritten = apply_rewrites(tree, source)
            text = layout.with_marker(rewritten.sql(dialect=TARGET, copy=False), rewritten)
            if probes := rewritten.meta.get(PROBES):
                text += typed.trailer(probes)
            out.append(text)
        except UnsupportedStatementError:
            raise
        except Exception as err:  # a gap in sqlglot or the rewrites: let PostgreSQL judge
            log.warning("sql.untranslated: %s: %s", type(err).__name__, err)
            return statement
    return ";\n".join(out)


__all__ = ["UnsupportedStatementError", "translate", "translate_typed"]
