"""Run every chunk of a plan on W processes (or in this one), parents first, in any order.

Each worker rebuilds the plan from the experiment JSON once (spawn-safe: nothing is shared
but the request) and then turns (table, chunk) into a Parquet part.
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
        return plan_run(experiment, seed=self.seed, rows=self.rows, chunk_rows=self.chunk_rows)


_WORKER_PLAN: RunPlan | None = None
_WORKER_OUT: Path | None = None


def _init_worker(request: RunRequest) -> None:
    global _WORKER_PLAN, _WORKER_OUT
    import_pools(request.pools)
    _WORKER_PLAN, _WORKER_OUT = request.plan(), Path(request.out_dir)


def make_part(plan: RunPlan, out_dir: Path, table: str, chunk: int) -> PartResult:
    started = time.perf_counter()
    data = plan.generate_chunk(table, chunk)
    key, size = write_part(data, out_dir, table, chunk)
    return PartResult(table, chunk, key, data.num_rows, size, time.perf_counter() - started)


def _worker_part(table: str, chunk: int) -> PartResult:
    assert _WORKER_PLAN is not None
    assert _WORKER_OUT is not None
    return make_part(_WORKER_PLAN, _WORKER_OUT, table, chunk)


def run_chunks(
    plan: RunPlan,
    request: RunRequest,
    workers: int,
    on_part: Callable[[PartResult], None] = lambda _: None,
) -> list[PartResult]:
    """Write every part; ``on_part`` is called as each one lands (for progress)."""
    tasks = request.tasks or plan.tasks()
    results: list[PartResult] = []
    if workers <= 1:
        for table, chunk in tasks:
            result = make_part(plan, Path(request.out_dir), table, chunk)
            results.append(result)
            on_part(result)
        return results
    # This process already holds the plan, so a thread of it makes parts too (from the back of
    # the queue), beside W - 1 worker processes fed from the front by this thread, which stays
    # free to keep them busy. Pending work is bounded, so memory stays per chunk.
    context = get_context("spawn")
    out_dir = Path(request.out_dir)
    queue = deque(tasks)
    with (
        ProcessPoolExecutor(workers - 1, context, _init_worker, (request,)) as pool,
        ThreadPoolExecutor(1) as local,
    ):
        remote: set[Future] = set()
        mine: set[Future] = set()
        while queue or remote or mine:
            while queue and len(remote) < (workers - 1) * 2:
                remote.add(pool.submit(_worker_part, *queue.popleft()))
            if queue and not mine:
                mine.add(local.submit(make_part, plan, out_dir, *queue.pop()))
            done, _ = wait(remote | mine, return_when=FIRST_COMPLETED)
            for future in done:
                remote.discard(future)
                mine.discard(future)
                results.append(_result(future))
                on_part(results[-1])
    return results


def _result(future: Future) -> PartResult:
    try:
        return future.result()
    except BrokenProcessPool:
        raise GenerationError(
            "a worker process died while generating (out of memory? try fewer --workers or "
            "smaller --chunk-rows); no manifest was written"
        ) from None
