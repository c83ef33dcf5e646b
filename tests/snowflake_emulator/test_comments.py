"""Comments and string literals are not code: statements the emulator recognizes by their words
run with comments around them, and a "$" in a comment or a string is not a session variable."""

import pytest
from snowflake.connector.errors import ProgrammingError


def test_drop_database_and_list_run_with_comments_around_them(snowflake_conn):
    cur = snowflake_conn.cursor()
    cur.execute("CREATE DATABASE commented_tmp")
    cur.execute("CREATE STAGE notes")

    dropped = cur.execute("-- clean up\nDROP DATABASE commented_tmp /* all of it */").fetchall()
    listed = cur.execute("/* what is staged */ LIST @notes -- nothing yet").fetchall()

    assert dropped == [("COMMENTED_TMP successfully dropped.",)]
    assert listed == []


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
