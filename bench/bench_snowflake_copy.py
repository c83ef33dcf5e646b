"""Snowflake emulator COPY INTO throughput: staged Parquet on S3 -> the emulator's DuckDB.

Stages N rows x 8 columns of Parquet (~10 files) on a moto S3 server started here on a free
port, starts the emulator (``dwsim snowflake-emulator``) on a free port with a fresh data dir,
and times ``COPY INTO t FROM 's3://...' FILE_FORMAT=(TYPE=PARQUET) MATCH_BY_COLUMN_NAME=...``
through snowflake-connector-python. Baselines measured in the same run: row inserts
(``executemany``) of the same columns through the same connector, and the ceiling: DuckDB in
this process inserting the same Parquet files from local disk into a new database file (one
INSERT over ``read_parquet([...])``, no S3, no emulator).

    .venv/bin/python bench/bench_snowflake_copy.py [--rows 10000000] [--files 10]
        [--baseline-rows 2000]
"""

import argparse
import io
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import snowflake.connector
from common import bin_path, free_port, make_chunk, moto_s3, s3_client, server

DDL = (
    "CREATE OR REPLACE TABLE {name} (order_id BIGINT, customer_id INTEGER, quantity SMALLINT, "
    "price DOUBLE, amount NUMBER(12,2), order_date DATE, created_at TIMESTAMP_NTZ, "
    "status VARCHAR(16))"
)
BUCKET = "dwsim-bench"


LOCAL_DDL = (
    "CREATE TABLE orders (order_id BIGINT, customer_id INTEGER, quantity SMALLINT, "
    "price DOUBLE, amount DECIMAL(12,2), order_date DATE, created_at TIMESTAMP, status VARCHAR)"
)


def stage(endpoint: str, rows: int, files: int, local: Path) -> tuple[str, int]:
    """Write the Parquet files to S3 and to ``local``; returns (s3 prefix, bytes staged)."""
    s3 = s3_client(endpoint)
    s3.create_bucket(Bucket=BUCKET)
    per_file, total = -(-rows // files), 0
    for i in range(files):
        start = i * per_file
        n = min(per_file, rows - start)
        buf = io.BytesIO()
        pq.write_table(make_chunk(start, n, seed=i), buf)
        s3.put_object(Bucket=BUCKET, Key=f"orders/part-{i:05d}.parquet", Body=buf.getvalue())
        (local / f"part-{i:05d}.parquet").write_bytes(buf.getvalue())
        total += buf.tell()
    return f"s3://{BUCKET}/orders/", total


def local_duckdb(files: Path, database: Path) -> tuple[float, int]:
    """The ceiling: DuckDB inserting the same files from local disk into a database file."""
    conn = duckdb.connect(str(database))
    conn.execute(LOCAL_DDL)
    paths = ", ".join(f"'{p}'" for p in sorted(files.glob("*.parquet")))
    started = time.perf_counter()
    conn.execute("BEGIN TRANSACTION")
    conn.execute(f"INSERT INTO orders BY NAME SELECT * FROM read_parquet([{paths}])")
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    (count,) = conn.execute("SELECT count(*) FROM orders").fetchone()
    conn.close()
    return elapsed, count


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
    parser.add_argument("--baseline-rows", type=int, default=2_000)
    args = parser.parse_args()

    sf_port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="dwsim-bench-sf-"))
    local = data_dir / "local"
    local.mkdir()
    try:
        with moto_s3() as endpoint:
            started = time.perf_counter()
            prefix, size = stage(endpoint, args.rows, args.files, local)
            print(
                f"staged {args.rows:,} rows x 8 columns in {args.files} Parquet files "
                f"({size / 2**20:.0f} MiB) in {time.perf_counter() - started:.1f}s",
                flush=True,
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
                copy_rate = count / copy_s
                print(
                    f"COPY INTO:   {count:>12,} rows in {copy_s:7.2f}s = {copy_rate:>12,.0f} rows/s",
                    flush=True,
                )
                insert_s = row_inserts(conn, args.baseline_rows)
                conn.close()
        local_s, local_count = local_duckdb(local, data_dir / "local.duckdb")
        assert local_count == count, (local_count, count)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    insert_rate = args.baseline_rows / insert_s
    print(
        f"row inserts: {args.baseline_rows:>12,} rows in {insert_s:7.2f}s = "
        f"{insert_rate:>12,.0f} rows/s (executemany, same connector)"
    )
    local_rate = count / local_s
    print(
        f"local DuckDB:{count:>12,} rows in {local_s:7.2f}s = {local_rate:>12,.0f} rows/s "
        "(same files from local disk, one INSERT, in this process)"
    )
    print(
        f"ratio: COPY INTO is {copy_rate / insert_rate:,.0f}x row inserts and "
        f"{copy_rate / local_rate:.2f}x local DuckDB (target 3,000,000 rows/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
