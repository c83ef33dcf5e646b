"""redshift_connector (extended protocol only, TLS by default) against the emulator."""

import threading
import time
import uuid

import pytest

from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.s3 import S3Server

redshift_connector = pytest.importorskip("redshift_connector")

ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwsim'"


@pytest.fixture
def conn(redshift_emulator: RedshiftEmulator):
    connection = redshift_connector.connect(**redshift_emulator.connect_kwargs(ssl=False))
    yield connection
    connection.close()


@pytest.fixture
def table(conn):
    name = f"t_{uuid.uuid4().hex[:10]}"
    cur = conn.cursor()
    cur.execute(f"CREATE TABLE {name} (id integer, label varchar(20))")
    conn.commit()
    yield name
    conn.rollback()
    cur = conn.cursor()
    cur.execute(f"DROP TABLE IF EXISTS {name}")
    conn.commit()


def test_tls_verified_against_the_emulators_ca(redshift_emulator, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(redshift_emulator.ca_file))
    connection = redshift_connector.connect(**redshift_emulator.connect_kwargs(ssl=True))
    try:
        cur = connection.cursor()
        cur.execute("SELECT 1 AS one, 'x' AS letter")
        assert cur.fetchall() == ([1, "x"],)
        assert [d[0] for d in cur.description] == ["one", "letter"]
    finally:
        connection.close()


def test_tls_refuses_an_untrusted_server(redshift_emulator, monkeypatch, tmp_path):
    other_ca = tmp_path / "empty.pem"
    other_ca.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(other_ca))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    with pytest.raises(redshift_connector.InterfaceError):
        redshift_connector.connect(**redshift_emulator.connect_kwargs(ssl=True))


def test_parameters_and_transactions(conn, table):
    cur = conn.cursor()
    cur.execute(f"INSERT INTO {table} VALUES (%s, %s)", (1, "one"))
    cur.executemany(f"INSERT INTO {table} VALUES (%s, %s)", [(2, "two"), (3, "three")])
    conn.commit()
    cur.execute(f"INSERT INTO {table} VALUES (%s, %s)", (4, "gone"))
    conn.rollback()
    cur.execute(f"SELECT id, label FROM {table} WHERE id >= %s ORDER BY id", (2,))
    assert cur.fetchall() == ([2, "two"], [3, "three"])


def test_temp_table_lives_in_its_session(conn, redshift_emulator):
    cur = conn.cursor()
    cur.execute("CREATE TEMP TABLE scratch (v int)")
    cur.execute("INSERT INTO scratch VALUES (5)")
    cur.execute("SELECT v FROM scratch")
    assert cur.fetchall() == ([5],)
    other = redshift_connector.connect(**redshift_emulator.connect_kwargs())
    try:
        with pytest.raises(redshift_connector.ProgrammingError, match="scratch"):
            other.cursor().execute("SELECT v FROM scratch")
    finally:
        other.close()


def test_server_side_cursor_with_declare_and_fetch(conn):
    cur = conn.cursor()
    cur.execute("DECLARE big CURSOR FOR SELECT g FROM generate_series(1, 1000) AS g")
    cur.execute("FETCH 400 FROM big")
    first = cur.fetchall()
    cur.execute("FETCH 400 FROM big")
    second = cur.fetchall()
    cur.execute("CLOSE big")
    conn.commit()
    assert [r[0] for r in first + second] == list(range(1, 801))


def test_query_cancelled_from_another_session(conn, redshift_emulator):
    """redshift_connector has no cancel(): Redshift users call pg_cancel_backend(pid)."""
    import psycopg2

    cur = conn.cursor()
    cur.execute("SELECT pg_backend_pid()")
    pid = cur.fetchall()[0][0]
    admin = psycopg2.connect(redshift_emulator.dsn)
    admin.autocommit = True

    def cancel() -> None:
        with admin.cursor() as c:
            c.execute("SELECT pg_cancel_backend(%s)", (pid,))

    timer = threading.Timer(0.5, cancel)
    timer.start()
    started = time.monotonic()
    try:
        with pytest.raises(redshift_connector.Error, match="cancel"):
            cur.execute("SELECT pg_sleep(20)")
    finally:
        timer.join()
        admin.close()
    assert time.monotonic() - started < 10
    conn.rollback()
    cur.execute("SELECT 1")
    assert cur.fetchall() == ([1],)


def test_errors_keep_the_connection(conn):
    cur = conn.cursor()
    with pytest.raises(redshift_connector.ProgrammingError, match="no_such_table"):
        cur.execute("SELECT * FROM no_such_table")
    conn.rollback()
    with pytest.raises(redshift_connector.ProgrammingError, match="cannot be emulated"):
        cur.execute("CREATE EXTERNAL SCHEMA spectrum FROM DATA CATALOG DATABASE 'x'")
    conn.rollback()
    cur.execute("SELECT 'fine'")
    assert cur.fetchall() == (["fine"],)


def test_copy_and_unload_through_the_extended_protocol(
    conn, table, s3_server: S3Server, s3_bucket: str
):
    s3_server.client().put_object(Bucket=s3_bucket, Key="in/a.csv", Body=b"1,one\n2,two\n")
    cur = conn.cursor()
    copy = f"COPY {table} FROM 's3://{s3_bucket}/in/a.csv' {ROLE} CSV"
    cur.execute(copy)
    cur.execute(copy)  # the second run binds the cached prepared statement
    cur.execute(f"SELECT count(*) FROM {table}")
    assert cur.fetchall() == ([4],)
    conn.rollback()
    cur.execute(f"SELECT count(*) FROM {table}")
    assert cur.fetchall() == ([0],)
    cur.execute(copy)
    cur.execute(f"UNLOAD ('SELECT * FROM {table}') TO 's3://{s3_bucket}/out/t_' {ROLE} CSV")
    conn.commit()
    listed = s3_server.client().list_objects_v2(Bucket=s3_bucket, Prefix="out/")
    assert listed.get("KeyCount", 0) >= 1


def test_failed_copy_fails_the_block_and_the_connection_goes_on(
    conn, table, s3_server: S3Server, s3_bucket: str
):
    s3_server.client().put_object(Bucket=s3_bucket, Key="bad.csv", Body=b"1,one\nx,two\n")
    cur = conn.cursor()
    with pytest.raises(redshift_connector.Error, match="stl_load_errors"):
        cur.execute(f"COPY {table} FROM 's3://{s3_bucket}/bad.csv' {ROLE} CSV")
    with pytest.raises(redshift_connector.Error, match="aborted"):
        cur.execute("SELECT 1")
    conn.rollback()
    cur.execute(f"SELECT count(*) FROM {table}")
    assert cur.fetchall() == ([0],)


def test_a_multi_row_insert_into_dev_schema_table_binds_its_parameters(conn, table):
    """dbt-redshift's seed INSERT: three-part names under the profile's "dev", and the driver's
    $1,$2 placeholders written without spaces (sqlglot once read them as a dollar quote)."""
    cur = conn.cursor()
    cur.execute(
        f'insert into "dev"."public"."{table}" ("id", "label") values (%s,%s),(%s,%s)',
        (1, "a ", 2, "b"),
    )
    cur.execute(f"select count(*) from {table} a join {table} b on a.label = 'a' and b.id = 2")
    assert cur.fetchall() == ([1],)
    cur.execute(
        "select table_catalog from information_schema.tables where table_name = %s", (table,)
    )
    assert cur.fetchall() == (["dev"],)
