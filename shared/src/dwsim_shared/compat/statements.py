"""A file's text as statements, each with the line and column it starts at.

A file (or request text) is split on ``;`` by sqlglot's tokenizer for the warehouse's dialect,
so semicolons in strings, quoted names, comments and ``$$`` bodies do not split; a statement
starts at its first word (comments before it are left out). A query log can instead hold one
statement per line. Text the tokenizer cannot read (an unterminated string) stays one
statement, for the warehouse to judge.
"""

import re
from dataclasses import dataclass

from sqlglot.dialects import Dialect
from sqlglot.errors import TokenError
from sqlglot.tokens import TokenType

_JINJA = re.compile(r"\{\{|\{%|\{#")
_LITERALS_AND_COMMENTS = re.compile(
    r"'(?:[^'\\]|''|\\.)*'?|\"(?:[^\"]|\"\")*\"?|--[^\n]*|/\*.*?(?:\*/|$)|\$(\w*)\$.*?(?:\$\1\$|$)",
    re.DOTALL,
)

# a literal, quoted name or $$ body (group 1, kept), else a comment (replaced by a space)
_COMMENTS = re.compile(
    r"('(?:[^'\\]|''|\\.)*'?|\"(?:[^\"]|\"\")*\"?|\$(\w*)\$.*?(?:\$\2\$|$))"
    r"|--[^\n]*|/\*.*?(?:\*/|$)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Statement:
    sql: str
    line: int  # 1-based, in the file
    column: int  # 1-based
    file: str | None = None

    def file_position(self, line: int, column: int) -> tuple[int, int]:
        """A (line, column) within the statement, as a (line, column) in its file."""
        if line == 1:
            return self.line, self.column + column - 1
        return self.line + line - 1, column


def _position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def split_statements(text: str, dialect: str, file: str | None = None) -> list[Statement]:
    """The statements of ``text`` (empty ones and comment-only ones are left out)."""
    try:
        tokens = Dialect.get_or_raise(dialect).tokenize(text)
    except TokenError:
        stripped = text.strip()
        if not stripped:
            return []
        return [Statement(stripped, *_position(text, text.index(stripped[0])), file=file)]
    statements: list[Statement] = []
    start: int | None = None
    end = 0
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if start is not None:
                statements.append(Statement(text[start:end], *_position(text, start), file=file))
            start = None
            continue
        if start is None:
            start = token.start
        end = token.end + 1
    if start is not None:
        statements.append(Statement(text[start:end], *_position(text, start), file=file))
    return statements


def split_lines(text: str, file: str | None = None) -> list[Statement]:
    """One statement per line (a query log): blank lines and ``--`` comment lines left out, a
    trailing ``;`` taken off."""
    statements = []
    for number, raw in enumerate(text.splitlines(), start=1):
        sql = raw.strip().rstrip(";").rstrip()
        if sql and not sql.startswith("--"):
            statements.append(Statement(sql, number, raw.index(sql[0]) + 1, file=file))
    return statements


def without_comments(sql: str) -> str:
    """``sql`` with each ``--`` or ``/* */`` comment replaced by a space (strings, quoted names
    and ``$$`` bodies kept): what rules that read a statement's words should read."""
    return _COMMENTS.sub(lambda m: m[1] if m[1] is not None else " ", sql)


def jinja_at(sql: str) -> tuple[int, int] | None:
    """(line, column) in ``sql`` of the first Jinja tag (``{{``, ``{%``, ``{#``) outside string
    literals and comments, or None: SQL left uncompiled by dbt."""
    masked = _LITERALS_AND_COMMENTS.sub(lambda m: " " * len(m[0]), sql)
    found = _JINJA.search(masked)
    return _position(sql, found.start()) if found else None
