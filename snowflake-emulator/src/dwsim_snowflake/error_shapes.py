"""Errors in Snowflake's shape and words, never DuckDB's "Binder Error: ..." text.

fakesnow passes DuckDB's and sqlglot's messages through (``Catalog Error: Table with name X does
not exist!``, ``Parser Error: syntax error at or near "X"``). Here the common ones become the
error Snowflake gives for the same mistake, with its code and SQL state, and the position in the
statement the client sent where it can be found; any other DuckDB message loses its category
prefix and says it comes from the emulator.
"""

import re
from collections.abc import Callable

from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake.copy_errors import conversion_message

_CATEGORY = re.compile(
    r"^(?:[\w ]+ )?(Binder|Parser|Catalog|Conversion|Invalid Input|Out of Range|Constraint|"
    r"Not implemented|Dependency|Invalid|Serialization|Transaction|Syntax|Permission) Error: ",
)
_PREFIX = re.compile(r"^\d{6} \(\w+\): (?:None: )?")  # the connector's "002043 (02000): "
_DUCK_TYPES = {"INT8": "BIGINT", "INT16": "SMALLINT", "INT32": "INTEGER", "INT64": "BIGINT"}
_DUCK_TYPES |= {"INT128": "HUGEINT", "FLOAT": "FLOAT", "DOUBLE": "DOUBLE"}


def _error(msg: str, errno: int, sqlstate: str) -> ProgrammingError:
    return ProgrammingError(msg=msg, errno=errno, sqlstate=sqlstate)


def _position(command: str, word: str) -> tuple[int, int] | None:
    """(line, 0-based position) of ``word`` in the statement, if it is there."""
    found = re.search(r"(?<![\w$])" + re.escape(word) + r"(?![\w$])", command, re.IGNORECASE)
    if found is None:
        return None
    before = command[: found.start()]
    return before.count("\n") + 1, found.start() - (before.rfind("\n") + 1)


def _where(command: str, word: str) -> str:
    """' error line L at position P' of ``word`` in the statement, or '' if it is not there."""
    found = _position(command, word)
    return f" error line {found[0]} at position {found[1]}" if found else ""


def _compilation(command: str, word: str, text: str, errno: int, sqlstate: str) -> ProgrammingError:
    return _error(f"SQL compilation error:{_where(command, word)}\n{text}", errno, sqlstate)


def _syntax(command: str, token: str) -> ProgrammingError:
    line, position = _position(command, token) or (1, 0)
    return _error(
        f"SQL compilation error:\nsyntax error line {line} at position {position} "
        f"unexpected '{token}'.",
        1003,
        "42000",
    )


def _sqlglot_syntax(command: str, line: int, col: int) -> ProgrammingError:
    """sqlglot's 'Line L, Col: C.' points at the end of the offending token."""
    lines = command.splitlines() or [""]
    text = lines[min(line, len(lines)) - 1]
    end = min(col, len(text))
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    token = text[start:end] or "<EOF>"
    return _error(
        f"SQL compilation error:\nsyntax error line {line} at position {start} unexpected '{token}'.",
        1003,
        "42000",
    )


_RULES: list[tuple[re.Pattern[str], Callable[[str, re.Match[str]], ProgrammingError]]] = [
    (
        re.compile(r"Catalog Error: Table with name (\S+) does not exist"),
        lambda c, m: _compilation(
            c, m[1], f"Object '{m[1]}' does not exist or not authorized.", 2003, "42S02"
        ),
    ),
    (
        re.compile(
            r"Catalog Error: (?:Scalar|Aggregate|Table|Window|Pragma) Function with name (\w+) does not exist"
        ),
        lambda c, m: _compilation(c, m[1], f"Unknown function {m[1].upper()}", 2140, "42601"),
    ),
    (
        re.compile(r"Catalog Error: Schema with name (\S+) does not exist"),
        lambda c, m: _error(
            f"SQL compilation error:\nSchema '{m[1]}' does not exist or not authorized.",
            2003,
            "02000",
        ),
    ),
    (
        re.compile(r'Binder Error: Referenced column "([^"]+)" not found'),
        lambda c, m: _compilation(c, m[1], f"invalid identifier '{m[1]}'", 904, "42000"),
    ),
    (
        re.compile(r'Binder Error: Values list "([^"]+)" does not have a column named "([^"]+)"'),
        lambda c, m: _compilation(c, m[2], f"invalid identifier '{m[1]}.{m[2]}'", 904, "42000"),
    ),
    (
        re.compile(r'Binder Error: Referenced table "([^"]+)" not found'),
        lambda c, m: _compilation(c, m[1], f"invalid identifier '{m[1]}'", 904, "42000"),
    ),
    (
        re.compile(r'Binder Error: Ambiguous reference to column name "([^"]+)"'),
        lambda c, m: _compilation(c, m[1], f"ambiguous column name '{m[1]}'", 2028, "42601"),
    ),
    (
        re.compile(r'Binder Error: column "([^"]+)" must appear in the GROUP BY clause'),
        lambda c, m: _compilation(
            c, m[1], f"'{m[1]}' is not a valid group by expression", 2065, "42601"
        ),
    ),
    (
        re.compile(
            r"Binder Error: No function matches the given name and argument types '(\w+)\(([^)]*)\)'"
        ),
        lambda c, m: _compilation(
            c,
            m[1],
            f"Invalid argument types for function '{m[1].upper()}': ({m[2]})",
            1044,
            "22023",
        ),
    ),
    (
        re.compile(r'Parser Error: syntax error at or near "([^"]*)"'),
        lambda c, m: _syntax(c, m[1]),
    ),
    (
        re.compile(r"Parser Error: syntax error at end of input"),
        lambda c, m: _error(
            "SQL compilation error:\nsyntax error line 1 at position "
            f"{len(c.rstrip())} unexpected '<EOF>'.",
            1003,
            "42000",
        ),
    ),
    (
        re.compile(
            r"^(?:Invalid expression / )?Unexpected token\. Line (\d+), Col: (\d+)\.|"
            r"^[A-Z][^\n]*\. Line (\d+), Col: (\d+)\."
        ),
        lambda c, m: _sqlglot_syntax(c, int(m[1] or m[3]), int(m[2] or m[4])),
    ),
    (
        re.compile(r"Conversion Error: Could not convert string '((?:[^']|'')*)' to (\w+)"),
        lambda c, m: _error(
            *conversion_message(_DUCK_TYPES.get(m[2].upper(), m[2]), m[1].replace("''", "'"))
        ),
    ),
    (
        re.compile(r"(?:Invalid Input|Out of Range) Error: (?:Division by zero|Modulo by zero)"),
        lambda c, m: _error("Division by zero", 100051, "22012"),
    ),
    (
        re.compile(r"Conflict on (?:tuple deletion|update)"),
        lambda c, m: _error(
            "Rows this statement changes were changed by another transaction that committed "
            "after this transaction began (emulator limit: DuckDB keeps a snapshot per "
            "transaction and refuses the write, where Snowflake reads the committed rows and "
            "goes on). Roll back and run the transaction again.",
            625,
            "40001",
        ),
    ),
    (
        re.compile(r"Constraint Error: NOT NULL constraint failed"),
        lambda c, m: _error("NULL result in a non-nullable column", 100072, "22000"),
    ),
    (
        re.compile(r"Out of Range Error: .*(?:out of range|overflow)", re.IGNORECASE),
        lambda c, m: _error("Number out of representable range", 100046, "22003"),
    ),
]


def snowflake_error(error: ProgrammingError, command: str) -> ProgrammingError:
    """The error Snowflake gives where DuckDB or sqlglot gave ``error``; others unchanged."""
    message = _PREFIX.sub("", getattr(error, "raw_msg", None) or error.msg or "")
    for pattern, build in _RULES:
        found = pattern.search(message)
        if found is not None:
            return build(command, found)
    prefix = _CATEGORY.match(message)
    if prefix is None:
        return error
    first = message[prefix.end() :].split("\n\nLINE ")[0].split("\nLINE ")[0].strip()
    compile_time = prefix[1] in ("Binder", "Parser", "Catalog", "Syntax", "Dependency")
    head = "SQL compilation error:\n" if compile_time else ""
    return _error(
        f"{head}{first} (the Snowflake emulator's message; Snowflake words this error differently)",
        error.errno or 2,
        error.sqlstate or "42000",
    )
