"""Redshift emulator COPY throughput: Parquet (or CSV) on S3 -> PostgreSQL through the emulator.

Stages N rows x 8 columns of Parquet (~10 files) on a moto S3 server started here on a free
port, starts the emulator (``dwsim redshift-emulator``) on a free port over a fresh database,
and times ``COPY ... FROM 's3://...' FORMAT AS PARQUET`` through psycopg2. Baselines measured in
the same run: row-by-row INSERT through the same emulator connection, and PostgreSQL's own
``COPY FROM STDIN`` (binary) of the same rows straight to the backend (the ceiling; timed before
and after the emulator's load, the better of the two is used).

    .venv/bin/python bench/bench_redshift_copy.py [--rows 10000000] [--files 10] [--format csv]
"""

import argparse
import io
import os
import shutil
import tempfile
import time
from pathlib import Path

import psycopg2
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from common import bin_path, free_port, fresh_database, make_chunk, moto_s3, s3_client, server

DDL = (
    "CREATE TABLE {name} (order_id bigint, customer_id integer, quantity smallint, "
    "price double precision, amount numeric(12,2), order_date date, created_at timestamp, "
    "status varchar(16))"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--insert-rows", type=int, default=20_000)
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    args = parser.parse_args()
    admin_url = os.environ.get(
        "DWSIM_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    workdir = Path(tempfile.mkdtemp(prefix="dwsim-bench-"))
    try:
        _run(args, admin_url, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, admin_url: str, workdir: Path) -> None:
    rs_port = free_port()
    with fresh_database(admin_url) as db_url, moto_s3(workdir / "moto.log") as s3_endpoint:
        s3_env = {
            "AWS_ENDPOINT_URL": s3_endpoint,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_DEFAULT_REGION": "us-east-1",
            "DWSIM_S3_ENDPOINT_URL": s3_endpoint,
        }
        s3 = s3_client(s3_endpoint)
        s3.create_bucket(Bucket="dwsim-bench")
        per_file = -(-args.rows // args.files)
        chunks, staged_bytes = [], 0
        t0 = time.perf_counter()
        for i in range(args.files):
            n = min(per_file, args.rows - i * per_file)
            chunk = make_chunk(i * per_file, n, seed=i)
            chunks.append(chunk)
            sink = io.BytesIO()
            if args.format == "csv":
                pacsv.write_csv(chunk, sink, pacsv.WriteOptions(include_header=False))
            else:
                pq.write_table(chunk, sink)
            staged_bytes += sink.tell()
            s3.put_object(
                Bucket="dwsim-bench", Key=f"orders/part-{i:05d}.{args.format}", Body=sink.getvalue()
            )
        print(
            f"staged {args.rows:,} rows x 8 columns in {args.files} {args.format} files "
            f"({staged_bytes / 2**20:.0f} MiB) in {time.perf_counter() - t0:.1f}s"
        )

        pgcopy = workdir / "orders.pgcopy"
        _encode_file(chunks, pgcopy)
        ceiling_before = _postgres_copy(db_url, pgcopy, args.rows, "orders_ceiling_1")

        env = {
            **s3_env,
            "DWSIM_REDSHIFT_HOST": "127.0.0.1",
            "DWSIM_REDSHIFT_PORT": str(rs_port),
            "DWSIM_POSTGRES_URL": db_url,
            "DWSIM_DATA_DIR": str(workdir),
            "DWSIM_REDSHIFT_LOG_LEVEL": "WARNING",
        }
        with server(
            [bin_path("dwsim"), "redshift-emulator"], rs_port, env, workdir / "redshift.log"
        ):
            conn = psycopg2.connect(
                host="127.0.0.1",
                port=rs_port,
                dbname="dev",
                user="dwsim",
                password="dwsim",
                sslmode="disable",
            )
            cur = conn.cursor()
            cur.execute(DDL.format(name="orders"))
            conn.commit()
            t0 = time.perf_counter()
            cur.execute(
                "COPY orders FROM 's3://dwsim-bench/orders/' "
                "IAM_ROLE 'arn:aws:iam::123456789012:role/bench' FORMAT AS " + args.format.upper()
            )
            conn.commit()
            copy_s = time.perf_counter() - t0
            cur.execute("SELECT count(*) FROM orders")
            assert cur.fetchone()[0] == args.rows, "COPY loaded the wrong number of rows"
            copy_rate = args.rows / copy_s

            cur.execute(DDL.format(name="orders_insert"))
            conn.commit()
            sample = chunks[0].slice(0, args.insert_rows).to_pylist()
            t0 = time.perf_counter()
            for row in sample:
                cur.execute(
                    "INSERT INTO orders_insert VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    tuple(row.values()),
                )
            conn.commit()
            insert_rate = len(sample) / (time.perf_counter() - t0)
            conn.close()

        ceiling_after = _postgres_copy(db_url, pgcopy, args.rows, "orders_ceiling_2")
        ceiling_rate = max(ceiling_before, ceiling_after)
    label = f"COPY through the emulator ({args.format} on S3):"
    print(f"{label:<43}{copy_rate:>12,.0f} rows/s  ({copy_s:.1f}s)")
    print(
        f"row-by-row INSERT, same connection:        {insert_rate:>12,.0f} rows/s  "
        f"({args.insert_rows:,} rows)"
    )
    print(
        f"PostgreSQL COPY FROM STDIN binary, direct: {ceiling_rate:>12,.0f} rows/s  (ceiling, "
        f"best of a run before and after: {ceiling_before:,.0f} / {ceiling_after:,.0f})"
    )
    print(
        f"ratio COPY / INSERT: {copy_rate / insert_rate:.0f}x (target >= 20x); "
        f"COPY / PostgreSQL's own COPY: {copy_rate / ceiling_rate:.2f}"
    )


def _encode_file(chunks: list[pa.Table], path: Path) -> None:
    """The same rows as one binary COPY stream on local disk (untimed)."""
    from dwsim_redshift.copy.encode import HEADER, TRAILER, encode_batch
    from dwsim_redshift.copy.target import PgKind

    kinds = [PgKind.INT8, PgKind.INT4, PgKind.INT2, PgKind.FLOAT8, PgKind.NUMERIC, PgKind.DATE,
             PgKind.TIMESTAMP, PgKind.TEXT]  # fmt: skip
    with open(path, "wb") as out:
        out.write(HEADER)
        for chunk in chunks:
            for batch in chunk.to_batches(max_chunksize=131_072):
                out.write(encode_batch(list(batch.columns), kinds, [False] * 8))
        out.write(TRAILER)


def _postgres_copy(db_url: str, path: Path, rows: int, table: str) -> float:
    """PostgreSQL's own COPY FROM STDIN of the pre-encoded file, straight to the backend."""
    conn = psycopg2.connect(db_url)
    cur = conn.cursor()
    cur.execute(DDL.format(name=table))
    conn.commit()
    t0 = time.perf_counter()
    with open(path, "rb") as data:
        cur.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT binary)", data, size=1 << 20)
    conn.commit()
    elapsed = time.perf_counter() - t0
    conn.close()
    return rows / elapsed


if __name__ == "__main__":
    main()
