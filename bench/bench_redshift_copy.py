"""Redshift emulator COPY throughput: Parquet (or CSV) on S3 -> PostgreSQL through the emulator.

Stages N rows x 8 columns of Parquet (~10 files) on a moto S3 server started here on a free
port, starts the emulator (``dwsim redshift-emulator``) on a free port over a fresh database,
and times ``COPY ... FROM 's3://...' FORMAT AS PARQUET`` through psycopg2. The baseline, in the
same run: PostgreSQL's own ``COPY FROM STDIN`` (binary) of the same rows (pre-encoded, untimed)
straight to the backend. The two alternate for ``--rounds`` rounds (direct first in odd rounds,
the emulator first in even ones), each into a new table after a CHECKPOINT, so a checkpoint or
another process's burst on this shared machine hits both alike; the best and median of each and
their ratios are printed, with the load average before and after. Row-by-row INSERT through the
same emulator connection is timed once, on a sample.

    .venv/bin/python bench/bench_redshift_copy.py [--rows 10000000] [--files 10] [--rounds 3]
        [--format csv]
"""

import argparse
import io
import os
import shutil
import statistics
import subprocess
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
    parser.add_argument("--rounds", type=int, default=3)
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
    load_before = _uptime()
    with fresh_database(admin_url) as db_url, moto_s3(workdir / "moto.log") as s3_endpoint:
        chunks = _stage(args, s3_endpoint)
        pgcopy = workdir / "orders.pgcopy"
        _encode_file(chunks, pgcopy)
        env = {
            "AWS_ENDPOINT_URL": s3_endpoint,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_DEFAULT_REGION": "us-east-1",
            "DWSIM_S3_ENDPOINT_URL": s3_endpoint,
            "DWSIM_REDSHIFT_HOST": "127.0.0.1",
            "DWSIM_REDSHIFT_PORT": str(rs_port),
            "DWSIM_POSTGRES_URL": db_url,
            "DWSIM_DATA_DIR": str(workdir),
            "DWSIM_REDSHIFT_LOG_LEVEL": "WARNING",
        }
        with server(
            [bin_path("dwsim"), "redshift-emulator"], rs_port, env, workdir / "redshift.log"
        ) as proc:
            conn = psycopg2.connect(
                host="127.0.0.1",
                port=rs_port,
                dbname="dev",
                user="dwsim",
                password="dwsim",
                sslmode="disable",
            )
            emulated, direct = [], []
            for r in range(1, args.rounds + 1):
                for which in ("direct", "emulator") if r % 2 else ("emulator", "direct"):
                    if which == "direct":
                        direct.append(_direct_copy(db_url, pgcopy, args.rows, f"direct_{r}"))
                    else:
                        emulated.append(_emulated_copy(conn, db_url, proc.pid, args, r))
                print(
                    f"round {r}: emulator {_show(emulated[-1])}   direct {_show(direct[-1])}   "
                    f"ratio {emulated[-1][0] / direct[-1][0]:.2f}",
                    flush=True,
                )
            insert_rate = _insert_rate(conn, chunks[0], args.insert_rows)
            conn.close()
    _report(args, emulated, direct, insert_rate, load_before)


def _stage(args: argparse.Namespace, s3_endpoint: str) -> list[pa.Table]:
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
        f"({staged_bytes / 2**20:.0f} MiB) in {time.perf_counter() - t0:.1f}s",
        flush=True,
    )
    return chunks


def _emulated_copy(conn, db_url: str, emulator_pid: int, args, r: int) -> tuple[float, ...]:
    """(rows/s, seconds, emulator CPU s, backend CPU s) of one COPY through the emulator."""
    table = f"orders_{r}"
    cur = conn.cursor()
    cur.execute(DDL.format(name=table))
    conn.commit()
    cur.execute("SELECT pg_backend_pid()")  # the emulator relays it: its backend's pid
    backend = cur.fetchone()[0]
    conn.commit()
    _checkpoint(db_url)
    cpu0 = _cpu(emulator_pid), _cpu(backend)
    t0 = time.perf_counter()
    cur.execute(
        f"COPY {table} FROM 's3://dwsim-bench/orders/' "
        "IAM_ROLE 'arn:aws:iam::123456789012:role/bench' FORMAT AS " + args.format.upper()
    )
    conn.commit()
    elapsed = time.perf_counter() - t0
    cpu = _cpu(emulator_pid) - cpu0[0], _cpu(backend) - cpu0[1]
    cur.execute(f"SELECT count(*) FROM {table}")
    assert cur.fetchone()[0] == args.rows, "COPY loaded the wrong number of rows"
    cur.execute(f"DROP TABLE {table}")
    conn.commit()
    return args.rows / elapsed, elapsed, *cpu


def _direct_copy(db_url: str, path: Path, rows: int, table: str) -> tuple[float, ...]:
    """PostgreSQL's own COPY FROM STDIN of the pre-encoded file, straight to the backend."""
    conn = psycopg2.connect(db_url)
    cur = conn.cursor()
    cur.execute(DDL.format(name=table))
    cur.execute("SELECT pg_backend_pid()")
    backend = cur.fetchone()[0]
    conn.commit()
    _checkpoint(db_url)
    cpu0 = _cpu(backend)
    t0 = time.perf_counter()
    with open(path, "rb") as data:
        cur.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT binary)", data, size=1 << 20)
    conn.commit()
    elapsed = time.perf_counter() - t0
    cpu = _cpu(backend) - cpu0
    cur.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    return rows / elapsed, elapsed, float("nan"), cpu


def _insert_rate(conn, chunk: pa.Table, n: int) -> float:
    cur = conn.cursor()
    cur.execute(DDL.format(name="orders_insert"))
    conn.commit()
    sample = chunk.slice(0, n).to_pylist()
    t0 = time.perf_counter()
    for row in sample:
        cur.execute(
            "INSERT INTO orders_insert VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            tuple(row.values()),
        )
    conn.commit()
    return len(sample) / (time.perf_counter() - t0)


def _report(args, emulated, direct, insert_rate: float, load_before: str) -> None:
    em = [e[0] for e in emulated]
    di = [d[0] for d in direct]
    label = f"COPY through the emulator ({args.format} on S3):"
    print(f"{label:<46}best {max(em):>10,.0f} rows/s   median {statistics.median(em):>10,.0f}")
    print(
        f"{'PostgreSQL COPY FROM STDIN binary, direct:':<46}best {max(di):>10,.0f} rows/s   "
        f"median {statistics.median(di):>10,.0f}   (the baseline, same run)"
    )
    print(
        f"ratio emulator / PostgreSQL's own COPY: best {max(em) / max(di):.2f}, "
        f"median {statistics.median(em) / statistics.median(di):.2f}  (target >= 0.8)"
    )
    print(
        f"row-by-row INSERT, same connection: {insert_rate:,.0f} rows/s ({args.insert_rows:,} "
        f"rows); COPY / INSERT: {statistics.median(em) / insert_rate:.0f}x (target >= 20x)"
    )
    print(f"uptime before: {load_before}\nuptime after:  {_uptime()}")


def _show(run: tuple[float, ...]) -> str:
    rate, secs, emulator_cpu, backend_cpu = run
    cpu = "" if emulator_cpu != emulator_cpu else f"emulator CPU {emulator_cpu:.1f}s, "
    return f"{rate:>10,.0f} rows/s ({secs:.1f}s; {cpu}backend CPU {backend_cpu:.1f}s)"


def _checkpoint(db_url: str) -> None:
    """Start each timed load with no dirty pages left by the one before."""
    conn = psycopg2.connect(db_url)
    conn.autocommit = True
    conn.cursor().execute("CHECKPOINT")
    conn.close()


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a local process has used so far (nan if not readable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


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


if __name__ == "__main__":
    main()
