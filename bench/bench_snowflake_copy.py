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
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pyarrow.parquet as pq
import snowflake.connector
from common import bin_path, free_port, make_chunk, moto_s3, s3_client, server

DDL = (
    "CREATE OR REPLACE TABLE {name} (order_id BIGINT, customer_id INTEGER, quantity SMALLINT, "
    "price DOUBLE, amount NUMBER(12,2), order_date DATE, created_at TIMESTAMP_NTZ, "
    "status VARCHAR(16))"
)
BUCKET = "dwsim-bench"


def stage(endpoint: str, rows: int, files: int) -> tuple[str, int]:
    """Write the Parquet files; returns (s3 prefix, bytes staged)."""
    s3 = s3_client(endpoint)
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

    sf_port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="dwsim-bench-sf-"))
    try:
        with moto_s3() as endpoint:
            started = time.perf_counter()
            prefix, size = stage(endpoint, args.rows, args.files)
            print(
                f"staged {args.rows:,} rows x 8 columns in {args.files} Parquet files "
                f"({size / 2**20:.0f} MiB) in {time.perf_counter() - started:.1f}s"
            )
            emulator = [
                bin_path("dwsim"), "snowflake-emulator", "--port", str(sf_port),
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
