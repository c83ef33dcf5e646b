"""Session variables substituted in the code of a statement only.

fakesnow replaced ``$name`` everywhere in a statement's text, and refused any ``$word`` left:
``SELECT 'price in $usd'`` or ``-- uses $x`` in a comment failed with "Session variable '$USD'
does not exist", and a variable's name inside a string literal was replaced by its value. Here
comments, string literals, $$ bodies and quoted names are left as written (sql_text.py).

Self-contained: a fix fakesnow could take upstream (tests/snowflake_emulator/test_comments.py).
"""

from fakesnow.cursor import FakeSnowflakeCursor

from dwsim_snowflake.sql_text import inline_variables


def _inline_variables(self: FakeSnowflakeCursor, sql: str) -> str:
    return inline_variables(sql, self._conn.variables._variables)


def install() -> None:
    FakeSnowflakeCursor._inline_variables = _inline_variables  # type: ignore[method-assign]
