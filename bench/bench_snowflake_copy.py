"""Snowflake emulator COPY INTO throughput: staged Parquet on S3 -> the emulator's DuckDB.

Stages N rows x 8 columns of Parquet (~10 files) on a moto S3 server started here on a free
port, starts the emulator (``dwsim snowflake-emulator``) on a free port with a fresh data dir,
and times ``COPY INTO t FROM 's3://...' FILE_FORMAT=(TYPE=PARQUET) MATCH_BY_COLUMN_NAME=...``
through snowflake-connector-python. Baseline measured in the same run through the same
connector: row inserts (``executemany``) of the same columns.

    .venv/bin/python bench/bench_snowflake_copy.py [--rows 10000000] [--files 10]
        [--baseline-rows 20000]
"""

import argparse
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import snowflake.connector

DDL = (
    "CREATE OR REPLACE TABLE {name} (order_id BIGINT, customer_id INTEGER, quantity SMALLINT, "
    "price DOUBLE, amount NUMBER(12,2), order_date DATE, created_at TIMESTAMP_NTZ, "
    "status VARCHAR(16))"
)
STATUSES = np.array(["pending", "shipped", "delivered", "cancelled", "returned", "on_hold"])
BUCKET = "dwsim-bench"


def make_chunk(start: int, n: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    cents = rng.integers(100, 10_000_000, n)
    return pa.table(
        {
            "order_id": np.arange(start, start + n, dtype=np.int64),
            "customer_id": rng.integers(1, 2_000_000, n, dtype=np.int32),
            "quantity": rng.integers(1, 100, n, dtype=np.int16),
            "price": np.round(rng.uniform(0.5, 5000.0, n), 2),
            "amount": _decimal(cents, 12, 2),
            "order_date": pa.array(rng.integers(17_000, 20_000, n).astype(np.int32), pa.date32()),
            "created_at": pa.array(rng.integers(1.4e15, 1.7e15, n), pa.timestamp("us")),
            "status": pa.array(STATUSES[rng.integers(0, len(STATUSES), n)]),
        }
    )


def _decimal(unscaled: np.ndarray, precision: int, scale: int) -> pa.Array:
    """decimal128 from non-negative unscaled int64 values, without per-row Python."""
    words = np.zeros((len(unscaled), 2), np.uint64)
    words[:, 0] = unscaled
    return pa.Array.from_buffers(
        pa.decimal128(precision, scale), len(unscaled), [None, pa.py_buffer(words)]
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered on port {port} within {timeout}s")


@contextmanager
def server(args: list[str], port: int, env: dict[str, str]) -> Iterator[None]:
    proc = subprocess.Popen(
        args,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(port, proc)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def stage(endpoint: str, rows: int, files: int) -> tuple[str, int]:
    """Write the Parquet files; returns (s3 prefix, bytes staged)."""
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    s3.create_bucket(Bucket=BUCKET)
    per_file, total = -(-rows // files), 0
    for i in range(files):
        start = i * per_file
        n = min(per_file, rows - start)
        buf = io.BytesIO()
        pq.write_table(make_chunk(start, n, seed=i), buf)
        s3.put_object(Bucket=BUCKET, Key=f"orders/part-{i:05d}.parquet", Body=buf.getvalue())
        total += buf.tell()
    return f"s3://{BUCKET}/orders/", total


def copy_into(conn, prefix: str) -> tuple[float, int]:
    cur = conn.cursor()
    cur.execute(DDL.format(name="orders"))
    started = time.perf_counter()
    cur.execute(
        f"COPY INTO orders FROM '{prefix}' CREDENTIALS=(AWS_KEY_ID='test' AWS_SECRET_KEY='test') "
        "FILE_FORMAT=(TYPE=PARQUET) MATCH_BY_COLUMN_NAME=CASE_INSENSITIVE"
    )
    results = cur.fetchall()
    elapsed = time.perf_counter() - started
    loaded = sum(r[3] for r in results)
    (count,) = cur.execute("SELECT count(*) FROM orders").fetchone()
    assert loaded == count, (loaded, count)
    return elapsed, count


def row_inserts(conn, rows: int) -> float:
    cur = conn.cursor()
    cur.execute(DDL.format(name="orders_inserted"))
    table = make_chunk(0, rows, seed=99)
    values = list(
        zip(*(table.column(i).to_pylist() for i in range(table.num_columns)), strict=True)
    )
    started = time.perf_counter()
    cur.executemany("INSERT INTO orders_inserted VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", values)
    elapsed = time.perf_counter() - started
    (count,) = cur.execute("SELECT count(*) FROM orders_inserted").fetchone()
    assert count == rows, (count, rows)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    args = parser.parse_args()

    bin_dir = Path(sys.executable).parent
    s3_port, sf_port = free_port(), free_port()
    endpoint = f"http://127.0.0.1:{s3_port}"
    data_dir = Path(tempfile.mkdtemp(prefix="dwsim-bench-sf-"))
    try:
        with server(
            [str(bin_dir / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)], s3_port, {}
        ):
            started = time.perf_counter()
            prefix, size = stage(endpoint, args.rows, args.files)
            print(
                f"staged {args.rows:,} rows x 8 columns in {args.files} Parquet files "
                f"({size / 2**20:.0f} MiB) in {time.perf_counter() - started:.1f}s"
            )
            emulator = [
                str(bin_dir / "dwsim"), "snowflake-emulator", "--port", str(sf_port),
                "--data-dir", str(data_dir), "--s3-endpoint", endpoint,
            ]  # fmt: skip
            with server(emulator, sf_port, {"DWSIM_S3_ENDPOINT_URL": endpoint}):
                conn = snowflake.connector.connect(
                    host="127.0.0.1",
                    port=sf_port,
                    protocol="http",
                    account="bench",
                    user="bench",
                    password="bench",
                    database=f"BENCH_{uuid.uuid4().hex[:6].upper()}",
                    schema="PUBLIC",
                    network_timeout=600,
                    session_parameters={"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False},
                )
                copy_s, count = copy_into(conn, prefix)
                insert_s = row_inserts(conn, args.baseline_rows)
                conn.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    copy_rate = count / copy_s
    insert_rate = args.baseline_rows / insert_s
    print(f"COPY INTO:   {count:>12,} rows in {copy_s:7.2f}s = {copy_rate:>12,.0f} rows/s")
    print(
        f"row inserts: {args.baseline_rows:>12,} rows in {insert_s:7.2f}s = "
        f"{insert_rate:>12,.0f} rows/s (executemany, same connector)"
    )
    print(
        f"ratio: COPY INTO is {copy_rate / insert_rate:,.0f}x row inserts (target 2,000,000 rows/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
