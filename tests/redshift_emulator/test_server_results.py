"""What clients see of results and sessions through the emulator: declared result types (over
both protocols), TRUNCATE committing its transaction, and the query log behind stl_query /
sys_query_history (kept bounded)."""

import asyncio
import time
import uuid

import psycopg2
import psycopg2.errors
import pytest

from dwsim_redshift.backend.connect import BackendAddress
from dwsim_redshift.query_log.tracker import QueryRecord, QueryStatus, SessionInfo
from dwsim_redshift.query_log.writer import QueryLog
from dwsim_redshift.sql import HELPER_SQL
from tests.fixtures.postgres import fresh_database
from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.s3 import S3Server

redshift_connector = pytest.importorskip("redshift_connector")

ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwsim'"
VARCHAR, NUMERIC = 1043, 1700


@pytest.fixture
def conn(redshift_emulator: RedshiftEmulator):
    connection = psycopg2.connect(redshift_emulator.dsn)
    connection.autocommit = True
    yield connection
    connection.close()


@pytest.fixture
def schema(conn):
    name = f"res_{uuid.uuid4().hex[:8]}"
    with conn.cursor() as cur:
        cur.execute(f"CREATE SCHEMA {name}")
        cur.execute(f"SET search_path TO {name}")
        cur.execute("CREATE TABLE t (g int, d decimal(7,3), s varchar(10))")
        cur.execute("INSERT INTO t VALUES (1, 1.5, 'a'), (1, 2.25, 'b'), (2, 4, NULL)")
    yield name
    with conn.cursor() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def _connector(redshift_emulator: RedshiftEmulator, schema: str):
    connection = redshift_connector.connect(**redshift_emulator.connect_kwargs(ssl=False))
    cur = connection.cursor()
    cur.execute(f"SET search_path TO {schema}")
    return connection, cur


def test_extended_protocol_sees_numeric_38_and_varchar(redshift_emulator, schema):
    connection, cur = _connector(redshift_emulator, schema)
    try:
        cur.execute("SELECT g, sum(d), upper(min(s)) FROM t GROUP BY g ORDER BY g")
        assert [tuple(map(str, r)) for r in cur.fetchall()] == [
            ("1", "3.750", "A"),
            ("2", "4.000", "None"),
        ]
        fields = cur.ps["row_desc"]
        assert [f["type_oid"] for f in fields][1:] == [NUMERIC, VARCHAR]
        assert fields[1]["type_modifier"] == (38 << 16 | 3) + 4  # numeric(38,3)
    finally:
        connection.close()


def test_a_probe_that_fails_leaves_the_transaction_block_usable(conn, schema):
    conn.autocommit = False
    with conn.cursor() as cur:
        cur.execute("INSERT INTO t VALUES (3, 1, 'c')")
        # the sum's argument names the outer query: its probe fails, the query does not
        cur.execute(
            "SELECT g, (SELECT sum(o.d + i.d) FROM t i WHERE i.g = o.g) FROM t o ORDER BY g, d"
        )
        assert cur.fetchall()[-1] == (3, 2)
        cur.execute("SELECT count(*) FROM t")
        assert cur.fetchone() == (4,)
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM t")
        assert cur.fetchone() == (3,)


def test_truncate_commits_what_came_before_it_in_the_block(redshift_emulator, schema):
    connection, cur = _connector(redshift_emulator, schema)
    try:
        cur.execute("CREATE TABLE kept (a int)")
        connection.commit()
        cur.execute("INSERT INTO kept VALUES (1)")
        cur.execute("TRUNCATE t")
        connection.rollback()  # nothing left to roll back: TRUNCATE committed the block
        cur.execute("SELECT (SELECT count(*) FROM kept), (SELECT count(*) FROM t)")
        assert cur.fetchone() == [1, 0]
    finally:
        connection.close()


def test_truncate_of_a_missing_table_fails_the_block(conn, schema):
    conn.autocommit = False
    with conn.cursor() as cur:
        cur.execute("INSERT INTO t VALUES (3, 1, 'c')")
        with pytest.raises(psycopg2.errors.UndefinedTable):
            cur.execute("TRUNCATE no_such_table")
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM t")
        assert cur.fetchone() == (3,)


def _history(conn, *texts: str) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT query_text, query_type, status, error_message, returned_rows, "
            "start_time <= end_time FROM sys_query_history "
            "WHERE session_id = pg_backend_pid() AND query_text IN %s ORDER BY start_time",
            (texts,),
        )
        return cur.fetchall()


def test_query_history_has_each_statement_with_its_outcome(conn, schema):
    with conn.cursor() as cur:
        cur.execute("SELECT g FROM t WHERE g = 1; UPDATE t SET g = 5 WHERE g = 2")
        with pytest.raises(psycopg2.errors.DivisionByZero):
            cur.execute("SELECT 1 / (g - g) FROM t")
    assert _history(
        conn,
        "SELECT g FROM t WHERE g = 1",
        "UPDATE t SET g = 5 WHERE g = 2",
        "SELECT 1 / (g - g) FROM t",
    ) == [
        ("SELECT g FROM t WHERE g = 1", "SELECT", "success", "", 2, True),
        ("UPDATE t SET g = 5 WHERE g = 2", "UPDATE", "success", "", 1, True),
        ("SELECT 1 / (g - g) FROM t", "SELECT", "failed", "division by zero", 0, True),
    ]
    with conn.cursor() as cur:
        cur.execute(
            "SELECT querytxt, aborted FROM stl_query WHERE pid = pg_backend_pid() "
            "AND querytxt IN (%s, %s)",
            ("SELECT 1 / (g - g) FROM t", f"SET search_path TO {schema}"),
        )
        assert cur.fetchall() == [("SELECT 1 / (g - g) FROM t", 1)]  # SET is no query


def test_query_history_of_the_extended_protocol_and_of_copy(
    redshift_emulator, schema, conn, s3_server: S3Server, s3_bucket: str
):
    s3_server.client().put_object(Bucket=s3_bucket, Key="res/t.csv", Body=b"7,1.5,x\n")
    copy = f"COPY t FROM 's3://{s3_bucket}/res/t.csv' {ROLE} CSV"
    connection, cur = _connector(redshift_emulator, schema)
    try:
        cur.execute("SELECT s FROM t WHERE g = %s", (1,))
        cur.execute(copy)
        cur.execute("SELECT pg_last_copy_id()")
        copy_id = cur.fetchone()[0]
        connection.commit()
        cur.execute(
            "SELECT query_id, query_type, status, returned_rows FROM sys_query_history "
            "WHERE session_id = pg_backend_pid() AND query_type IN ('SELECT', 'COPY') "
            "ORDER BY start_time"
        )
        rows = cur.fetchall()
    finally:
        connection.close()
    assert [r[1:] for r in rows[:2]] == [["SELECT", "success", 2], ["COPY", "success", 1]]
    assert rows[1][0] == copy_id


def test_the_log_keeps_only_the_newest_rows():
    with fresh_database("dwsim_rs_log") as url:
        admin = psycopg2.connect(url)
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(HELPER_SQL)
        address = BackendAddress.from_url(url)
        sink = QueryLog(address, address.database, "postgres", limit=3)
        session = SessionInfo(42, "dwsim", address.database)
        now = time.time()

        async def write() -> None:
            for i in range(5):
                sink.add(
                    QueryRecord(session, f"SELECT {i}", now + i, now + i + 1, QueryStatus.SUCCESS)
                )
            await sink.flush()
            await sink.close()

        asyncio.run(write())
        with admin.cursor() as cur:
            cur.execute("SELECT querytxt, pid FROM dwsim_rs.stl_query ORDER BY query")
            assert cur.fetchall() == [("SELECT 2", 42), ("SELECT 3", 42), ("SELECT 4", 42)]
        admin.close()
