"""A COPY INTO aborted while it waits for its next file from S3 stops then, with Snowflake's 604,
as Snowflake stops a COPY whenever the abort request comes; the table is as it was.

The emulator reads S3 through a relay that holds every GET of a part for ``DELAY_S``: the COPY
spends nearly all its time outside DuckDB, where DuckDB's own interrupt is dropped. A second
relay holds chosen GETs until the test releases them: a read that hangs (the listing, or a
file's footer and download) does not delay the abort either.
"""

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.s3 import S3Server
from tests.fixtures.slow_s3 import behind_held_s3, slow_s3
from tests.fixtures.snowflake import SnowflakeEmulator, running_snowflake_emulator
from tests.snowflake_emulator.staging import (
    CREDENTIALS,
    CUSTOMERS_DDL,
    PARQUET,
    customers,
    put_parquet,
)

FILES = 24
DELAY_S = 1.0  # per file: the COPY needs >= FILES x DELAY_S / 4 (four downloads at a time)
TIMEOUT_S = 2  # the connector sends the abort request when it passes


@pytest.fixture(scope="module")
def slow_emulator(s3_server: S3Server, tmp_path_factory) -> Iterator[SnowflakeEmulator]:
    data_dir: Path = tmp_path_factory.mktemp("snowflake_abort")
    with (
        slow_s3(s3_server, ("/part-",), DELAY_S) as relay,
        running_snowflake_emulator(data_dir, relay) as emulator,
    ):
        yield emulator


def test_an_abort_stops_a_copy_waiting_on_s3(slow_emulator, s3_server, s3_bucket) -> None:
    from snowflake.connector.errors import ProgrammingError

    for i in range(FILES):
        put_parquet(s3_server, s3_bucket, f"load/part-{i:05d}.parquet", customers(i * 10, 10))
    conn = slow_emulator.connect(database="ABORT_DB", schema="PUBLIC")
    try:
        cur = conn.cursor()
        cur.execute("CREATE DATABASE IF NOT EXISTS ABORT_DB")
        cur.execute("USE SCHEMA ABORT_DB.PUBLIC")
        cur.execute(CUSTOMERS_DDL)
        copy = f"COPY INTO customers FROM 's3://{s3_bucket}/load/' {CREDENTIALS} {PARQUET}"
        with pytest.raises(ProgrammingError) as stopped:
            cur.execute(copy, timeout=TIMEOUT_S)
        assert stopped.value.errno == 604  # SQL execution canceled, not a late success
        assert cur.execute("SELECT COUNT(*) FROM customers").fetchone() == (0,)
        cur.execute(f"COPY INTO customers FROM 's3://{s3_bucket}/load/' {CREDENTIALS} {PARQUET}")
        assert cur.execute("SELECT COUNT(*) FROM customers").fetchone() == (FILES * 10,)
    finally:
        conn.close()


HOLD_S = 120.0  # a held GET lasts this long unless released
# the GETs of files under hang/, and of anything under held-listing/ (its listing first)
HELD = ("hang/", "held-listing")
RELEASE = threading.Event()


@pytest.fixture(scope="module")
def hung_emulator(s3_server: S3Server, tmp_path_factory) -> Iterator[SnowflakeEmulator]:
    data_dir: Path = tmp_path_factory.mktemp("snowflake_hung")

    def start(relay: S3Server):
        return running_snowflake_emulator(data_dir, relay)

    with behind_held_s3(s3_server, HELD, HOLD_S, RELEASE, start) as emulator:
        yield emulator


@pytest.mark.parametrize("held", ["listing", "file"])
def test_an_abort_stops_a_copy_whose_s3_read_hangs(
    hung_emulator, s3_server, s3_bucket, held: str
) -> None:
    from snowflake.connector.errors import ProgrammingError

    RELEASE.clear()
    folder = "hang/" if held == "file" else "held-listing/"
    put_parquet(s3_server, s3_bucket, f"{folder}part-00000.parquet", customers(0, 10))
    conn = hung_emulator.connect(database="HUNG_DB", schema="PUBLIC")
    try:
        cur = conn.cursor()
        cur.execute("CREATE DATABASE IF NOT EXISTS HUNG_DB")
        cur.execute("USE SCHEMA HUNG_DB.PUBLIC")
        cur.execute(CUSTOMERS_DDL.replace("customers", "customers_" + held))
        copy = (
            f"COPY INTO customers_{held} FROM 's3://{s3_bucket}/{folder}' {CREDENTIALS} {PARQUET}"
        )
        started = time.monotonic()
        with pytest.raises(ProgrammingError) as stopped:
            cur.execute(copy, timeout=TIMEOUT_S)
        took = time.monotonic() - started
        assert stopped.value.errno == 604
        assert took < TIMEOUT_S + 3, took  # the abort, not the read's end (HOLD_S)
        assert not RELEASE.is_set()  # the read is still held
        assert cur.execute(f"SELECT COUNT(*) FROM customers_{held}").fetchone() == (0,)
    finally:
        RELEASE.set()
        conn.close()
