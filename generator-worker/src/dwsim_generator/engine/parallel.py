"""Run every chunk of a plan here and on W - 1 worker processes, largest first, in any order.

On Linux the workers are forked once the plan is built: they inherit the imported modules,
the plan and its Faker pools, so they start making parts at once. Elsewhere (no safe fork)
they are spawned before planning, import while the caller plans, and rebuild the plan once
from the request, which carries the Faker pools. Either way a worker turns (table, chunk)
into a Parquet part it writes itself, and hands back only the part's key, rows and bytes.
"""

import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from dwsim_generator.engine.arrow_types import max_chars
from dwsim_generator.engine.errors import GenerationError
from dwsim_generator.engine.memory import reuse_freed_memory
from dwsim_generator.engine.plan import RunPlan, plan_run
from dwsim_generator.engine.pools import import_pools
from dwsim_generator.engine.writer import PartResult, write_part
from dwsim_shared.contracts.schema import Experiment


@dataclass(frozen=True)
class RunRequest:
    """What a spawned worker needs to rebuild the plan: plain data, picklable."""

    experiment_json: str
    seed: int
    rows: dict[str, int]
    chunk_rows: int
    out_dir: str
    tasks: list[tuple[str, int]] = field(default_factory=list)
    pools: dict = field(default_factory=dict)  # RunPlan.faker_pools(), so workers skip Faker
    # (filled by run_chunks for spawned workers only: building pools is work a plan defers)

    @classmethod
    def for_plan(cls, plan: RunPlan, out_dir: str | os.PathLike) -> "RunRequest":
        return cls(
            plan.experiment.model_dump_json(),
            plan.seed,
            plan.rows,
            plan.chunk_rows,
            os.fspath(out_dir),
        )

    def plan(self) -> RunPlan:
        experiment = Experiment.model_validate_json(self.experiment_json)
        return plan_run(
            experiment, seed=self.seed, rows=self.rows, chunk_rows=self.chunk_rows, check_keys=False
        )


def default_start_method() -> str:
    """'fork' on Linux (no re-import, no re-planning); 'spawn' where fork is unsafe or absent."""
    if sys.platform.startswith("linux") and "fork" in get_all_start_methods():
        return "fork"
    return "spawn"


_WORKER: tuple[RunRequest, RunPlan] | None = None  # a spawned worker's rebuilt plan
_FORKED: tuple[RunPlan, Path] | None = None  # set just before forking; the children inherit it


def _warm_up() -> None:
    """Import the heavy modules as a spawned worker starts, while the caller is still planning."""
    import pyarrow.parquet  # noqa: F401

    reuse_freed_memory()


class WorkerPool:
    """W - 1 worker processes beside the caller, which makes parts too.

    Open it before planning (``with WorkerPool(w) as pool``): spawned workers import while the
    caller plans; forked ones are started by ``run_chunks`` once the plan exists.
    """

    def __init__(self, workers: int, start_method: str | None = None):
        reuse_freed_memory()  # this process makes parts too; forked workers inherit it
        self.size = max(workers - 1, 0)
        self.start_method = start_method or default_start_method()
        self.executor: ProcessPoolExecutor | None = None
        self.forked_for: RunPlan | None = None
        if self.size and self.start_method != "fork":
            context = get_context(self.start_method)
            self.executor = ProcessPoolExecutor(self.size, context, _warm_up)
            for _ in range(self.size):  # processes start on submit: start them now
                self.executor.submit(_warm_up)

    def start(self, plan: RunPlan, out_dir: Path) -> None:
        """Fork the workers now, with the plan built and before this process starts threads."""
        global _FORKED
        if not self.size or self.start_method != "fork" or self.forked_for is plan:
            return
        self.close()
        _FORKED, self.forked_for = (plan, out_dir), plan
        self.executor = ProcessPoolExecutor(self.size, get_context("fork"))
        self.executor.submit(_ready).result()  # forks every worker (all start on first submit)

    def submit(self, request: RunRequest, table: str, chunk: int) -> Future:
        assert self.executor is not None
        if self.forked_for is not None:
            return self.executor.submit(_forked_part, table, chunk)
        return self.executor.submit(_worker_part, request, table, chunk)

    def close(self) -> None:
        global _FORKED
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor, self.forked_for, _FORKED = None, None, None

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_part(plan: RunPlan, out_dir: Path, table: str, chunk: int) -> PartResult:
    started = time.perf_counter()
    data = plan.generate_chunk(table, chunk)
    key, size = write_part(data, out_dir, table, chunk)
    return PartResult(table, chunk, key, data.num_rows, size, time.perf_counter() - started)


def _ready() -> None:
    """A forked worker is ready as soon as it runs: it holds the plan already."""


def _forked_part(table: str, chunk: int) -> PartResult:
    assert _FORKED is not None, "a forked worker inherits the plan"
    return make_part(*_FORKED, table, chunk)


def _worker_part(request: RunRequest, table: str, chunk: int) -> PartResult:
    """In a spawned worker: the plan is rebuilt once per request, then reused."""
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
    if pool is None or not pool.size:
        for table, chunk in tasks:
            results.append(make_part(plan, out_dir, table, chunk))
            on_part(results[-1])
        return results
    pool.start(plan, out_dir)
    if pool.forked_for is None and not request.pools:
        request = replace(request, pools=plan.faker_pools())
    # Largest parts first, so the run ends on small ones (chunks are independent: any order
    # gives the same files). Each worker holds one task at a time and takes the next as it
    # finishes, so no process waits behind a queue at the end. A thread of this process
    # (which holds the plan) makes parts too; this thread keeps the workers fed. Pending
    # work is bounded, so memory stays per chunk.
    tasks = deque(largest_first(plan, tasks))
    with ThreadPoolExecutor(1) as local:
        remote: set[Future] = set()
        mine: set[Future] = set()
        while tasks or remote or mine:
            while tasks and len(remote) < pool.size:
                remote.add(pool.submit(request, *tasks.popleft()))
            if tasks and not mine:
                mine.add(local.submit(make_part, plan, out_dir, *tasks.popleft()))
            done, _ = wait(remote | mine, return_when=FIRST_COMPLETED)
            for future in done:
                remote.discard(future)
                mine.discard(future)
                results.append(_result(future))
                on_part(results[-1])
    return results


def largest_first(plan: RunPlan, tasks: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """(table, chunk) pairs by rough cost, largest first, so a run ends on small parts."""
    weights = {name: _row_weight(plan, name) for name in plan.order}
    return sorted(tasks, key=lambda t: -_rows(plan, *t) * weights[t[0]])


def _rows(plan: RunPlan, table: str, chunk: int) -> int:
    start, end = plan.chunk_bounds(table, chunk)
    return end - start


def _row_weight(plan: RunPlan, table: str) -> float:
    """Rough cost of a row: one per column, plus the text a string column may hold."""
    columns = plan.experiment.table(table).columns
    return sum(1 + (max_chars(c.type) or 0) / 8 for c in columns)


def _result(future: Future) -> PartResult:
    try:
        return future.result()
    except BrokenProcessPool:
        raise GenerationError(
            "a worker process died while generating (out of memory? try fewer --workers or "
            "smaller --chunk-rows); no manifest was written"
        ) from None
