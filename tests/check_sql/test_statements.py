"""Splitting a file into statements: where each starts, what does not split it, query logs,
folders and uncompiled dbt models (standalone: no server)."""

import pytest

from dwsim_shared.compat import SourceError, read_sources, split_lines, split_statements
from dwsim_shared.compat.rules import RULES
from dwsim_shared.compat.statements import jinja_at
from dwsim_shared.contracts.enums import Warehouse

SCRIPT = """-- header comment; not a statement
select 'a;b' as s, "odd;name" from t; /* c; */ select 2
;

create function f() returns int as $$ select 1; $$ language sql;
  update t
     set x = 1 -- trailing; comment
"""


@pytest.mark.parametrize("dialect", ["redshift", "snowflake"])
def test_statements_split_on_semicolons_outside_strings_names_comments_and_bodies(dialect):
    got = [(s.sql, s.line, s.column) for s in split_statements(SCRIPT, dialect, file="x.sql")]
    assert got == [
        ("select 'a;b' as s, \"odd;name\" from t", 2, 1),
        ("select 2", 2, 48),
        ("create function f() returns int as $$ select 1; $$ language sql", 5, 1),
        ("update t\n     set x = 1", 6, 3),
    ]


def test_a_position_in_a_statement_is_a_position_in_its_file():
    first, second = split_statements("select 1;  select\n  nope from t", "redshift")
    assert second.file_position(1, 1) == (1, 12)
    assert second.file_position(2, 3) == (2, 3)
    assert first.file_position(1, 8) == (1, 8)


def test_text_the_tokenizer_cannot_read_stays_one_statement():
    (only,) = split_statements("\n\n  select 'unterminated; from t;\n", "redshift")
    assert (only.sql, only.line, only.column) == ("select 'unterminated; from t;", 3, 3)
    assert split_statements(" -- only a comment\n;;\n", "snowflake") == []


def test_a_query_log_holds_one_statement_per_line():
    log = "select 1;\n\n  -- skipped\n  select 'a;b'  \nselect 3"
    assert [(s.sql, s.line, s.column) for s in split_lines(log, file="q.log")] == [
        ("select 1", 1, 1),
        ("select 'a;b'", 4, 3),
        ("select 3", 5, 1),
    ]


@pytest.mark.parametrize(
    ("sql", "found"),
    [
        ("select * from {{ ref('orders') }}", (1, 15)),
        ("{% if x %}\nselect 1\n{% endif %}", (1, 1)),
        ("select 1 {# note #}", (1, 10)),
        ("select '{{ not jinja }}' as literal -- {{ nor this }}", None),
        ('select parse_json(\'{"a": {"b": 1}}\')', None),
    ],
)
def test_jinja_outside_literals_and_comments_is_found(sql, found):
    assert jinja_at(sql) == found


def test_a_folder_gives_every_sql_file_under_it_in_path_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "z.sql").write_text("select 2")
    (tmp_path / "a.sql").write_text("select 1")
    (tmp_path / "notes.md").write_text("not sql")
    (tmp_path / ".hidden" / "x.sql").write_text("select 3")
    names = [name for name, _ in read_sources(tmp_path)]
    assert names == [str(tmp_path / "a.sql"), str(tmp_path / "b" / "z.sql")]
    with pytest.raises(SourceError, match="does not exist"):
        read_sources(tmp_path / "nope.sql")
    with pytest.raises(SourceError, match=r"holds no \.sql file"):
        read_sources(_empty(tmp_path))


def _empty(root):
    folder = root / "empty"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    ("sql", "not_run"),
    [
        ("create /* scratch */ stage s1", True),
        ("-- setup\ncreate or replace\n-- fresh\ndatabase d", True),
        ("select '/* create stage */' as s", False),
        ("select 1 -- begin", False),
    ],
)
def test_statements_are_classified_by_their_words_not_their_comments(sql, not_run):
    assert (RULES[Warehouse.SNOWFLAKE].not_run_rule(sql) is not None) is not_run
