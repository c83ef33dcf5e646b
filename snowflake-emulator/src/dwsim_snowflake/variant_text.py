"""VARIANT, OBJECT and ARRAY values as Snowflake sends them to a client: JSON indented by two
spaces, one member or element a line (``{\\n  "a": 1\\n}``), ``{}`` and ``[]`` when empty.

DuckDB keeps JSON compact (``{"a":1}``). Only the layout changes: strings, numbers and the
order of keys are kept as written, so a number keeps every digit it had. What a query turns
into text itself (TO_JSON, ``::STRING``) is VARCHAR, compact in Snowflake too, and not touched.
"""

import re

# a string, an empty object or array, one structural character, or a scalar (number, literal)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{\[]\s*[}\]]|[{}\[\],:]|[^"{}\[\],:\s]+', re.DOTALL)
_BREAKS = ["\n" + "  " * depth for depth in range(64)]


def _break(depth: int) -> str:
    return _BREAKS[depth] if depth < len(_BREAKS) else "\n" + "  " * depth


def indented(text: str) -> str:
    """``text`` (valid JSON) laid out as Snowflake lays out a VARIANT."""
    if not text or text[0] not in "{[" or len(text) == 2:
        return text  # a scalar, or {} / []: nothing to lay out
    out: list[str] = []
    depth = 0
    for token in _TOKEN.findall(text):
        first = token[0]
        if first in "{[":
            if len(token) > 1:  # empty
                out.append(first + token[-1])
            else:
                depth += 1
                out.append(first + _break(depth))
        elif first in "}]":
            depth -= 1
            out.append(_break(depth) + first)
        elif first == ",":
            out.append("," + _break(depth))
        elif first == ":":
            out.append(": ")
        else:
            out.append(token)
    return "".join(out)
