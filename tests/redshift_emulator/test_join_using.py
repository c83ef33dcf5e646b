"""JOIN ... USING on the real PostgreSQL: the rewrite to ON keeps hash joins, and what it cannot
spell out (SELECT *, NATURAL JOIN) runs as PostgreSQL runs it for other types but is refused
for character keys."""

import uuid
from collections.abc import Iterator

import pytest

from dwsim_redshift.sql import HELPER_SQL, translate

psycopg2 = pytest.importorskip("psycopg2")


@pytest.fixture(scope="module")
def cursor(postgres_url: str) -> Iterator:
    conn = psycopg2.connect(postgres_url)
    conn.autocommit = True
    schema = f"using_{uuid.uuid4().hex[:8]}"
    with conn.cursor() as cur:
        cur.execute(HELPER_SQL)
        cur.execute(f'CREATE SCHEMA "{schema}"; SET search_path TO "{schema}"')
        cur.execute(
            "CREATE TABLE a (v varchar(10), k int, x int);"
            "CREATE TABLE b (v varchar(10), k int, y int);"
            "INSERT INTO a SELECT 'k' || i, i, i FROM generate_series(1, 2000) i;"
            "INSERT INTO b SELECT 'k' || i || ' ', i, i FROM generate_series(1, 2000) i;"
            "CREATE TABLE n (k int, z int); INSERT INTO n VALUES (7, 70);"
            "CREATE TABLE c1 (c char(4), p int); CREATE TABLE c2 (c char(3), q int);"
            "INSERT INTO c1 VALUES ('ab', 1); INSERT INTO c2 VALUES ('ab ', 2);"
            "ANALYZE a; ANALYZE b"
        )
        try:
            yield cur
        finally:
            cur.execute(f'DROP SCHEMA "{schema}" CASCADE')
            conn.close()


def test_a_join_using_a_character_column_still_plans_as_a_hash_join(cursor) -> None:
    # Without merge and nested-loop joins, the planner has a hash join or nothing: the
    # condition must be one it can hash (PostgreSQL picked a merge join here on its costs).
    cursor.execute("SET enable_mergejoin = off; SET enable_nestloop = off")
    try:
        cursor.execute("EXPLAIN " + translate("SELECT v, x, y FROM a JOIN b USING (v)"))
        plan = "\n".join(row[0] for row in cursor.fetchall())
    finally:
        cursor.execute("RESET enable_mergejoin; RESET enable_nestloop")
    assert "Hash Join" in plan
    assert "rtrim" in plan
    cursor.execute(translate("SELECT count(v) FROM a JOIN b USING (v)"))
    assert cursor.fetchall() == [(2000,)]


def test_select_star_over_a_character_key_is_refused_as_an_emulator_limit(cursor) -> None:
    with pytest.raises(psycopg2.Error, match="emulator limit") as info:
        cursor.execute(translate("SELECT * FROM a JOIN b USING (v) WHERE x < 0"))
    assert info.value.pgcode == "0A000"


def test_select_star_over_other_keys_runs_as_postgresql_runs_it(cursor) -> None:
    cursor.execute(translate("SELECT * FROM a JOIN b USING (k) WHERE k = 7"))
    assert [d.name for d in cursor.description] == ["k", "v", "x", "v", "y"]
    assert cursor.fetchall() == [(7, "k7", 7, "k7 ", 7)]
    # CHAR keys: PostgreSQL compares CHAR without trailing blanks already, as Redshift does
    cursor.execute(
        translate(
            "SELECT * FROM (SELECT 'ab'::char(4) AS c, 1 AS x) p "
            "JOIN (SELECT 'ab '::char(3) AS c, 2 AS y) q USING (c)"
        )
    )
    assert cursor.fetchall() == [("ab  ", 1, 2)]


def test_natural_join_of_character_columns_is_refused_before_any_row_is_read(cursor) -> None:
    with pytest.raises(psycopg2.Error, match=r"NATURAL JOIN on character columns \(v\)"):
        cursor.execute(translate("SELECT count(*) FROM a NATURAL JOIN b WHERE x < 0"))
    # other types, and CHAR with CHAR (PostgreSQL ignores its trailing blanks): as PostgreSQL
    cursor.execute(translate("SELECT * FROM a NATURAL JOIN n"))
    assert cursor.fetchall() == [(7, "k7", 7, 70)]
    cursor.execute(translate("SELECT * FROM c1 NATURAL JOIN c2"))
    assert cursor.fetchall() == [("ab  ", 1, 2)]


def test_catalog_names_join_under_select_star_as_dbt_docs_joins_them(cursor) -> None:
    # dbt-redshift's catalog query: SELECT * over catalog CTEs joined USING (schema, table).
    # NAME compares exactly in Redshift too, so PostgreSQL's USING is Redshift's.
    sql = (
        "WITH cols AS (SELECT n.nspname AS table_schema, c.relname AS table_name, a.attname "
        "FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0), "
        "owners AS (SELECT schemaname AS table_schema, tablename AS table_name, tableowner "
        "FROM pg_tables) "
        "SELECT 'dev' AS table_database, * FROM cols JOIN owners USING (table_schema, table_name) "
        "WHERE table_name = 'n' AND table_schema = current_schema() ORDER BY attname"
    )
    cursor.execute(translate(sql))
    names = [d.name for d in cursor.description]
    assert names[:4] == ["table_database", "table_schema", "table_name", "attname"]
    assert [row[3] for row in cursor.fetchall()] == ["k", "z"]
    cursor.execute(translate("SELECT count(*) FROM pg_namespace NATURAL JOIN pg_namespace p"))
    assert cursor.fetchone()[0] > 0
