"""A statement's text as Snowflake reads it: comments (``--``, ``//``, ``/* */``), string
literals ('...', $$...$$) and quoted names ("...") are not code.

The emulator recognizes some statements by their words before parsing them (DROP DATABASE,
LIST, GET, PUT...) and fakesnow substitutes session variables ($name) in the raw text; both
must skip what is not code, or a comment before DROP DATABASE, or a "$" in a comment or a
string, breaks a statement that Snowflake runs.
"""

import re

from snowflake.connector.errors import ProgrammingError

_NOT_CODE = re.compile(
    r"(?P<text>'(?:[^'\\]|\\.|'')*'?|\"(?:[^\"]|\"\")*\"?|\$\$.*?(?:\$\$|$))"
    r"|(?P<comment>--[^\n]*|(?<!:)//[^\n]*|/\*.*?(?:\*/|$))",  # not PUT file://
    re.DOTALL,
)
_VARIABLE = re.compile(r"(?<![$\w])\$([A-Za-z_]\w*)")


def without_comments(sql: str) -> str:
    """``sql`` with each comment replaced by a space (strings and quoted names kept)."""
    return _NOT_CODE.sub(lambda m: " " if m["comment"] is not None else m[0], sql)


def code_start(sql: str) -> int:
    """Where the code of ``sql`` begins: after the blanks and comments that lead it."""
    at = 0
    while True:
        while at < len(sql) and sql[at].isspace():
            at += 1
        found = _NOT_CODE.match(sql, at)
        if found is None or found["comment"] is None:
            return at
        at = found.end()


def _code_parts(sql: str) -> list[tuple[bool, str]]:
    """(is code, text) in order; the texts joined are ``sql``."""
    parts: list[tuple[bool, str]] = []
    end = 0
    for found in _NOT_CODE.finditer(sql):
        parts += [(True, sql[end : found.start()]), (False, found[0])]
        end = found.end()
    return [*parts, (True, sql[end:])]


def inline_variables(sql: str, variables: dict[str, str]) -> str:
    """Session variables ($name, any case) replaced by their values in the code of ``sql``;
    an unknown one is Snowflake's error."""
    values = {name.upper(): value for name, value in variables.items()}

    def value_of(found: re.Match[str]) -> str:
        name = found[1].upper()
        if name not in values:
            raise ProgrammingError(msg=f"Session variable '${name}' does not exist")
        return values[name]

    return "".join(
        _VARIABLE.sub(value_of, text) if code else text for code, text in _code_parts(sql)
    )
