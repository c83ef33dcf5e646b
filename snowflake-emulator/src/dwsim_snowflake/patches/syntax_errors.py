"""sqlglot's parse errors as Snowflake's syntax errors (fakesnow passes sqlglot's text through:
"Invalid expression / Unexpected token. Line 1, Col: 7.").

Snowflake says ``SQL compilation error:\\nsyntax error line L at position P unexpected 'T'.``
(code 1003, SQLSTATE 42000), P counted from 0; the token is the one sqlglot stopped at.
"""

import fakesnow.cursor as fs_cursor
import fakesnow.dialect as fs_dialect
from snowflake.connector.errors import ProgrammingError
from sqlglot.errors import ParseError


def syntax_error(error: ParseError) -> ProgrammingError:
    details = error.errors[0] if error.errors else {}
    line = int(details.get("line") or 1)
    col = int(details.get("col") or 1)
    token = (details.get("highlight") or "").strip() or "<EOF>"
    position = max(col - len(token), 0) if token != "<EOF>" else col
    return ProgrammingError(
        msg=f"SQL compilation error:\nsyntax error line {line} at position {position} "
        f"unexpected '{token}'.",
        errno=1003,
        sqlstate="42000",
    )


def install() -> None:
    fs_dialect.syntax_error = syntax_error  # parse_one (the server's) reads it at each call
    fs_cursor.syntax_error = syntax_error  # cursor.py imported the name
