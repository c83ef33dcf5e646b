"""Run every chunk of a plan here and on W - 1 worker processes, parents first, in any order.

Each worker rebuilds the plan from the request once (spawn-safe: nothing is shared but the
request, which carries the Faker pools) and then turns (table, chunk) into a Parquet part.
"""

import os
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from dwsim_generator.engine.errors import GenerationError
from dwsim_generator.engine.plan import RunPlan, plan_run
from dwsim_generator.engine.pools import import_pools
from dwsim_generator.engine.writer import PartResult, write_part
from dwsim_shared.schema import Experiment


@dataclass(frozen=True)
class RunRequest:
    """What a worker needs to rebuild the plan: plain data, picklable."""

    experiment_json: str
    seed: int
    rows: dict[str, int]
    chunk_rows: int
    out_dir: str
    tasks: list[tuple[str, int]] = field(default_factory=list)
    pools: dict = field(default_factory=dict)  # RunPlan.faker_pools(), so workers skip Faker

    @classmethod
    def for_plan(cls, plan: RunPlan, out_dir: str | os.PathLike) -> "RunRequest":
        return cls(
            plan.experiment.model_dump_json(),
            plan.seed,
            plan.rows,
            plan.chunk_rows,
            os.fspath(out_dir),
            pools=plan.faker_pools(),
        )

    def plan(self) -> RunPlan:
        experiment = Experiment.model_validate_json(self.experiment_json)
        return plan_run(
            experiment, seed=self.seed, rows=self.rows, chunk_rows=self.chunk_rows, check_keys=False
        )


_WORKER: tuple[RunRequest, RunPlan] | None = None


def _warm_up() -> None:
    """Import the heavy modules as the worker starts, while the caller is still planning."""
    import pyarrow.parquet  # noqa: F401


class WorkerPool:
    """W - 1 spawn-safe worker processes beside the caller, which makes parts too.

    Start it before planning (``with WorkerPool(w) as pool``): the workers' imports overlap
    the caller's planning.
    """

    def __init__(self, workers: int):
        self.size = max(workers - 1, 0)
        self.executor = (
            ProcessPoolExecutor(self.size, get_context("spawn"), _warm_up) if self.size else None
        )
        for _ in range(self.size):  # processes start on submit: start them now
            self.executor.submit(_warm_up)  # type: ignore[union-attr]

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


def make_part(plan: RunPlan, out_dir: Path, table: str, chunk: int) -> PartResult:
    started = time.perf_counter()
    data = plan.generate_chunk(table, chunk)
    key, size = write_part(data, out_dir, table, chunk)
    return PartResult(table, chunk, key, data.num_rows, size, time.perf_counter() - started)


def _worker_part(request: RunRequest, table: str, chunk: int) -> PartResult:
    """In a worker process: the plan is rebuilt once per request, then reused."""
    global _WORKER
    if _WORKER is None or _WORKER[0] != request:
        import_pools(request.pools)
        _WORKER = (request, request.plan())
    return make_part(_WORKER[1], Path(request.out_dir), table, chunk)


def run_chunks(
    plan: RunPlan,
    request: RunRequest,
    pool: WorkerPool | None = None,
    on_part: Callable[[PartResult], None] = lambda _: None,
) -> list[PartResult]:
    """Write every part, here and on the ``pool``'s workers if given.

    ``on_part`` is called as each part lands (for progress).
    """
    tasks = deque(request.tasks or plan.tasks())
    out_dir = Path(request.out_dir)
    results: list[PartResult] = []
    if pool is None or pool.executor is None:
        for table, chunk in tasks:
            results.append(make_part(plan, out_dir, table, chunk))
            on_part(results[-1])
        return results
    # Largest parts first, so the run ends on small ones and no process idles long at the end
    # (chunks are independent: any order gives the same files). A thread of this process
    # (which holds the plan) makes parts too; this thread stays free to keep the worker
    # processes fed. Pending work is bounded, so memory stays per chunk.
    tasks = deque(sorted(tasks, key=lambda t: -_cost(plan, *t)))
    executor, width = pool.executor, pool.size * 2
    with ThreadPoolExecutor(1) as local:
        remote: set[Future] = set()
        mine: set[Future] = set()
        while tasks or remote or mine:
            while tasks and len(remote) < width:
                remote.add(executor.submit(_worker_part, request, *tasks.popleft()))
            if tasks and not mine:
                mine.add(local.submit(make_part, plan, out_dir, *tasks.popleft()))
            done, _ = wait(remote | mine, return_when=FIRST_COMPLETED)
            for future in done:
                remote.discard(future)
                mine.discard(future)
                results.append(_result(future))
                on_part(results[-1])
    return results


def _cost(plan: RunPlan, table: str, chunk: int) -> int:
    start, end = plan.chunk_bounds(table, chunk)
    return (end - start) * len(plan.experiment.table(table).columns)


def _result(future: Future) -> PartResult:
    try:
        return future.result()
    except BrokenProcessPool:
        raise GenerationError(
            "a worker process died while generating (out of memory? try fewer --workers or "
            "smaller --chunk-rows); no manifest was written"
        ) from None
