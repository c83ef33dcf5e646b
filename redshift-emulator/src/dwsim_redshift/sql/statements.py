"""Statement-level scanning: split a batch on ';', read leading keywords, spot portable text.

A small hand scanner (not sqlglot) so that the cheap decisions cost microseconds: it knows
Redshift's quoting ('...' with '' and backslash escapes, "...", $tag$...$tag$, -- and /* */).
"""

import re
from collections.abc import Iterator
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
# Where a literal, quoted name or comment may start.
_SPECIAL = re.compile(r"['\"$]|--|/\*")


# A '...' literal: '' and backslash escapes inside (an unterminated one runs to the end).
_STRING = re.compile(r"'(?:[^'\\]|\\.|'')*(?:'|\Z)", re.DOTALL)


def _skip_string(sql: str, i: int) -> int:
    """Index just past the single-quoted literal starting at sql[i]."""
    m = _STRING.match(sql, i)
    return m.end() if m else len(sql)


def skip_block_comment(sql: str, i: int) -> int:
    depth, n = 0, len(sql)
    while i < n:
        if sql.startswith("/*", i):
            depth += 1
            i += 2
        elif sql.startswith("*/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return n


# Statements longer than this (bulk INSERTs) are scanned again rather than kept in a cache.
_CACHED_LENGTH = 65536


_last_long: tuple[str, tuple[tuple[str, int, int], ...]] = ("", ())


def segments(sql: str) -> tuple[tuple[str, int, int], ...]:
    """(kind, start, end) spans: kind is 'code', 'string', 'ident', 'comment' or 'dollar'.
    Cached: one statement is looked at several times while it is translated (a long one is
    remembered alone, so memory stays bounded)."""
    global _last_long
    if len(sql) <= _CACHED_LENGTH:
        return _segments(sql)
    last_sql, last = _last_long
    if last_sql is not sql and last_sql != sql:
        last = tuple(_scan(sql))
        _last_long = (sql, last)
    return last


@lru_cache(maxsize=128)
def _segments(sql: str) -> tuple[tuple[str, int, int], ...]:
    return tuple(_scan(sql))


def _scan(sql: str) -> Iterator[tuple[str, int, int]]:
    i, n, start = 0, len(sql), 0
    while i < n:
        found = _SPECIAL.search(sql, i)
        if found is None:
            break
        i = found.start()
        ch = sql[i]
        if ch == "$" and not (_DOLLAR_TAG.match(sql, i) and not sql[i + 1 : i + 2].isdigit()):
            i += 1
            continue
        m = _DOLLAR_TAG.match(sql, i) if ch == "$" else None
        if start < i:
            yield "code", start, i
        if ch == "'":
            end = _skip_string(sql, i)
            kind = "string"
        elif ch == '"':
            close = sql.find('"', i + 1)
            end = n if close < 0 else close + 1
            kind = "ident"
        elif ch == "-":
            close = sql.find("\n", i)
            end = n if close < 0 else close + 1
            kind = "comment"
        elif ch == "/":
            end = skip_block_comment(sql, i)
            kind = "comment"
        else:
            tag = m.group(0)
            close = sql.find(tag, i + len(tag))
            end = n if close < 0 else close + len(tag)
            kind = "dollar"
        yield kind, i, end
        i = start = end
    if start < n:
        yield "code", start, n


def split_statements(sql: str) -> list[str]:
    """Split on top-level ';', dropping empty statements (comments-only count as empty)."""
    statements, current_start, has_content = [], 0, False
    for kind, start, end in segments(sql):
        if kind == "comment":
            continue
        if kind != "code":
            has_content = True
            continue
        pos = start
        while (semi := sql.find(";", pos, end)) >= 0:
            if has_content or sql[pos:semi].strip():
                statements.append(sql[current_start:semi].strip())
            current_start, pos, has_content = semi + 1, semi + 1, False
        if sql[pos:end].strip():
            has_content = True
    if has_content:
        statements.append(sql[current_start:].strip())
    return statements


_last_long_code: tuple[str, str] = ("", "")


def code_text(sql: str) -> str:
    """The statement with literals replaced by a placeholder and comments removed."""
    global _last_long_code
    if len(sql) <= _CACHED_LENGTH:
        return _code_text(sql)
    last_sql, code = _last_long_code
    if last_sql is not sql and last_sql != sql:
        code = _blank_literals(sql)
        _last_long_code = (sql, code)
    return code


@lru_cache(maxsize=128)
def _code_text(sql: str) -> str:
    return _blank_literals(sql)


def _blank_literals(sql: str) -> str:
    parts = []
    for kind, start, end in segments(sql):
        if kind == "code":
            parts.append(sql[start:end])
        elif kind == "ident":
            parts.append(" _ident_ ")
        elif kind in ("string", "dollar"):
            parts.append(" '' ")
        else:
            parts.append(" ")
    return "".join(parts)


def leading_words(sql: str, count: int = 4) -> tuple[str, ...]:
    """The first few keywords of a statement, upper-cased (literals and comments skipped)."""
    return tuple(w.upper() for w in _WORD.findall(code_text(sql)[:400])[:count])


def words(code: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(code)}


def has_backslash_string(sql: str) -> bool:
    """Redshift reads backslash escapes in '...' literals; PostgreSQL does not."""
    return any(kind == "string" and "\\" in sql[s:e] for kind, s, e in segments(sql))


def has_upper_case_quoted_identifier(sql: str) -> bool:
    """Redshift folds "Quoted" identifiers to lower case; PostgreSQL keeps their case."""
    return any(kind == "ident" and sql[s:e] != sql[s:e].lower() for kind, s, e in segments(sql))
