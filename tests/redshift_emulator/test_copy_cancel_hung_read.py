"""A client's cancel stops a COPY at once even while the emulator waits on an S3 read that
hangs (the listing, the first file, a later file): the statement fails with 57014, its
transaction is rolled back and its table locks released while the read is still held, and the
session goes on. Before, the COPY went on until the read returned (minutes, with the S3 retry
settings), holding its locks, so a new load of the table waited for it.

The emulator here reads S3 through a relay that holds the GETs the test names until it
releases them (tests/fixtures/slow_s3.py).
"""

import threading
import time
import uuid
from collections.abc import Iterator

import numpy as np
import psycopg2
import psycopg2.errors
import pyarrow as pa
import pytest

from tests.fixtures.redshift import RedshiftEmulator, running_redshift_emulator
from tests.fixtures.s3 import S3Server
from tests.fixtures.slow_s3 import behind_held_s3
from tests.redshift_emulator.copy_helpers import Stage

ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwsim'"
HOLD_S = 120.0  # a held GET lasts this long unless released
CANCEL_AFTER_S = 1.0  # the COPY is waiting on its held read by then
STOPPED_WITHIN_S = 3.0  # from the cancel to the COPY's error
# the GETs of the files under a hang/ folder, and of anything under a held-listing/ prefix
# (its listing, which names the prefix, first)
HELD = ("hang/", "held-listing")
RELEASE = threading.Event()


@pytest.fixture(scope="module")
def emulator(postgres_url: str, s3_server: S3Server) -> Iterator[RedshiftEmulator]:
    def start(relay: S3Server):
        return running_redshift_emulator(postgres_url, relay)

    with behind_held_s3(s3_server, HELD, HOLD_S, RELEASE, start) as running:
        yield running


@pytest.fixture
def schema(emulator: RedshiftEmulator) -> Iterator[str]:
    name = f"h_{uuid.uuid4().hex[:10]}"
    with psycopg2.connect(emulator.dsn) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE SCHEMA {name}")
        cur.execute(f"CREATE TABLE {name}.orders (id bigint, note varchar(8))")
    yield name
    RELEASE.set()  # no read left held by this test
    with psycopg2.connect(emulator.dsn) as conn, conn.cursor() as cur:
        cur.execute(f"DROP SCHEMA {name} CASCADE")


def _ids(start: int, n: int) -> pa.Table:
    return pa.table({"id": pa.array(np.arange(start, start + n), pa.int64()), "note": ["ok"] * n})


@pytest.mark.parametrize(
    ("source", "folder", "files", "fmt"),
    [
        ("listing", "held-listing/", {"open/": 3}, "PARQUET"),
        ("first file", "data/", {"hang/": 3}, "PARQUET"),  # read first, to count its columns
        ("later file", "data/", {"open/": 2, "hang/": 1}, "PARQUET"),  # read ahead on a thread
        ("later csv file", "data/", {"open/": 2, "hang/": 1}, "CSV"),  # decoded as it streams
    ],
)
def test_cancel_stops_a_copy_waiting_on_a_hung_s3_read_and_releases_its_locks(
    emulator: RedshiftEmulator,
    schema: str,
    s3_server: S3Server,
    s3_bucket: str,
    source: str,
    folder: str,
    files: dict[str, int],
    fmt: str,
) -> None:
    RELEASE.clear()
    stage = Stage(s3_server, s3_bucket)
    prefix = f"{schema}/{folder}"
    number = 0
    for sub, count in files.items():
        for _ in range(count):
            name = f"{prefix}{number}-{sub}part"
            if fmt == "CSV":
                stage.put(f"{name}.csv", "".join(f"{number * 10 + i},ok\n" for i in range(10)))
            else:
                stage.put_parquet(f"{name}.parquet", _ids(number * 10, 10))
            number += 1
    url = stage.url(prefix)
    conn = psycopg2.connect(emulator.dsn)
    conn.autocommit = True  # the COPY runs in the emulator's own transaction
    other = psycopg2.connect(emulator.dsn)
    try:
        timer = threading.Timer(CANCEL_AFTER_S, conn.cancel)
        started = time.monotonic()
        timer.start()
        with conn.cursor() as cur, pytest.raises(psycopg2.errors.QueryCanceled):
            cur.execute(f"COPY {schema}.orders FROM '{url}' {ROLE} FORMAT AS {fmt}")
        took = time.monotonic() - started
        timer.join()
        assert CANCEL_AFTER_S <= took < CANCEL_AFTER_S + STOPPED_WITHIN_S, took
        assert not RELEASE.is_set()  # the read is still held
        with other.cursor() as cur:  # the COPY's transaction is over: its lock is free
            cur.execute("SET lock_timeout = '2s'")
            cur.execute(f"LOCK TABLE {schema}.orders IN ACCESS EXCLUSIVE MODE")
            cur.execute(f"SELECT count(*) FROM {schema}.orders")
            assert cur.fetchone() == (0,)
        other.rollback()
        with conn.cursor() as cur:  # and its session goes on
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
    finally:
        RELEASE.set()
        conn.close()
        other.close()
