"""System functions and views: the session's warehouse and role, exact ROW_COUNT, COPY_HISTORY,
and errors in Snowflake's words (never DuckDB's "Binder Error")."""

import pytest
from snowflake.connector.errors import ProgrammingError

from tests.snowflake_emulator.staging import put_text


def _rows(cur, sql: str) -> list[tuple]:
    return cur.execute(sql).fetchall()


def test_current_warehouse_and_role_come_from_the_connection(snowflake_emulator):
    conn = snowflake_emulator.connect(warehouse="reporting_wh", role="analyst")
    try:
        cur = conn.cursor()
        assert _rows(cur, "SELECT CURRENT_WAREHOUSE(), CURRENT_ROLE()") == [
            ("REPORTING_WH", "ANALYST")
        ]
        cur.execute("USE WAREHOUSE etl_wh")
        assert _rows(cur, "SELECT CURRENT_WAREHOUSE()") == [("ETL_WH",)]
    finally:
        conn.close()


def test_without_a_warehouse_it_is_null(snowflake_conn):
    assert _rows(snowflake_conn.cursor(), "SELECT CURRENT_WAREHOUSE(), CURRENT_ROLE()") == [
        (None, "SYSADMIN")
    ]


def test_row_count_right_after_truncate_delete_and_reload(snowflake_conn, s3_server, s3_bucket):
    put_text(s3_server, s3_bucket, "rc/a.csv", "1\n2\n3\n")
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE t (id INT)")
    copy = f"COPY INTO t FROM 's3://{s3_bucket}/rc/' FILE_FORMAT = (TYPE = CSV)"
    count = "SELECT row_count FROM information_schema.tables WHERE table_name = 'T'"

    cur.execute(copy)
    assert _rows(cur, count) == [(3,)]
    cur.execute("TRUNCATE TABLE t")
    assert _rows(cur, count) == [(0,)]
    cur.execute(copy)
    cur.execute("DELETE FROM t WHERE id = 1")
    assert _rows(cur, count) == [(2,)]


def test_copy_history_lists_the_tables_loads(snowflake_conn, s3_server, s3_bucket):
    good = put_text(s3_server, s3_bucket, "ch/good.csv", "1,a\n")
    bad = put_text(s3_server, s3_bucket, "ch/bad.csv", "x,b\n2,c\n")
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE t (id INT, label VARCHAR)")
    cur.execute(
        f"COPY INTO t FROM 's3://{s3_bucket}/ch/' FILE_FORMAT = (TYPE = CSV) ON_ERROR = CONTINUE"
    )

    rows = _rows(
        cur,
        "SELECT file_name, status, row_count, row_parsed, error_count, first_error_message, "
        "table_name FROM TABLE(information_schema.copy_history(TABLE_NAME => 'T', "
        "START_TIME => DATEADD(hours, -1, CURRENT_TIMESTAMP()))) ORDER BY file_name",
    )
    later = _rows(
        cur,
        "SELECT count(*) FROM TABLE(information_schema.copy_history(TABLE_NAME => 'T', "
        "START_TIME => DATEADD(hours, 1, CURRENT_TIMESTAMP())))",
    )

    assert rows == [
        (bad, "Partially loaded", 1, 2, 1, "Numeric value 'x' is not recognized", "T"),
        (good, "Loaded", 1, 1, 0, None, "T"),
    ]
    assert later == [(0,)]


@pytest.mark.parametrize(
    ("sql", "errno", "message"),
    [
        pytest.param(
            "SELECT nope FROM t",
            904,
            "SQL compilation error: error line 1 at position 7\ninvalid identifier 'NOPE'",
            id="column",
        ),
        pytest.param(
            "SELECT * FROM nope",
            2003,
            "Object 'NOPE' does not exist or not authorized.",
            id="table",
        ),
        pytest.param("SELECT nope(1)", 2140, "Unknown function NOPE", id="function"),
        pytest.param(
            "SELECT id FROM t GROUP BY label",
            2065,
            "'ID' is not a valid group by expression",
            id="group-by",
        ),
        pytest.param(
            "SELEC 1", 1003, "SQL compilation error:\nsyntax error line 1 at position", id="syntax"
        ),
        pytest.param("SELECT 1/0", 100051, "Division by zero", id="division-by-zero"),
    ],
)
def test_errors_are_worded_as_snowflakes(snowflake_conn, sql, errno, message):
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE t (id INT, label VARCHAR)")
    with pytest.raises(ProgrammingError) as err:
        cur.execute(sql)
    assert err.value.errno == errno
    assert message in str(err.value)
    for duckdb_words in ("Binder Error", "Catalog Error", "Parser Error", "LINE 1:"):
        assert duckdb_words not in str(err.value)
