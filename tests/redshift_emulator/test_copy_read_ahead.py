"""Parquet files are fetched and decoded ahead on a thread while the engine encodes and the
server writes: the load must still see every file's rows in order, fail on the first bad file
or row in file order, and stop when cancelled (real PostgreSQL, moto S3, the server)."""

import threading
import time
import uuid

import numpy as np
import psycopg2
import pyarrow as pa
import pytest

from dwsim_redshift.copy import CopyError, columnar, run_copy
from tests.fixtures.redshift import RedshiftEmulator
from tests.redshift_emulator.copy_helpers import load_errors

ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwsim'"


def _ids(start: int, n: int, note: str = "ok") -> pa.Table:
    return pa.table({"id": pa.array(np.arange(start, start + n), pa.int64()), "note": [note] * n})


def test_many_files_of_many_batches_load_every_row_once(monkeypatch, session, stage, rs_settings):
    monkeypatch.setattr(columnar, "BATCH_ROWS", 7)  # many batches per file, queued across files
    session.execute("CREATE TABLE t (id bigint NOT NULL, note varchar(8))")
    urls = [stage.put_parquet(f"p/{i}.parquet", _ids(i * 50, 50)) for i in range(6)]
    result = run_copy(f"COPY t FROM '{stage.url('p/')}' FORMAT AS PARQUET", session, rs_settings)
    assert (result.rows, result.files) == (300, 6)
    assert session.execute("SELECT count(DISTINCT id), min(id), max(id) FROM t") == [(300, 0, 299)]
    commits = session.execute(
        "SELECT rtrim(filename), lines_scanned FROM dwsim_rs.stl_load_commits "
        f"WHERE query = {result.query_id} ORDER BY filename"
    )
    assert commits == [(url, 50) for url in urls]


def test_a_bad_row_before_a_broken_file_is_the_error(monkeypatch, session, stage, rs_settings):
    monkeypatch.setattr(columnar, "BATCH_ROWS", 7)
    session.execute("CREATE TABLE t (id bigint NOT NULL, note varchar(8))")
    stage.put_parquet("p/1.parquet", _ids(0, 20))
    bad = stage.put_parquet("p/2.parquet", _ids(20, 20, note="too long a note"))
    stage.put("p/3.parquet", b"not parquet at all")  # decoded ahead: must not be the error
    with pytest.raises(CopyError, match="Load into table 't' failed"):
        run_copy(f"COPY t FROM '{stage.url('p/')}' FORMAT AS PARQUET", session, rs_settings)
    err = load_errors(session, "t")[0]
    assert (err["filename"], err["line"], err["column"]) == (bad, 1, "note")
    assert session.execute("SELECT count(*) FROM t") == [(0,)]


def test_a_broken_file_after_good_ones_fails_the_whole_load(session, stage, rs_settings):
    session.execute("CREATE TABLE t (id bigint, note varchar(8))")
    stage.put_parquet("p/1.parquet", _ids(0, 20))
    broken = stage.put("p/2.parquet", b"not parquet at all")
    stage.put_parquet("p/3.parquet", _ids(40, 20))
    with pytest.raises(CopyError, match=f"File '{broken}' is not a valid Parquet file"):
        run_copy(f"COPY t FROM '{stage.url('p/')}' FORMAT AS PARQUET", session, rs_settings)
    assert session.execute("SELECT count(*) FROM t") == [(0,)]


@pytest.fixture
def conn(redshift_emulator: RedshiftEmulator):
    connection = psycopg2.connect(redshift_emulator.dsn)
    schema = f"c_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cur:
        cur.execute(f"CREATE SCHEMA {schema}")
        cur.execute(f"SET search_path TO {schema}")
        cur.execute("CREATE TABLE orders (id bigint, note varchar(8))")
    connection.commit()
    yield connection
    connection.rollback()
    with connection.cursor() as cur:
        cur.execute(f"DROP SCHEMA {schema} CASCADE")
    connection.commit()
    connection.close()


def test_a_load_of_many_chunks_through_the_server_keeps_every_row(conn, stage):
    for i in range(3):  # 150,000 rows a file: two batches each, each its own CopyData
        stage.put_parquet(f"big/{i}.parquet", _ids(i * 150_000, 150_000))
    with conn.cursor() as cur:
        cur.execute(f"COPY orders FROM '{stage.url('big/')}' {ROLE} FORMAT AS PARQUET")
        assert cur.rowcount == 450_000
        cur.execute("SELECT count(DISTINCT id), sum(id), count(note) FROM orders")
        assert cur.fetchone() == (450_000, 450_000 * 449_999 // 2, 450_000)
    conn.commit()


def test_cancel_stops_a_running_parquet_copy(conn, stage):
    for i in range(20):
        stage.put_parquet(f"big/{i}.parquet", _ids(i * 200_000, 200_000))
    timer = threading.Timer(0.3, conn.cancel)
    timer.start()
    started = time.monotonic()
    with conn.cursor() as cur, pytest.raises(psycopg2.errors.QueryCanceled):
        cur.execute(f"COPY orders FROM '{stage.url('big/')}' {ROLE} FORMAT AS PARQUET")
    timer.join()
    assert time.monotonic() - started < 10
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM orders")
        assert cur.fetchone() == (0,)
