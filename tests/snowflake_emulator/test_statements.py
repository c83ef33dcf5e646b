"""Statement fixes the launcher installs on fakesnow: errors, CREATE and DROP DATABASE."""

import pytest
from snowflake.connector.errors import ProgrammingError


def test_duckdb_error_is_a_sql_error_naming_the_problem(snowflake_conn, s3_bucket):
    """fakesnow answered this with HTTP 500, which the connector retries until its timeout."""
    with pytest.raises(ProgrammingError, match=r"nothing-here\.parquet"):
        snowflake_conn.cursor().execute(
            f"SELECT * FROM read_parquet('s3://{s3_bucket}/nothing-here.parquet')"
        )
    # the session is still usable
    assert snowflake_conn.cursor().execute("SELECT 1").fetchall() == [(1,)]


def test_create_database_has_a_public_schema_and_drop_removes_it(snowflake_conn):
    cur = snowflake_conn.cursor()
    cur.execute("CREATE DATABASE analytics_tmp")
    cur.execute("CREATE TABLE analytics_tmp.public.t (x INT)")
    cur.execute("INSERT INTO analytics_tmp.public.t VALUES (1), (2)")
    assert cur.execute("SELECT count(*) FROM analytics_tmp.public.t").fetchall() == [(2,)]

    assert cur.execute("DROP DATABASE analytics_tmp").fetchall() == [
        ("ANALYTICS_TMP successfully dropped.",)
    ]
    with pytest.raises(ProgrammingError, match="ANALYTICS_TMP"):
        cur.execute("DROP DATABASE analytics_tmp")
    cur.execute("DROP DATABASE IF EXISTS analytics_tmp")
    with pytest.raises(ProgrammingError):
        cur.execute("SELECT count(*) FROM analytics_tmp.public.t")


def test_null_timestamps_come_back_as_null(snowflake_conn):
    """fakesnow sent them as 1970-01-01 00:00:00."""
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE events (id INT, at_ntz TIMESTAMP_NTZ, at_tz TIMESTAMP_TZ, day DATE)")
    cur.execute(
        "INSERT INTO events VALUES (1, NULL, NULL, NULL), "
        "(2, '2024-05-06 07:08:09.123', '2024-05-06 07:08:09+00:00', '2024-05-06')"
    )
    rows = cur.execute("SELECT id, at_ntz, at_tz, day FROM events ORDER BY id").fetchall()

    assert rows[0] == (1, None, None, None)
    assert rows[1][1].isoformat() == "2024-05-06T07:08:09.123000"
    assert rows[1][2].isoformat() == "2024-05-06T07:08:09+00:00"


SLOW_SQL = (  # tens of seconds of work unless it is cancelled
    "SELECT SUM(MD5(a.x::VARCHAR || b.x::VARCHAR) > 'a') "
    "FROM (SELECT SEQ4() x FROM TABLE(GENERATOR(ROWCOUNT => 8000))) a, "
    "(SELECT SEQ4() x FROM TABLE(GENERATOR(ROWCOUNT => 8000))) b"
)


def test_statement_past_its_timeout_is_cancelled_on_the_server(snowflake_conn):
    """fakesnow ignored the connector's abort request: the statement ran on and returned rows."""
    cur = snowflake_conn.cursor()
    with pytest.raises(ProgrammingError) as err:
        cur.execute(SLOW_SQL, timeout=1)

    assert err.value.errno == 604
    assert "canceled" in str(err.value)
    # the session is still usable
    assert snowflake_conn.cursor().execute("SELECT 1").fetchall() == [(1,)]


def test_list_a_stage_on_s3_with_path_and_pattern(snowflake_conn, s3_server, s3_bucket):
    """fakesnow answered LIST of an external stage with no rows."""
    client = s3_server.client()
    for key in ("runs/r1/t/part-00000.parquet", "runs/r1/t/part-00001.parquet", "runs/r2/x.csv"):
        client.put_object(Bucket=s3_bucket, Key=key, Body=b"12345")
    cur = snowflake_conn.cursor()
    cur.execute(f"CREATE STAGE runs URL='s3://{s3_bucket}/runs/'")

    everything = cur.execute("LIST @runs").fetchall()
    under_path = cur.execute("LIST @runs/r1/").fetchall()
    by_pattern = cur.execute("LIST @runs PATTERN='.*[.]csv'").fetchall()

    assert [d.name for d in cur.description] == ["name", "size", "md5", "last_modified"]
    base = f"s3://{s3_bucket}/runs/"
    assert [r[0] for r in everything] == [
        base + "r1/t/part-00000.parquet",
        base + "r1/t/part-00001.parquet",
        base + "r2/x.csv",
    ]
    assert [r[0] for r in under_path] == [
        base + "r1/t/part-00000.parquet",
        base + "r1/t/part-00001.parquet",
    ]
    assert [(r[0], r[1], r[2]) for r in by_pattern] == [
        (base + "r2/x.csv", 5, "827ccb0eea8a706c4c34a16891f84e7b")  # md5 of b"12345"
    ]
    assert by_pattern[0][3].endswith(" GMT")
    with pytest.raises(ProgrammingError, match="NO_SUCH_STAGE' does not exist"):
        cur.execute("LIST @no_such_stage")
