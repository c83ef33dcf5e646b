"""Splitting a simple-protocol query string into statements, and telling what kind each is."""

import re

_TX_CONTROL = re.compile(
    r"^\s*(begin|start\s+transaction|commit|end|rollback|abort|savepoint|release|prepare\s+transaction)\b",
    re.IGNORECASE,
)
_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z_0-9]*)?\$")
_SPECIAL = re.compile(r"['\";$]|--|/\*")


def split_statements(sql: str) -> list[str]:
    """The statements of ``sql``, split on top-level semicolons, stripped, empty ones dropped.

    Semicolons inside quotes ('...', "...", E'...'), comments (-- and nested /* */) and
    dollar-quoted bodies ($$...$$, $tag$...$tag$) do not split.
    """
    if ";" not in sql:
        return [sql.strip()] if strip_comments(sql).strip() else []
    out: list[str] = []
    start = 0
    i = 0
    n = len(sql)
    while i < n:
        m = _SPECIAL.search(sql, i)
        if m is None:
            break
        i = m.start()
        c = m.group(0)
        if c == "'" or c == '"':
            i = _skip_quoted(sql, i, c)
        elif c == "--":
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif c == "/*":
            i = _skip_block_comment(sql, i)
        elif c == "$":
            tag = _DOLLAR_TAG.match(sql, i)
            if tag and not (i > 0 and (sql[i - 1].isalnum() or sql[i - 1] == "_")):
                end = sql.find(tag.group(0), tag.end())
                i = n if end < 0 else end + len(tag.group(0))
            else:
                i += 1
        else:  # ";"
            _append(out, sql[start:i])
            i += 1
            start = i
    _append(out, sql[start:])
    return out


def _append(out: list[str], text: str) -> None:
    if strip_comments(text).strip():
        out.append(text.strip())


def _skip_quoted(sql: str, i: int, quote: str) -> int:
    backslash = quote == "'" and i > 0 and sql[i - 1] in "eE"
    i += 1
    n = len(sql)
    while i < n:
        c = sql[i]
        if backslash and c == "\\":
            i += 2
            continue
        if c == quote:
            if i + 1 < n and sql[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return n


def _skip_block_comment(sql: str, i: int) -> int:
    depth = 0
    n = len(sql)
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


def strip_comments(sql: str) -> str:
    """``sql`` without its leading comments (enough to classify a statement by its first word)."""
    i = 0
    n = len(sql)
    while i < n:
        if sql[i].isspace():
            i += 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            i = _skip_block_comment(sql, i)
        else:
            break
    return sql[i:]


def is_transaction_control(sql: str) -> bool:
    return bool(_TX_CONTROL.match(strip_comments(sql)))
