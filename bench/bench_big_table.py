"""One very large table through the whole suite into the Redshift emulator: TPC-H-shaped data
scaled until ``lineitem`` holds ``--rows`` rows (100,000,000 by default; the other tables
grow with it, as at that TPC-H scale factor), generated, staged to S3 and loaded with COPY by
one generate job with auto-load, through the HTTP API.

    .venv/bin/python bench/bench_big_table.py [--rows 100000000] [--small 10000000]
                                              [--workers 2] [--warehouse redshift]

It prints the time of each stage of the job (plan, generate, stage, load) and the peak RSS and
CPU seconds of every process of the stack (the PostgreSQL backends of its database included),
sampled every 0.25 s, first for a run of ``--small`` lineitem rows and then for ``--rows``, so
that memory bounded by the chunk, not by the table, shows as a ratio near 1. After each run the
warehouse's row count of every table is checked against the rows requested (through the
query API), and the staged bytes and the database's size are printed. The stack runs as in
``bench_suite.py`` (``dwsim up --detach`` on free ports, a fresh PostgreSQL database, the
generator worker at ``-c --workers``). Figures are printed, not asserted; the exit code is
non-zero only if a job failed or a count was wrong.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import httpx
import psycopg2
from bench_suite import SCHEMA, create_experiment, drop_experiment, staged_parts, suite_run
from common import DwsimStack, ProcessSampler, fresh_database
from suite_report import STAGES, label

from dwsim_generator.engine import DEFAULT_CHUNK_ROWS
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.s3 import s3_client

FIXED_TABLES = ("region", "nation")


def scaled_rows(experiment: Experiment, lineitem: int) -> dict[str, int]:
    """Every table at the TPC-H scale factor whose lineitem has ``lineitem`` rows."""
    sf1 = {t.name: t.target_rows for t in experiment.tables}
    factor = lineitem / sf1["lineitem"]
    return {n: r if n in FIXED_TABLES else max(round(r * factor), 1) for n, r in sf1.items()}


def warehouse_counts(client: httpx.Client, name: str, tables: list[str]) -> dict[str, int]:
    sql = " union all ".join(f"select '{t}' as t, count(*) as n from {t}" for t in tables)
    response = client.post(f"/api/experiments/{name}/query", json={"sql": sql, "timeout_s": 3600})
    response.raise_for_status()
    return {t: int(n) for t, n in response.json()["rows"]}


def database_bytes(url: str) -> int:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("select pg_database_size(current_database())")
        return cur.fetchone()[0]


def one_run(stack: DwsimStack, client: httpx.Client, args, lineitem: int) -> dict:
    shape = Experiment.model_validate_json(SCHEMA.read_text())
    rows = scaled_rows(shape, lineitem)
    name = f"big_{lineitem // 1_000_000}m"
    create_experiment(client, name, args.warehouse)
    dbname = stack.env["DWSIM_POSTGRES_URL"].rpartition("/")[2]
    started = time.perf_counter()
    with ProcessSampler([stack.supervisor_pid, os.getpid()], f" {dbname} ") as sampler:
        timed = suite_run(client, name, rows, True, args.chunk_rows, args.poll)
    print(f"  {sum(rows.values()):,} rows ({lineitem:,} in lineitem): job {timed.wall:.1f} s, "
          f"measured here {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
    parts = staged_parts(s3_client(stack.settings), stack.settings.s3_bucket, name, timed.run_id)
    staged = sum(head["ContentLength"] for head in _heads(stack, name, timed.run_id, parts))
    counts = warehouse_counts(client, name, list(rows))
    db_bytes = database_bytes(stack.env["DWSIM_POSTGRES_URL"])
    drop_experiment(client, name)
    wrong = {t: (counts.get(t), n) for t, n in rows.items() if counts.get(t) != n}
    procs: dict[str, tuple[int, float, int]] = {}
    for proc in sampler.procs.values():
        who = label(proc, sampler.procs)
        peak, cpu, count = procs.get(who, (0, 0.0, 0))
        procs[who] = (max(peak, proc["peak"]), cpu + proc["cpu"], count + 1)
    return {"rows": rows, "timed": timed, "procs": procs, "wrong": wrong, "parts": len(parts),
            "staged": staged, "db_bytes": db_bytes, "busy": sampler.busy}  # fmt: skip


def _heads(stack: DwsimStack, name: str, run_id: str, parts: dict[str, str]):
    from dwsim_shared.contracts.s3layout import RunLayout

    s3, prefix = s3_client(stack.settings), RunLayout(name, run_id).prefix
    for key in parts:
        yield s3.head_object(Bucket=stack.settings.s3_bucket, Key=prefix + key)


def report(runs: list[dict]) -> None:
    print("\nstages of the generate job (seconds; generate = parts made and uploaded to S3)")
    print(f"  {'lineitem rows':>15} {'all rows':>13}" + "".join(f"{s:>10}" for s in STAGES)
          + f"{'job':>10}{'rows/s':>12}{'staged':>11}{'database':>11}")  # fmt: skip
    for run in runs:
        timed, total = run["timed"], sum(run["rows"].values())
        cells = "".join(f"{timed.stages.get(s, 0.0):>10.1f}" for s in STAGES)
        print(f"  {run['rows']['lineitem']:>15,} {total:>13,}{cells}{timed.wall:>10.1f}"
              f"{total / timed.wall:>12,.0f}{run['staged'] / 2**30:>8.2f} GiB"
              f"{run['db_bytes'] / 2**30:>8.2f} GiB")  # fmt: skip
    print("\npeak RSS (MiB) and CPU seconds per process; N = processes of that name")
    names = sorted({n for run in runs for n in run["procs"]} - {"bench_suite.py sampler"})
    heads = "".join(f"{run['rows']['lineitem']:>26,}" for run in runs)
    print(f"  {'process':<38}{heads}   peak ratio")
    for name in names:
        cells, peaks = "", []
        for run in runs:
            peak, cpu, count = run["procs"].get(name, (0, 0.0, 0))
            peaks.append(peak)
            cells += f"{peak / 2**20:>9,.0f} MiB {cpu:>7.1f} s (N={count:>2})"
        ratio = f"{peaks[-1] / peaks[0]:.2f}x" if peaks[0] and peaks[-1] else "-"
        print(f"  {name:<38}{cells}   {ratio}")
    for run in runs:
        if run["wrong"]:
            print(f"ROW COUNTS WRONG at {run['rows']['lineitem']:,}: {run['wrong']}")
        else:
            print(f"row counts at {run['rows']['lineitem']:,} lineitem rows: every table "
                  f"holds exactly the rows requested ({run['parts']} parts staged)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--rows", type=int, default=100_000_000, help="lineitem rows")
    parser.add_argument("--small", type=int, default=10_000_000,
                        help="lineitem rows of the first, smaller run (0: none)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="generator worker -c")
    parser.add_argument("--warehouse", default="redshift")
    parser.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS)
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between job polls")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "DWSIM_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"bench_big_table: {os.cpu_count()} cores, load average {load[0]:.2f} at start; "
          f"free disk {_free_gib():.0f} GiB", flush=True)  # fmt: skip
    began, runs = time.perf_counter(), []
    with (
        fresh_database(args.postgres_url) as db_url,
        DwsimStack(db_url, without=("generator",)) as stack,
        httpx.Client(base_url=stack.url, timeout=3600) as client,
    ):
        stack.start_worker(args.workers)
        for lineitem in [n for n in (args.small, args.rows) if n]:
            runs.append(one_run(stack, client, args, lineitem))
    report(runs)
    print(f"\nwhole run {time.perf_counter() - began:.0f} s; load average at the end "
          f"{os.getloadavg()[0]:.2f}")  # fmt: skip
    return 1 if any(run["wrong"] for run in runs) else 0


def _free_gib() -> float:
    stat = os.statvfs(Path(__file__).parent)
    return stat.f_bavail * stat.f_frsize / 2**30


if __name__ == "__main__":
    sys.exit(main())
