"""An unquoted reserved word as a table or column name is refused, as the warehouse of the DDL's
dialect refuses it, with a message naming the word, what it names, its line and column, and
the fix (double quotes); quoted, it is a name like any other. A keyword the warehouse accepts
unquoted stays accepted: the import is never stricter than the warehouse. PostgreSQL's verdict
is checked against the machine's real PostgreSQL, keyword by keyword."""

import psycopg2
import pytest

from dwsim_shared.contracts.enums import Dialect
from dwsim_shared.ddl import DDLError, import_ddl
from tests.fixtures.postgres import ADMIN_URL

NAMES = {
    Dialect.REDSHIFT: "Redshift",
    Dialect.SNOWFLAKE: "Snowflake",
    Dialect.POSTGRES: "PostgreSQL",
}


def _refusal(text: str, dialect: Dialect) -> DDLError:
    with pytest.raises(DDLError) as err:
        import_ddl(text, dialect=dialect, name="x")
    return err.value


@pytest.mark.parametrize("dialect", list(Dialect), ids=str)
def test_a_reserved_table_name_is_refused_naming_word_place_and_fix(dialect):
    err = _refusal("-- shop\nCREATE TABLE select (id INT);", dialect)
    assert (err.line, err.column) == (2, 14)
    assert err.message == (
        f"select is a reserved word in {NAMES[dialect]} and cannot be an unquoted table name; "
        'double-quote it ("select") to use it as a name'
    )


@pytest.mark.parametrize("dialect", list(Dialect), ids=str)
def test_a_reserved_column_name_is_refused_naming_its_table(dialect):
    err = _refusal("CREATE TABLE orders (\n  id INT,\n  From VARCHAR(10)\n);", dialect)
    assert (err.line, err.column) == (3, 3)
    assert err.message == (
        f"From is a reserved word in {NAMES[dialect]} and cannot be an unquoted column name "
        '(in table orders); double-quote it ("From") to use it as a name'
    )


@pytest.mark.parametrize("dialect", list(Dialect), ids=str)
def test_reserved_words_in_schema_names_and_added_columns_are_refused_too(dialect):
    err = _refusal("CREATE TABLE order.items (id INT);", dialect)
    assert (err.line, err.column) == (1, 14)
    assert "cannot be an unquoted schema name" in err.message
    err = _refusal("CREATE TABLE t (id INT);\nALTER TABLE t ADD COLUMN where INT;", dialect)
    assert (err.line, err.column) == (2, 26)
    assert "where is a reserved word" in err.message


@pytest.mark.parametrize("dialect", list(Dialect), ids=str)
def test_quoted_reserved_words_are_names_like_any_other(dialect):
    exp = import_ddl(
        'CREATE TABLE "select" ("from" INT, "order" VARCHAR(5), "user" INT);\n'
        'CREATE TABLE "table".t ("where" INT);',
        dialect=dialect,
        name="x",
    )
    assert [(t.name, [c.name for c in t.columns]) for t in exp.tables] == [
        ("select", ["from", "order", "user"]),
        ("t", ["where"]),
    ]


# (word, dialects that refuse it unquoted as a column name): the lists differ per warehouse
DIFFERENCES = [
    ("start", {Dialect.SNOWFLAKE}),  # Redshift: "START and CONNECT are not reserved words"
    ("qualify", {Dialect.SNOWFLAKE}),
    ("tag", {Dialect.REDSHIFT}),
    ("timestamp", {Dialect.REDSHIFT}),  # a type word: Snowflake and PostgreSQL accept it
    ("snapshot", {Dialect.REDSHIFT}),
    ("left", {Dialect.REDSHIFT, Dialect.POSTGRES}),  # Snowflake: limited in FROM only
    ("case", {Dialect.REDSHIFT, Dialect.POSTGRES}),  # Snowflake: limited in expressions only
    ("current_date", {Dialect.REDSHIFT, Dialect.SNOWFLAKE, Dialect.POSTGRES}),
    ("returning", {Dialect.POSTGRES}),
    ("name", set()),
    ("date", set()),
    ("year", set()),
    ("status", set()),
    ("schema", set()),  # Snowflake: limited in SHOW only
    ("connect", {Dialect.SNOWFLAKE}),
    ("check", {Dialect.REDSHIFT, Dialect.SNOWFLAKE, Dialect.POSTGRES}),
    ("primary", {Dialect.REDSHIFT, Dialect.POSTGRES}),  # not reserved in Snowflake
    ("foreign", {Dialect.REDSHIFT, Dialect.POSTGRES}),
]


@pytest.mark.parametrize(("word", "refused_by"), DIFFERENCES, ids=[d[0] for d in DIFFERENCES])
def test_each_dialect_refuses_its_own_reserved_words_and_no_others(word, refused_by):
    for dialect in Dialect:
        text = f"CREATE TABLE t (id INT, {word} INT);"
        if dialect in refused_by:
            assert f"{word} is a reserved word" in _refusal(text, dialect).message
        else:
            exp = import_ddl(text, dialect=dialect, name="x")
            assert [c.name for c in exp.tables[0].columns] == ["id", word]


def test_snowflake_refuses_column_only_words_as_columns_but_not_as_tables():
    """CURRENT_DATE, LOCALTIME, CONSTRAINT...: "Cannot be used as column name"."""
    exp = import_ddl("CREATE TABLE localtime (id INT);", dialect=Dialect.SNOWFLAKE, name="x")
    assert exp.tables[0].name == "localtime"
    err = _refusal("CREATE TABLE t (id INT, localtime INT);", Dialect.SNOWFLAKE)
    assert "cannot be an unquoted column name" in err.message


def _postgres_accepts(cur, sql: str) -> bool:
    cur.execute("SAVEPOINT k")
    try:
        cur.execute(sql)
    except psycopg2.Error:  # a syntax error; LIKE INT: relation "int" does not exist
        cur.execute("ROLLBACK TO SAVEPOINT k")
        return False
    cur.execute("ROLLBACK TO SAVEPOINT k")
    return True


def _import_accepts(text: str) -> bool:
    try:
        import_ddl(text, dialect=Dialect.POSTGRES, name="x")
    except DDLError:  # CONSTRAINT, LIKE: read as a table constraint or LIKE, and refused
        return False
    return True


def test_postgres_dialect_agrees_with_the_real_postgresql_on_every_keyword():
    """Every keyword of the machine's PostgreSQL, as a table name and as a column name: the
    import refuses exactly what PostgreSQL refuses."""
    conn = psycopg2.connect(ADMIN_URL)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT word FROM pg_catalog.pg_get_keywords() ORDER BY word")
            words = [row[0] for row in cur.fetchall()]
            disagreements = []
            for word in words:
                for sql, ddl in (
                    (f"CREATE TEMP TABLE {word} (id INT)", f"CREATE TABLE {word} (id INT);"),
                    (f"CREATE TEMP TABLE t ({word} INT)", f"CREATE TABLE t ({word} INT);"),
                ):
                    if _postgres_accepts(cur, sql) != _import_accepts(ddl):
                        disagreements.append(sql)
    finally:
        conn.rollback()
        conn.close()
    assert len(words) > 400
    assert disagreements == []
