"""The cost model's coefficients (rows/s per core and Parquet bytes per value of each column
kind), and how well they predict whole runs.

    .venv/bin/python bench/bench_cost_model.py [--rows 2000000] [--rounds 3] [--write]
    .venv/bin/python bench/bench_cost_model.py --check [--tpch-scale 1.5] [--shop-scale 200]

Coefficients: for each kind (``bench/cost_kinds.py``) a one-column table beside its key and the
same run without that column are generated to Parquet in this process (one core), alternating,
best of ``--rounds``; the kind's cost per value is the difference. ``--write`` stores them in
``shared/src/dwsim_shared/cost/coefficients.json``, which ``dwsim generate --dry-run`` and the
gateway's ``/estimate`` read. ``--check`` generates TPC-H (``bench/tpch_sf1.json``) and the
shop of ``tests/generator/shop_ddl.py`` on 1 and 2 processes and prints predicted / actual.
"""

import argparse
import json
import math
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from cost_kinds import SKEWED_PARENTS, many_tables, specs

from dwsim_generator.engine import fanout, plan_run, pools
from dwsim_generator.engine.parallel import RunRequest, WorkerPool, run_chunks
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.sizing import human_bytes, resolve_rows
from dwsim_shared.cost import predict as model
from dwsim_shared.cost.kinds import CostKind, text_length

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "shared/src/dwsim_shared/cost/coefficients.json"
FIXED_ROWS = 1000
PARTS = 16  # the base table in this many parts, to time a part's own cost
TABLES = 8  # tables of FIXED_ROWS, to time a table's own cost


def _cpu() -> float:
    """CPU seconds of this process and its finished children (forked workers): on a shared
    machine the work a run does, whatever else runs beside it."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def generate(experiment: Experiment, workers: int = 1, **sizing) -> tuple[float, float, dict]:
    """(wall seconds, CPU seconds, Parquet bytes per table) of a run as ``dwsim generate``
    makes it, with in-memory caches cold as in a fresh process."""
    pools._POOLS.clear()
    pools._faker.cache_clear()
    fanout.fanout_ends.cache_clear()
    with tempfile.TemporaryDirectory() as tmp:
        started, cpu = time.perf_counter(), _cpu()
        with WorkerPool(workers) as pool:
            plan = plan_run(experiment, seed=1, **sizing)
            parts = run_chunks(plan, RunRequest.for_plan(plan, tmp), pool)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    sizes: dict[str, int] = {}
    for part in parts:
        sizes[part.table] = sizes.get(part.table, 0) + part.bytes
    return seconds, cpu, sizes


def measure(rows: int, rounds: int) -> dict:
    """Seconds and bytes per row (the base) and per value of each kind."""
    cases = {k: (Experiment.model_validate(a), Experiment.model_validate(b), t, n)
             for k, (a, b, t, n) in specs(rows).items()}  # fmt: skip
    base = cases[CostKind.SEQUENCE_KEY.value][0]
    fixed = min(generate(base, rows={"t": FIXED_ROWS})[1] for _ in range(rounds))
    parts = min(generate(base, chunk_rows=rows // PARTS)[1] for _ in range(rounds))
    whole = min(generate(base)[1] for _ in range(rounds))
    many = Experiment.model_validate(many_tables(TABLES, FIXED_ROWS))
    tables = min(generate(many)[1] for _ in range(rounds))
    best: dict[str, list] = {k: [float("inf"), float("inf"), 0, 0] for k in cases}
    for _ in range(rounds):
        for kind, (with_col, without, table, _) in cases.items():
            for i, exp in enumerate((with_col, without)):
                _, seconds, sizes = generate(exp)  # CPU seconds: other work does not count
                best[kind][i] = min(best[kind][i], seconds)
                best[kind][2 + i] = sizes[table]
    kinds = {}
    for kind, (with_col, _, table, per_row) in cases.items():
        count = with_col.table(table).target_rows * per_row
        timed, timed_base, size, size_base = best[kind]
        kinds[kind] = {
            "seconds": max(timed - timed_base, 0.0) / count,
            "bytes": max(size - size_base, 0) / count,
        }
        print(f"  {kind:<14} {timed:6.3f} s vs {timed_base:6.3f} s", file=sys.stderr)
    timed, size = best["sequence_key"][0], best["sequence_key"][2]
    kinds["sequence_key"] = {"seconds": (timed - fixed) / rows, "bytes": size / rows}
    # what the measured column made the engine compute besides: a lookup's parent decimal,
    # the child numbers an aggregate sums; a skewed key's draw is per log2 of its parents
    kinds["lookup"]["seconds"] = max(kinds["lookup"]["seconds"] - kinds["decimal"]["seconds"], 0)
    kinds["aggregate"]["seconds"] = max(
        kinds["aggregate"]["seconds"] - kinds["number"]["seconds"], 0
    )
    kinds["skewed_foreign_key"]["seconds"] /= math.log2(SKEWED_PARENTS + 1)
    text = cases["text"][0].table("t").columns[1]
    short = kinds.pop("text_short")  # a text value: a fixed part and a part per character
    length, short_length = (
        text_length(text),
        text_length(cases["text_short"][0].table("t").columns[1]),
    )
    per_char = max(kinds["text"]["seconds"] - short["seconds"], 0) / (length - short_length)
    text_fixed = max(kinds["text"]["seconds"] - per_char * length, 0)
    return {
        "measured": {"at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "rows": rows,
                     "rounds": rounds, "command": "bench/bench_cost_model.py --write"},
        "fixed_seconds": round(fixed, 4),
        "table_seconds": round(max(tables - fixed, 0) / (TABLES - 1), 5),
        "part_seconds": round(max(parts - whole, 0) / (PARTS - 1), 5),
        "row": {k: round(v, 12) for k, v in kinds["sequence_key"].items()},
        "text_reference_length": length,
        "text_fixed_seconds": round(text_fixed, 12),
        "kinds": {k: {f: round(v, 12) for f, v in c.items()} for k, c in sorted(kinds.items())},
    }  # fmt: skip


def show(coefficients: dict) -> None:
    print(
        f"fixed per run: {coefficients['fixed_seconds']:.3f} s, per table: "
        f"{coefficients['table_seconds']:.4f} s, per part: {coefficients['part_seconds']:.4f} s"
    )
    print("per row of any table "
          "(its key, its share of a part) as sequence_key; text per value of "
          f"{coefficients['text_reference_length']:.1f} characters, of which "
          f"{coefficients['text_fixed_seconds'] * 1e9:.1f} ns whatever its length")  # fmt: skip
    print("| column kind | rows/s per core | bytes/value |")
    print("| --- | ---: | ---: |")
    for kind, cost in coefficients["kinds"].items():
        rate = f"{1 / cost['seconds']:,.0f}" if cost["seconds"] > 0 else "(free)"
        print(f"| {kind} | {rate} | {cost['bytes']:.2f} |")


def scaled(experiment: Experiment, scale: float) -> dict[str, int]:
    """Rows at ``scale``; tables of at most 25 rows (TPC-H's region and nation: lists of
    distinct names) keep theirs."""
    rows = resolve_rows(experiment, scale=scale)
    return {t.name: t.target_rows if t.target_rows <= 25 else rows[t.name]
            for t in experiment.tables}  # fmt: skip


def check(tpch_scale: float, shop_scale: float) -> None:
    sys.path.insert(0, str(ROOT))
    from dwsim_shared.ddl import import_ddl
    from tests.generator.shop_ddl import SHOP_DDL

    schemas = [
        ("TPC-H", Experiment.model_validate_json((ROOT / "bench/tpch_sf1.json").read_text()),
         tpch_scale),
        ("shop", import_ddl(SHOP_DDL, dialect="postgres", name="shop"), shop_scale),
    ]  # fmt: skip
    print(f"{'schema':<7} {'rows':>11} {'W':>2} {'predicted':>9} {'wall':>7} {'ratio':>5} "
          f"{'pred. CPU':>9} {'CPU':>7} {'ratio':>5} {'pred. bytes':>11} {'actual':>10} "
          f"{'ratio':>5}")  # fmt: skip
    for name, experiment, scale in schemas:
        rows = scaled(experiment, scale)
        for workers in (1, 2):
            est = model.predict(experiment, rows, workers)
            wall, cpu, sizes = min(generate(experiment, workers, rows=rows) for _ in range(2))
            size = sum(sizes.values())
            print(f"{name:<7} {est.rows_total:>11,} {workers:>2} {est.seconds:>8.2f}s "
                  f"{wall:>6.2f}s {est.seconds / wall:>5.2f} {est.cpu_seconds:>8.2f}s "
                  f"{cpu:>6.2f}s {est.cpu_seconds / cpu:>5.2f} {human_bytes(est.bytes):>11} "
                  f"{human_bytes(size):>10} {est.bytes / size:>5.2f}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--rows",
        type=int,
        default=2_000_000,
        help="rows of each measured table (two Parquet parts, as real runs write them)",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true", help=f"store them in {OUT.name}")
    parser.add_argument("--check", action="store_true", help="predicted vs actual runs")
    parser.add_argument("--tpch-scale", type=float, default=1.5)
    parser.add_argument("--shop-scale", type=float, default=200.0)
    args = parser.parse_args()
    if args.check:
        check(args.tpch_scale, args.shop_scale)
        return 0
    coefficients = measure(args.rows, args.rounds)
    show(coefficients)
    if args.write:
        OUT.write_text(json.dumps(coefficients, indent=2) + "\n")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
