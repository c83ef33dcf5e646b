"""The statement scanner on its own: splitting a batch on ';' must respect every kind of
quoting Redshift clients send (a wrong split would run half a statement)."""

import pytest

from dwsim_redshift.sql.statements import code_text, leading_words, split_statements


@pytest.mark.parametrize(
    ("batch", "statements"),
    [
        ("select 1; select 2;", ["select 1", "select 2"]),
        ("select ';' ; select 'it''s;'", ["select ';'", "select 'it''s;'"]),
        ("select 'a\\';b'", ["select 'a\\';b'"]),  # Redshift's backslash escape
        ('select "we;ird" from t', ['select "we;ird" from t']),
        ("select 1 -- c; not a statement\n; select 2", ["select 1 -- c; not a statement", "select 2"]),
        ("select /* ; /* nested ; */ ; */ 1", ["select /* ; /* nested ; */ ; */ 1"]),
        (
            "create function f() returns int as $$ select 1; $$ language sql; select 2",
            ["create function f() returns int as $$ select 1; $$ language sql", "select 2"],
        ),
        ("select $tag$ ; $tag$, $1", ["select $tag$ ; $tag$, $1"]),
        (" ; ;  ", []),
        ("-- only a comment", []),
    ],
)  # fmt: skip
def test_split_statements(batch: str, statements: list[str]) -> None:
    assert split_statements(batch) == statements


def test_leading_words_skip_comments_and_literals() -> None:
    assert leading_words("/* hi */ -- x\n  SET query_group TO 'a b'") == (
        "SET", "QUERY_GROUP", "TO",
    )  # fmt: skip
    assert "getdate" not in code_text("select 'getdate()' -- getdate()\n")
