"""Customers reference table: engine rows/s on one core, end to end with the Parquet write,
against a per-row Faker baseline of the same table measured in the same run.

    .venv/bin/python bench/bench_generate.py [--rows 4000000] [--baseline-rows 10000] [--rounds 3]

Engine and baseline alternate for a few rounds and the best round of each counts, so a burst of
load from other work on the machine hurts neither side more; CPU seconds are printed as well.
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from faker import Faker

from dwsim_generator.engine import plan_run, pools
from dwsim_generator.engine.parallel import RunRequest, run_chunks
from dwsim_generator.engine.writer import write_manifests
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment

SCHEMA = Path(__file__).with_name("customers.json")
COUNTRIES = ["US", "GB", "DE", "FR", "CA", "AU", "JP", "BR", "IN", "ES"]
WEIGHTS = [35, 12, 10, 8, 8, 6, 6, 6, 5, 4]


def engine(rows: int, out: Path) -> tuple[float, float, float]:
    """(end-to-end seconds including planning, seconds in chunks, CPU seconds end to end)."""
    pools._POOLS.clear()  # every round builds its Faker pools again, as a fresh process would
    pools._faker.cache_clear()
    pools.lorem_buffer.cache_clear()
    started, cpu = time.perf_counter(), time.process_time()
    experiment = Experiment.model_validate_json(SCHEMA.read_text())
    plan = plan_run(experiment, seed=42, rows={"customers": rows})
    request = RunRequest.for_plan(plan, out)
    parts = run_chunks(plan, request)
    write_manifests(out, RunLayout(experiment.name, "bench"), "dwsim", 42,
                    experiment.schema_hash(), plan.chunk_rows, {"customers": parts})  # fmt: skip
    chunks = sum(p.seconds for p in parts)
    return time.perf_counter() - started, chunks, time.process_time() - cpu


def faker_baseline(rows: int, out: Path) -> tuple[float, float]:
    """The same table the usual way: Faker per row into Python lists, then one Parquet file."""
    started, cpu = time.perf_counter(), time.process_time()
    fake = Faker("en_US")
    fake.seed_instance(42)
    rng = random.Random(42)
    columns: dict[str, list] = {k: [] for k in ("id", "first_name", "last_name", "email",
                                                "signup_date", "balance", "is_active", "country")}  # fmt: skip
    for i in range(rows):
        columns["id"].append(i + 1)
        columns["first_name"].append(fake.first_name())
        columns["last_name"].append(fake.last_name())
        columns["email"].append(fake.unique.email())
        columns["signup_date"].append(fake.date_between(date(2018, 1, 1), date(2025, 12, 31)))
        columns["balance"].append(round(min(max(rng.gauss(1000, 400), 0), 5000), 2))
        columns["is_active"].append(rng.random() < 0.8)
        columns["country"].append(rng.choices(COUNTRIES, WEIGHTS)[0])
    table = pa.table(columns)
    pq.write_table(table, out / "baseline.parquet", compression="snappy")
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--baseline-rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    base, runs = [], []
    for round_ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            base.append(faker_baseline(args.baseline_rows, Path(tmp)))
            runs.append(engine(args.rows, Path(tmp) / f"run{round_}"))
    base_seconds, base_cpu = min(base)
    total, chunks, cpu = min(runs)
    base_rate = args.baseline_rows / base_seconds
    e2e_rate, chunk_rate = args.rows / total, args.rows / chunks
    print(f"customers, one core, {args.rows:,} rows (chunks of 2^20, snappy Parquet), "
          f"best of {args.rounds} alternating rounds")  # fmt: skip
    print(f"  engine end to end (plan + pools + generate + write + manifest): {total:.2f} s, "
          f"{e2e_rate:,.0f} rows/s ({args.rows / cpu:,.0f} rows per CPU second)")  # fmt: skip
    print(f"  engine chunks only (generate + write):                          {chunks:.2f} s, "
          f"{chunk_rate:,.0f} rows/s")  # fmt: skip
    print(f"  baseline, Faker per row + Parquet, {args.baseline_rows:,} rows:            "
          f"{base_seconds:.2f} s, {base_rate:,.0f} rows/s "
          f"({args.baseline_rows / base_cpu:,.0f} rows per CPU second)")  # fmt: skip
    print(
        f"  ratio engine/baseline: {e2e_rate / base_rate:,.0f}x end to end "
        f"({chunk_rate / base_rate:,.0f}x on chunks); targets >= 2,000,000 rows/s and >= 300x"
    )
    ok = e2e_rate >= 2_000_000 and e2e_rate / base_rate >= 300
    print("  verdict:", "meets targets" if ok else "BELOW TARGET (see machine load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
