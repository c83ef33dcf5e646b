"""ALTER TABLE APPEND, and what a COPY leaves in the system views, through the emulator's wire
protocol as the non-superuser client role."""

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
    connection.autocommit = True
    yield connection
    connection.close()


@pytest.fixture
def names(conn):
    suffix = uuid.uuid4().hex[:8]
    made = {k: f"{k}_{suffix}" for k in ("target", "source")}
    yield made
    with conn.cursor() as cur:
        for name in made.values():
            cur.execute(f"DROP TABLE IF EXISTS {name}")


def _rows(conn, sql: str) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_append_moves_rows_by_column_name_and_empties_the_source(conn, names):
    target, source = names["target"], names["source"]
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {target} (id int, label varchar(10))")
        cur.execute(f"CREATE TABLE {source} (label varchar(10), id int)")
        cur.execute(f"INSERT INTO {target} VALUES (1, 'kept')")
        cur.execute(f"INSERT INTO {source} VALUES ('moved', 2), ('also', 3)")
        cur.execute(f"ALTER TABLE {target} APPEND FROM {source}")
        assert cur.statusmessage == "ALTER TABLE APPEND"
    assert _rows(conn, f"SELECT id, label FROM {target} ORDER BY id") == [
        (1, "kept"),
        (2, "moved"),
        (3, "also"),
    ]
    assert _rows(conn, f"SELECT count(*) FROM {source}") == [(0,)]


def test_append_extra_columns_need_ignoreextra_or_filltarget(conn, names):
    target, source = names["target"], names["source"]
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {target} (id int, note text DEFAULT 'filled')")
        cur.execute(f"CREATE TABLE {source} (id int, junk int)")
        cur.execute(f"INSERT INTO {source} VALUES (1, 9)")
        with pytest.raises(psycopg2.errors.UndefinedColumn, match='Column "junk" of source'):
            cur.execute(f"ALTER TABLE {target} APPEND FROM {source}")
        with pytest.raises(psycopg2.errors.UndefinedColumn, match='Column "note" of target'):
            cur.execute(f"ALTER TABLE {target} APPEND FROM {source} IGNOREEXTRA")
        cur.execute(f"ALTER TABLE {source} DROP COLUMN junk")
        cur.execute(f"ALTER TABLE {target} APPEND FROM {source} FILLTARGET")
    assert _rows(conn, f"SELECT id, note FROM {target}") == [(1, "filled")]


def test_append_refuses_columns_of_different_types(conn, names):
    target, source = names["target"], names["source"]
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {target} (id int)")
        cur.execute(f"CREATE TABLE {source} (id bigint)")
        with pytest.raises(psycopg2.errors.DatatypeMismatch, match="different attributes"):
            cur.execute(f"ALTER TABLE {target} APPEND FROM {source}")


def test_append_cannot_run_inside_a_transaction_block(redshift_emulator, names):
    conn = psycopg2.connect(redshift_emulator.dsn)  # psycopg2 opens a block before a statement
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE TABLE {names['target']} (id int)")
            cur.execute(f"CREATE TABLE {names['source']} (id int)")
            with pytest.raises(psycopg2.errors.ActiveSqlTransaction, match="transaction block"):
                cur.execute(f"ALTER TABLE {names['target']} APPEND FROM {names['source']}")
        conn.rollback()
    finally:
        conn.close()


def test_copy_through_the_server_fills_load_commits_and_table_info(
    conn, names, s3_server: S3Server, s3_bucket: str
):
    target = names["target"]
    s3_server.client().put_object(Bucket=s3_bucket, Key="lc/1.csv", Body=b"1\n2\n")
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {target} (id int)")
        cur.execute(f"COPY {target} FROM 's3://{s3_bucket}/lc/' {ROLE} CSV")
        cur.execute("SELECT pg_last_copy_id()")
        query = cur.fetchone()[0]
    commits = _rows(
        conn,
        f"SELECT trim(filename), lines_scanned FROM stl_load_commits WHERE query = {query}",
    )
    assert commits == [(f"s3://{s3_bucket}/lc/1.csv", 2)]
    info = _rows(conn, f"SELECT tbl_rows FROM svv_table_info WHERE \"table\" = '{target}'")
    assert info == [(2,)]
