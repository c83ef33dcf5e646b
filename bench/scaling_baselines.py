"""The baselines a generator scaling figure is read against, measured in the same run.

On a machine of two virtual cores, two processes do not get twice one process's work done even
when nothing is shared: the hypervisor, the shared cache and memory bandwidth take their part.
``bench_suite.py --only-scaling`` prints, beside the generator worker's -c 1 / -c 2 ratio, what
this machine gives at the same moment for:

- ``cpu_loop``: a pure-Python loop (no memory traffic, no I/O) in N processes at once: the most
  any work gets from N processes here;
- ``engine_run``: the same rows made by the engine alone with N processes (``dwsim generate
  --workers N``: the parts written to a local folder, no S3, no services): what the engine
  gets, without the S3 server on the same cores.
"""

import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

from dwsim_generator.engine import plan_run
from dwsim_generator.engine.parallel import RunRequest, WorkerPool, run_chunks
from dwsim_shared.contracts.schema import Experiment

LOOP_STEPS = 30_000_000  # ~2 s of a pure-Python loop on this machine's cores


def _loop(steps: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(steps):
        total += i * i
    return time.perf_counter() - started


def cpu_loop(processes: int) -> float:
    """Seconds for ``processes`` processes to each run the loop once, together (the pool
    started before the clock: its start is not timed)."""
    with get_context("fork").Pool(processes) as pool:
        pool.map(_loop, [1_000] * processes)  # every process started and ready
        started = time.perf_counter()
        pool.map(_loop, [LOOP_STEPS] * processes, chunksize=1)
        return time.perf_counter() - started


def engine_run(experiment: Experiment, rows: dict[str, int], seed: int, chunk_rows: int,
               workers: int) -> float:  # fmt: skip
    """Seconds for the engine to make every part with ``workers`` processes, to a temporary
    folder; the same run made once before, unmeasured, by the same processes (warm, as a
    worker in use is)."""
    with tempfile.TemporaryDirectory(prefix="dwsim-bench-engine-") as tmp, \
            WorkerPool(workers) as pool:  # fmt: skip
        plan = plan_run(experiment, seed=seed, rows=rows, chunk_rows=chunk_rows)
        request = RunRequest.for_plan(plan, Path(tmp))
        run_chunks(plan, request, pool)
        started = time.perf_counter()
        run_chunks(plan, request, pool)
        return time.perf_counter() - started
