"""Rows as CSV (RFC 4180): a header of column names, then one line per row.

Values arrive JSON-safe (decimals and timestamps already exact strings): NULL is an empty
field, an empty string is ``""``, booleans are ``true``/``false``, JSON values are JSON text.
"""

import json
from typing import Any

_NEEDS_QUOTES = frozenset(',"\r\n')


def csv_field(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, dict | list):
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    else:
        text = str(value)
    if text == "" or not _NEEDS_QUOTES.isdisjoint(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_lines(rows: list[list[Any]]) -> bytes:
    """``rows`` as CSV lines (each ending in a newline), UTF-8."""
    return "".join(",".join(map(csv_field, row)) + "\n" for row in rows).encode()
