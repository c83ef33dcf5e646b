"""JOIN ... USING and NATURAL JOIN on the real PostgreSQL: the rewrite to ON keeps hash joins,
NATURAL JOIN of subqueries and WITH names that name their columns becomes USING, and what the
translator cannot spell out (SELECT * over tables, NATURAL JOIN with a table) runs as PostgreSQL
runs it for other types but is refused for character keys."""

import uuid
from collections.abc import Iterator

import pytest

from dwsim_redshift.sql import HELPER_SQL, UnsupportedStatementError, translate
from tests.fixtures.redshift import RedshiftEmulator

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


def test_natural_join_of_ctes_with_named_columns_ignores_trailing_blanks(cursor) -> None:
    # b's keys are a's plus a trailing blank: Redshift matches them, and NATURAL JOIN merges v
    ctes = (
        "WITH l AS (SELECT v, k AS lk, x FROM a WHERE k <= 3), "
        "r AS (SELECT v, y FROM b WHERE k BETWEEN 2 AND 4) "
    )
    cursor.execute(translate(ctes + "SELECT * FROM l NATURAL JOIN r ORDER BY x"))
    assert [d.name for d in cursor.description] == ["v", "lk", "x", "y"]
    assert cursor.fetchall() == [("k2", 2, 2, 2), ("k3", 3, 3, 3)]
    cursor.execute(translate(ctes + "SELECT v, x, y FROM r NATURAL FULL JOIN l ORDER BY v"))
    assert cursor.fetchall() == [("k1", 1, None), ("k2 ", 2, 2), ("k3 ", 3, 3), ("k4 ", None, 4)]


def test_natural_join_of_a_table_and_a_subquery_without_character_keys_runs_unchanged(
    cursor,
) -> None:
    sql = "SELECT * FROM n NATURAL JOIN (SELECT k, x, v FROM a WHERE k < 10) s"
    cursor.execute(translate(sql))
    assert [d.name for d in cursor.description] == ["k", "z", "x", "v"]
    assert cursor.fetchall() == [(7, 70, 7, "k7")]  # n has no v: the join is on k alone
    cursor.execute(
        translate(
            "SELECT * FROM (SELECT k, x FROM a WHERE k < 3) p "
            "NATURAL JOIN (SELECT k AS k, y FROM b) q ORDER BY k"
        )
    )
    assert cursor.fetchall() == [(1, 1, 1), (2, 2, 2)]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT count(*) FROM a NATURAL JOIN (SELECT v, y FROM b) s WHERE x < 0",
        "SELECT count(*) FROM (SELECT v AS v, y FROM b) s NATURAL LEFT JOIN a",
        "WITH c AS (SELECT * FROM b) SELECT count(*) FROM a NATURAL JOIN c",
        "UPDATE n SET z = 0 FROM a NATURAL JOIN (SELECT v, y FROM b) s WHERE n.k = a.k",
    ],
)
def test_natural_join_of_a_table_and_a_subquery_on_a_character_key_is_refused(cursor, sql) -> None:
    # a table's columns are not known to the translator: the shared v is found while planning
    with pytest.raises(psycopg2.Error, match=r"NATURAL JOIN on character columns \(v\)") as info:
        cursor.execute("EXPLAIN " + translate(sql))
    assert info.value.pgcode == "0A000"
    assert "emulator limit" in str(info.value)


def test_natural_join_with_a_side_whose_columns_are_not_named(cursor) -> None:
    unnamed = "(SELECT * FROM a JOIN n USING (k)) s"  # k, v, x, z: not known to the translator
    cursor.execute(translate(f"SELECT * FROM {unnamed} NATURAL JOIN n"))
    assert [d.name for d in cursor.description] == ["k", "z", "v", "x"]
    assert cursor.fetchall() == [(7, 70, "k7", 7)]
    for sql in (
        f"SELECT count(*) FROM {unnamed} NATURAL JOIN b",
        f"SELECT count(*) FROM (SELECT v, y FROM b) q NATURAL JOIN {unnamed}",
    ):
        with pytest.raises(psycopg2.Error, match="columns are not named") as info:
            cursor.execute("EXPLAIN " + translate(sql))
        assert info.value.pgcode == "0A000"
    with pytest.raises(UnsupportedStatementError, match="emulator limit"):
        translate(f"SELECT * FROM {unnamed} NATURAL JOIN (SELECT upper(v) FROM b) q")


def test_select_star_over_using_of_named_columns_is_spelled_out(cursor) -> None:
    # USING (v) of character keys under SELECT *: refused over tables, faithful over subqueries
    cursor.execute(
        translate(
            "SELECT * FROM (SELECT x, v FROM a WHERE k < 3) p "
            "JOIN (SELECT v, y FROM b) q USING (v) ORDER BY x"
        )
    )
    assert [d.name for d in cursor.description] == ["v", "x", "y"]
    assert cursor.fetchall() == [("k1", 1, 1), ("k2", 2, 2)]
    # a table joined ON after them keeps its columns where * puts them
    cursor.execute(
        translate(
            "SELECT * FROM (SELECT x, v FROM a WHERE k < 3) p "
            "NATURAL JOIN (SELECT v, y FROM b) q LEFT JOIN n ON n.k = p.x ORDER BY x"
        )
    )
    assert [d.name for d in cursor.description] == ["v", "x", "y", "k", "z"]
    assert cursor.fetchall() == [("k1", 1, 1, None, None), ("k2", 2, 2, None, None)]


def test_natural_joins_through_the_emulator(redshift_emulator: RedshiftEmulator) -> None:
    conn = psycopg2.connect(redshift_emulator.dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(
                "WITH l AS (SELECT 'ab'::varchar(5) AS v, 1 AS x), "
                "r AS (SELECT 'ab '::varchar(5) AS v, 2 AS y) SELECT * FROM l NATURAL JOIN r"
            )
            assert cur.fetchall() == [("ab", 1, 2)]
            with pytest.raises(psycopg2.Error, match="emulator limit") as info:
                cur.execute(
                    "SELECT * FROM (SELECT * FROM (SELECT 1 AS k) p, (SELECT 'a ' AS v) q) s "
                    "NATURAL JOIN (SELECT 'a' || '') t"
                )
            assert info.value.pgcode == "0A000"
    finally:
        conn.close()
