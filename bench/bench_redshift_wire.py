"""What the Redshift emulator's wire relay costs, against the same PostgreSQL queried directly.

Starts the emulator on a free port over a scratch database, then measures with psycopg2:
  1. latency: SELECT count(*) on a small table, median of many runs, emulator minus direct
     (target: under 2 ms added);
  2. streaming: a 1,000,000-row SELECT fetched whole, rows/s through the emulator as a share
     of rows/s direct (target: at least 80%); and the same rows as COPY TO STDOUT, where the
     client decodes nothing and the relay is most exposed.
Each figure is the best of several alternating runs, printed with its baseline and ratio.

    .venv/bin/python bench/bench_redshift_wire.py [--rows 1000000] [--postgres-url URL]
"""

import argparse
import io
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import psycopg2
from common import bin_path, free_port, fresh_database, server

ADMIN_URL = os.environ.get("DWSIM_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _latency(dsn: str, runs: int) -> float:
    """Median seconds of one SELECT count(*) round trip."""
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    cur = conn.cursor()
    for _ in range(50):
        cur.execute("SELECT count(*) FROM bench_small")
        cur.fetchone()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        cur.execute("SELECT count(*) FROM bench_small")
        cur.fetchone()
        times.append(time.perf_counter() - t)
    conn.close()
    return statistics.median(times)


def _stream_select(dsn: str, rows: int) -> float:
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    t = time.perf_counter()
    cur.execute("SELECT * FROM bench_rows")
    got = len(cur.fetchall())
    elapsed = time.perf_counter() - t
    conn.close()
    assert got == rows, (got, rows)
    return rows / elapsed


class _Sink(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        return len(b)


def _stream_copy(dsn: str, rows: int) -> float:
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    t = time.perf_counter()
    cur.copy_expert("COPY (SELECT * FROM bench_rows) TO STDOUT", _Sink())
    elapsed = time.perf_counter() - t
    conn.close()
    return rows / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--latency-runs", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--postgres-url", default=ADMIN_URL)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="dwsim-bench-"))
    try:
        with fresh_database(args.postgres_url) as url:
            _run(args, url, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, url: str, workdir: Path) -> None:
    setup = psycopg2.connect(url)
    setup.autocommit = True
    with setup.cursor() as cur:
        cur.execute("CREATE TABLE bench_small AS SELECT g AS id FROM generate_series(1, 1000) g")
        cur.execute(
            "CREATE TABLE bench_rows AS SELECT g AS id, g * 2 AS qty, 'customer-' || g AS name, "
            "(g % 997)::numeric(10, 2) AS amount, DATE '2024-01-01' + g % 365 AS day "
            f"FROM generate_series(1, {args.rows}) g"
        )
        cur.execute("VACUUM ANALYZE")
    setup.close()
    port = free_port()
    env = {
        "DWSIM_REDSHIFT_PORT": str(port),
        "DWSIM_POSTGRES_URL": url,
        "DWSIM_DATA_DIR": str(workdir / "data"),
        "DWSIM_REDSHIFT_LOG_LEVEL": "WARNING",
    }
    with server(
        [bin_path("dwsim"), "redshift-emulator"], port, env, workdir / "redshift.log", timeout=30
    ):
        direct = url
        dbname = url.rpartition("/")[2]
        emulated = f"host=127.0.0.1 port={port} dbname={dbname} user=bench sslmode=disable"

        lat_direct = min(_latency(direct, args.latency_runs) for _ in range(args.repeats))
        lat_emu = min(_latency(emulated, args.latency_runs) for _ in range(args.repeats))
        print(
            f"SELECT count(*) latency: direct {lat_direct * 1e3:.3f} ms, emulator "
            f"{lat_emu * 1e3:.3f} ms, added {(lat_emu - lat_direct) * 1e3:.3f} ms "
            f"(target < 2 ms), ratio {lat_emu / lat_direct:.2f}x"
        )
        for label, measure in (
            ("SELECT fetchall", _stream_select),
            ("COPY TO STDOUT", _stream_copy),
        ):
            rate_direct, rate_emu = 0.0, 0.0
            for _ in range(args.repeats):
                rate_direct = max(rate_direct, measure(direct, args.rows))
                rate_emu = max(rate_emu, measure(emulated, args.rows))
            print(
                f"{args.rows:,}-row {label}: direct {rate_direct:,.0f} rows/s, emulator "
                f"{rate_emu:,.0f} rows/s, ratio {rate_emu / rate_direct:.1%} (target >= 80%)"
            )


if __name__ == "__main__":
    main()
