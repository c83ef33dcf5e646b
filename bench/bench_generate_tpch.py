"""TPC-H-shaped schema at SF1 row counts (8.66M rows over 8 tables): total rows/s with one
worker, then with two, measured in the same run (on 2 cores the ratio should be near 2x).

    .venv/bin/python bench/bench_generate_tpch.py [--scale 1.0] [--rounds 2]

One and two workers alternate for a few rounds; the best round of each counts.
"""

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from dwsim_generator.engine import fanout, plan_run, pools
from dwsim_generator.engine.parallel import RunRequest, WorkerPool, run_chunks
from dwsim_shared.contracts.schema import Experiment

SCHEMA = Path(__file__).with_name("tpch_sf1.json")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the worker processes)."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(scale: float, workers: int, out: Path) -> tuple[int, float, float]:
    pools._POOLS.clear()  # each run starts cold, as a fresh `dwsim generate` would
    pools._faker.cache_clear()
    fanout.fanout_ends.cache_clear()
    started, cpu = time.perf_counter(), _cpu()
    with WorkerPool(workers) as pool:  # as `dwsim generate` does: workers start, then planning
        experiment = Experiment.model_validate_json(SCHEMA.read_text())
        plan = plan_run(experiment, seed=1, scale=scale)
        parts = run_chunks(plan, RunRequest.for_plan(plan, out), pool)
    return sum(p.rows for p in parts), time.perf_counter() - started, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    ones, twos = [], []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            rows, *timing = run(args.scale, 1, Path(tmp) / "one")
            ones.append(timing)
        with tempfile.TemporaryDirectory() as tmp:
            twos.append(run(args.scale, 2, Path(tmp) / "two")[1:])
    (one, one_cpu), (two, two_cpu) = min(ones), min(twos)
    print(f"TPC-H-shaped schema (bench/tpch_sf1.json) at scale {args.scale}: {rows:,} rows, "
          "8 tables, wall clock including planning")  # fmt: skip
    print(f"  --workers 1: {one:6.2f} s, {rows / one:>12,.0f} rows/s ({one_cpu:.2f} CPU s)")
    print(f"  --workers 2: {two:6.2f} s, {rows / two:>12,.0f} rows/s ({two_cpu:.2f} CPU s)")
    print(f"  ratio 2 workers / 1 worker: {one / two:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
