"""Comments and string literals are not code: statements the emulator recognizes by their words
(DROP DATABASE, LIST, USE) run with comments around them, and a "$" in a comment or a string is
not a session variable."""

import pytest
from snowflake.connector.errors import ProgrammingError


def test_drop_database_and_list_run_with_comments_around_them(snowflake_conn):
    cur = snowflake_conn.cursor()
    ((home,),) = cur.execute("SELECT CURRENT_DATABASE()").fetchall()
    cur.execute("CREATE STAGE notes")
    cur.execute("CREATE DATABASE commented_tmp")  # now the current database, as in Snowflake
    cur.execute(f"USE DATABASE {home}")

    dropped = cur.execute("-- clean up\nDROP DATABASE commented_tmp /* all of it */").fetchall()
    listed = cur.execute("/* what is staged */ LIST @notes -- nothing yet").fetchall()

    assert dropped == [("COMMENTED_TMP successfully dropped.",)]
    assert listed == []


@pytest.mark.parametrize(
    "use", ["USE {database}", "use database {database}", "USE SCHEMA {database}.PUBLIC"]
)
def test_use_after_a_leading_comment_changes_the_session(snowflake_conn, snowflake_emulator, use):
    ((database,),) = snowflake_conn.cursor().execute("SELECT CURRENT_DATABASE()").fetchall()
    snowflake_conn.cursor().execute("CREATE TABLE regions (name VARCHAR)")
    with snowflake_emulator.connect() as conn:  # no database yet
        cur = conn.cursor()
        cur.execute("-- where the report reads\n/* its tables */ " + use.format(database=database))
        current = cur.execute("SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()").fetchall()
        rows = cur.execute("SELECT count(*) FROM regions").fetchall()

    assert current == [(database, "PUBLIC")]
    assert rows == [(0,)]


def test_dollars_in_comments_and_strings_are_not_variables(snowflake_conn):
    cur = snowflake_conn.cursor()
    cur.execute("SET usd = 5")

    rows = cur.execute(
        "SELECT '$usd' AS text, $usd AS value, -- $usd and $eur here are a comment\n"
        "'$eur' AS other /* $eur */"
    ).fetchall()

    assert rows == [("$usd", 5, "$eur")]
    with pytest.raises(ProgrammingError, match=r"Session variable '\$EUR' does not exist"):
        cur.execute("SELECT $eur")
