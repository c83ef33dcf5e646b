"""A generator worker's chunks with the default allocators against freed memory kept
(generator-worker/src/dwsim_generator/engine/memory.py), in the same run.

    .venv/bin/python bench/bench_chunk_memory.py [--total 10000000] [--pause 0.3] [--rounds 3]

Each side is its own process: the TPC-H shape (bench/tpch_sf1.json) planned at ``--total``
rows, a small run first (a worker in use is warm), then 12 chunks of 2^20 rows made and
written to Parquet in memory, each followed by ``--pause`` seconds idle, as a worker is while
it uploads its part. Printed per side, best of the rounds by the chunks' time: that time, the
user and kernel CPU, the minor page faults and the peak RSS; then the ratio.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TASKS = [("lineitem", c) for c in range(7)] + [
    ("orders", 0), ("orders", 1), ("partsupp", 0), ("part", 0), ("customer", 0),
]  # fmt: skip


def _side(mode: str, total: int, pause: float) -> None:
    """In a child process: the chunks, then one JSON line of figures."""
    import pyarrow as pa

    pa.array([0])
    from bench_suite import SCHEMA, table_rows

    from dwsim_generator.engine import plan_run
    from dwsim_generator.engine.memory import reuse_freed_memory
    from dwsim_generator.engine.writer import part_bytes
    from dwsim_shared.contracts.schema import Experiment

    if mode == "kept":
        reuse_freed_memory()
    shape = Experiment.model_validate_json(SCHEMA.read_text())
    warm = plan_run(shape, seed=7, rows=table_rows(shape, 100_000))
    for table in warm.order:
        part_bytes(warm.generate_chunk(table, 0))
    plan = plan_run(shape, seed=1, rows=table_rows(shape, total))
    before, spent = resource.getrusage(resource.RUSAGE_SELF), 0.0
    for table, chunk in TASKS:
        started = time.perf_counter()
        body = part_bytes(plan.generate_chunk(table, chunk))
        spent += time.perf_counter() - started
        del body
        time.sleep(pause)
    after = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "seconds": spent, "user": after.ru_utime - before.ru_utime,
        "kernel": after.ru_stime - before.ru_stime, "faults": after.ru_minflt - before.ru_minflt,
        "rss": after.ru_maxrss * 1024, "pool": pa.default_memory_pool().backend_name,
    }))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--total", type=int, default=10_000_000)
    parser.add_argument("--pause", type=float, default=0.3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--side", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        _side(args.side, args.total, args.pause)
        return 0
    runs: dict[str, list[dict]] = {"default": [], "kept": []}
    for rnd in range(args.rounds):
        for mode in ("default", "kept") if rnd % 2 == 0 else ("kept", "default"):
            done = subprocess.run(
                [sys.executable, __file__, "--side", mode, "--total", str(args.total),
                 "--pause", str(args.pause)],
                capture_output=True, text=True, check=True, cwd=HERE,
            )  # fmt: skip
            runs[mode].append(json.loads(done.stdout.splitlines()[-1]))
    print(f"12 chunks of the TPC-H shape at {args.total:,} rows, {args.pause} s idle after each "
          f"(a worker uploading), best of {args.rounds} alternating rounds")  # fmt: skip
    best = {mode: min(r, key=lambda x: x["seconds"]) for mode, r in runs.items()}
    for mode, label in (("default", "default allocators"), ("kept", "freed memory kept")):
        b = best[mode]
        print(f"  {label:<19} ({b['pool']:<8}): chunks {b['seconds']:5.2f} s, user "
              f"{b['user']:5.2f} s, kernel {b['kernel']:5.2f} s, {b['faults']:>8,} page faults, "
              f"peak RSS {b['rss'] / 2**20:,.0f} MiB")  # fmt: skip
    ratio = best["default"]["seconds"] / best["kept"]["seconds"]
    print(f"  ratio default / kept: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
