"""COPY/UNLOAD through the emulator's wire protocol: run on the client's own session and
transaction, errors answered in Redshift's words, the connection still usable afterwards."""

import json
import threading
import time
import uuid

import psycopg2
import psycopg2.errors
import pytest

from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.s3 import S3Server

ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwsim'"


@pytest.fixture
def conn(redshift_emulator: RedshiftEmulator):
    connection = psycopg2.connect(redshift_emulator.dsn)
    yield connection
    connection.close()


@pytest.fixture
def table(conn):
    name = f"t_{uuid.uuid4().hex[:10]}"
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {name} (id integer, label varchar(20))")
    conn.commit()
    yield name
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")
    conn.commit()


@pytest.fixture
def csv_url(s3_server: S3Server, s3_bucket: str) -> str:
    s3_server.client().put_object(
        Bucket=s3_bucket, Key="in/data.csv", Body=b"1,one\n2,two\n3,three\n"
    )
    return f"s3://{s3_bucket}/in/data.csv"


def _count(conn, table: str) -> int:
    with conn.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")
        return cur.fetchone()[0]


def test_copy_from_s3_loads_rows_and_reports_the_count(conn, table, csv_url, redshift_emulator):
    with conn.cursor() as cur:
        cur.execute(f"COPY {table} FROM '{csv_url}' {ROLE} CSV")
        assert cur.rowcount == 3
        assert cur.statusmessage == "COPY 3"
        cur.execute(f"SELECT id, label FROM {table} ORDER BY id")
        assert cur.fetchall() == [(1, "one"), (2, "two"), (3, "three")]
    conn.commit()
    lines = redshift_emulator.log_file.read_text().splitlines()
    logged = [json.loads(line) for line in lines if line.startswith("{")]
    copies = [e for e in logged if e["event"] == "redshift.copy" and table in e["statement"]]
    assert [e["rows"] for e in copies] == [3]


def test_copy_rolls_back_with_its_transaction(conn, table, csv_url):
    with conn.cursor() as cur:
        cur.execute(f"INSERT INTO {table} VALUES (0, 'before')")
        cur.execute(f"COPY {table} FROM '{csv_url}' {ROLE} CSV")
        assert _count(conn, table) == 4
    conn.rollback()
    assert _count(conn, table) == 0


def test_copy_in_autocommit_is_committed(conn, table, csv_url, redshift_emulator):
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"COPY {table} FROM '{csv_url}' {ROLE} CSV")
    other = psycopg2.connect(redshift_emulator.dsn)
    try:
        assert _count(other, table) == 3
    finally:
        other.close()


def test_bad_row_fails_the_load_and_the_connection_goes_on(conn, table, s3_server, s3_bucket):
    body = b"1,one\nnot-a-number,two\n3,three\n"
    s3_server.client().put_object(Bucket=s3_bucket, Key="bad/data.csv", Body=body)
    with conn.cursor() as cur:
        cur.execute(f"INSERT INTO {table} VALUES (0, 'before')")
        with pytest.raises(psycopg2.Error) as info:
            cur.execute(f"COPY {table} FROM 's3://{s3_bucket}/bad/data.csv' {ROLE} CSV")
        assert "stl_load_errors" in str(info.value)
        # like any error inside a transaction block, the block is now failed
        with pytest.raises(psycopg2.errors.InFailedSqlTransaction):
            cur.execute("SELECT 1")
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT line_number, rtrim(colname) FROM stl_load_errors ORDER BY starttime DESC LIMIT 1"
        )
        assert cur.fetchone() == (2, "id")
    assert _count(conn, table) == 0


def test_copy_of_a_missing_object_says_so(conn, table, s3_bucket):
    conn.autocommit = True
    with conn.cursor() as cur:
        with pytest.raises(psycopg2.Error) as info:
            cur.execute(f"COPY {table} FROM 's3://{s3_bucket}/nothing/here' {ROLE} CSV")
        assert "nothing/here" in str(info.value)
        cur.execute("SELECT 'usable'")
        assert cur.fetchone() == ("usable",)


def test_copy_among_other_statements_in_one_query(conn, table, csv_url):
    with conn.cursor() as cur:
        cur.execute(
            f"DELETE FROM {table}; COPY {table} FROM '{csv_url}' {ROLE} CSV; "
            f"SELECT max(id) FROM {table}"
        )
        assert cur.fetchone() == (3,)
    conn.commit()
    assert _count(conn, table) == 3


def test_unload_then_copy_back(conn, table, csv_url, s3_bucket, s3_server):
    with conn.cursor() as cur:
        cur.execute(f"COPY {table} FROM '{csv_url}' {ROLE} CSV")
        cur.execute(
            f"UNLOAD ('SELECT id, label FROM {table} WHERE id > 1') "
            f"TO 's3://{s3_bucket}/out/part_' {ROLE} CSV"
        )
        keys = [
            o["Key"]
            for o in s3_server.client().list_objects_v2(Bucket=s3_bucket, Prefix="out/")["Contents"]
        ]
        assert keys
        cur.execute(f"DELETE FROM {table}")
        cur.execute(f"COPY {table} FROM 's3://{s3_bucket}/out/part_' {ROLE} CSV")
        cur.execute(f"SELECT id, label FROM {table} ORDER BY id")
        assert cur.fetchall() == [(2, "two"), (3, "three")]
    conn.commit()


def test_cancel_stops_a_running_copy(redshift_emulator, conn, table, s3_server, s3_bucket):
    body = "".join(f"{i},row{i}\n" for i in range(100_000)).encode()
    client = s3_server.client()
    for part in range(20):
        client.put_object(Bucket=s3_bucket, Key=f"big/part-{part:02d}.csv", Body=body)
    watcher = threading.Thread(target=cancel_when_copying, args=(redshift_emulator, conn, table))
    watcher.start()
    started = time.monotonic()
    with conn.cursor() as cur, pytest.raises(psycopg2.errors.QueryCanceled):
        cur.execute(f"COPY {table} FROM 's3://{s3_bucket}/big/' {ROLE} CSV")
    watcher.join()
    assert time.monotonic() - started < 10
    conn.rollback()
    assert _count(conn, table) == 0


def cancel_when_copying(emulator: RedshiftEmulator, conn, table: str) -> None:
    """Cancel ``conn``'s statement once its rows stream into ``table`` in PostgreSQL (seen from
    a session of its own), not after a guessed delay: a warm emulator copies a million CSV
    rows in a quarter of a second, a loaded machine may start the copy late."""
    watcher = psycopg2.connect(emulator.dsn)
    watcher.autocommit = True
    try:
        deadline = time.monotonic() + 30
        with watcher.cursor() as cur:
            while time.monotonic() < deadline:
                cur.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                    "AND query LIKE %s AND pid <> pg_backend_pid()",
                    (f"COPY %{table}%FROM STDIN%",),
                )
                if cur.fetchone()[0]:
                    conn.cancel()
                    return
                time.sleep(0.005)
    finally:
        watcher.close()


def test_concurrent_sessions_copy_at_once(redshift_emulator, csv_url):
    from concurrent.futures import ThreadPoolExecutor

    names = [f"c_{uuid.uuid4().hex[:8]}" for _ in range(10)]

    def load(name: str) -> tuple[int, int]:
        connection = psycopg2.connect(redshift_emulator.dsn)
        try:
            with connection.cursor() as cur:
                cur.execute(f"CREATE TEMP TABLE {name} (id integer, label varchar(20))")
                cur.execute(f"COPY {name} FROM '{csv_url}' {ROLE} CSV")
                copied = cur.rowcount
                cur.execute(f"SELECT count(*) FROM {name}")
                return copied, cur.fetchone()[0]
        finally:
            connection.close()

    with ThreadPoolExecutor(len(names)) as pool:
        results = list(pool.map(load, names))
    assert results == [(3, 3)] * len(names)
