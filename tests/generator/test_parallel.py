"""Parts made by worker processes, forked or spawned, are the bytes one process writes."""

import hashlib
import os
from pathlib import Path

import pytest

from dwsim_generator.engine import parallel, plan_run
from dwsim_generator.engine.errors import GenerationError
from dwsim_generator.engine.parallel import RunRequest, WorkerPool, run_chunks
from tests.generator.schemas import SHOP

CHUNK_ROWS = 3_000


def _write(out: Path, workers: int, start_method: str | None = None, seed: int = 3) -> dict:
    plan = plan_run(SHOP, seed=seed, chunk_rows=CHUNK_ROWS)
    with WorkerPool(workers, start_method) as pool:
        parts = run_chunks(plan, RunRequest.for_plan(plan, out), pool)
    assert sorted((p.table, p.chunk) for p in parts) == sorted(plan.tasks())
    return _digests(out)


def _digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*.parquet"))
    }


@pytest.fixture(scope="module")
def one_process(tmp_path_factory) -> dict[str, str]:
    digests = _write(tmp_path_factory.mktemp("one"), 1)
    assert len(digests) > 8  # several tables have several parts
    return digests


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_forked_and_spawned_workers_write_the_bytes_one_process_writes(
    tmp_path, one_process, start_method
):
    assert _write(tmp_path, 3, start_method) == one_process


def test_a_pool_reused_for_another_plan_makes_that_plan_s_parts(tmp_path):
    plans = [plan_run(SHOP, seed=s, chunk_rows=CHUNK_ROWS) for s in (3, 4)]
    with WorkerPool(2, "fork") as pool:
        for plan, name in zip(plans, ("a", "b"), strict=True):
            run_chunks(plan, RunRequest.for_plan(plan, tmp_path / name), pool)
    assert _digests(tmp_path / "b") == _write(tmp_path / "alone", 1, seed=4)
    assert _digests(tmp_path / "a") != _digests(tmp_path / "b")


def test_a_worker_that_dies_is_reported_as_a_message(tmp_path, monkeypatch):
    parent, real = os.getpid(), parallel.make_part

    def dies_in_a_worker(*args):  # forked workers inherit this patched module
        if os.getpid() != parent:
            os._exit(1)
        return real(*args)

    monkeypatch.setattr(parallel, "make_part", dies_in_a_worker)
    with pytest.raises(GenerationError, match="a worker process died while generating"):
        _write(tmp_path, 2, "fork")


def test_dictionary_columns_keep_only_the_values_their_rows_use():
    import pyarrow as pa

    from dwsim_generator.engine.writer import used_only

    pool = pa.array(["a", "b", "c", "d"])
    column = pa.chunked_array([
        pa.DictionaryArray.from_arrays(pa.array([3, None, 1], pa.int32()), pool),
        pa.DictionaryArray.from_arrays(pa.array([3], pa.int32()), pool),
    ])  # fmt: skip
    compact = used_only(column)
    assert compact.to_pylist() == ["d", None, "b", "d"]
    assert compact.chunk(0).dictionary.to_pylist() == ["a", "b", "d"]  # nulls count as "a"
