"""A generator worker process killed (SIGKILL) in the middle of a chunk: Celery redelivers the
chunk (acks_late, reject_on_worker_lost), the job still succeeds, the staged parts are the bytes
an uninterrupted run writes, and a load of the run holds exactly the requested rows."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from dwsim_loader.service import LoaderService
from dwsim_shared.contracts.enums import JobStatus, RunStatus
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.settings import DwsimSettings
from tests.data_loader.checks import foreign_key_checks, scalar
from tests.e2e.helpers import assert_staged_parts_identical, generate_in_one_process
from tests.generator_worker.conftest import Stack

ROWS = {"customers": 300, "orders": 700, "order_lines": 1200}
CHUNK_ROWS = 250
KILLED = ("orders", 1)  # the chunk whose first run is killed after staging its part
SEED = 11


@pytest.fixture
def killing_worker(stack: Stack, tmp_path: Path) -> Iterator[Path]:
    """A worker that kills its process in the middle of ``KILLED``, once; yields the marker."""
    marker = tmp_path / "killed"
    with stack.workers(app="tests.generator_worker.killed_worker",
                       test_kill_chunk=f"{KILLED[0]}:{KILLED[1]}",
                       test_kill_marker=marker):  # fmt: skip
        yield marker


def test_a_chunk_killed_midway_is_redelivered_and_the_run_is_exact(
    stack: Stack, killing_worker: Path, tmp_path: Path
) -> None:
    name = stack.new_experiment()
    payload = stack.generate(name, seed=SEED, rows=ROWS, chunk_rows=CHUNK_ROWS, load=False)
    job = stack.wait(payload.job_id)

    assert killing_worker.exists(), "the chunk task was never killed"
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress.rows_done == sum(ROWS.values())
    assert {t: p.rows_done for t, p in job.progress.tables.items()} == ROWS
    run = stack.client.get_run(payload.run_id)
    assert (run.status, run.rows) == (RunStatus.COMPLETED, ROWS)
    parts = stack.client.list_parts(payload.run_id)
    assert sorted((p.table, p.chunk) for p in parts) == sorted(
        (t, c) for t, n in ROWS.items() for c in range(-(-n // CHUNK_ROWS))
    )  # each chunk reported once

    schema = json.loads(stack.client.get_experiment(name).schema_.model_dump_json())
    out = tmp_path / "uninterrupted"
    generate_in_one_process(schema, out, ROWS, SEED, CHUNK_ROWS)
    prefix = RunLayout(name, payload.run_id).prefix
    assert assert_staged_parts_identical(stack.s3_client, stack.bucket, prefix, out) == len(parts)

    loader = LoaderService(DwsimSettings(**{
        "s3_endpoint_url": stack.s3.endpoint_url, "s3_bucket": stack.bucket,
        "aws_access_key_id": stack.s3.access_key, "aws_secret_access_key": stack.s3.secret_key,
        "data_dir": str(tmp_path / "warehouse")}))  # fmt: skip
    experiment = stack.client.get_experiment(name).schema_
    loader.materialize(experiment)
    loader.load_run(experiment, payload.run_id)
    assert loader.count_rows(experiment) == ROWS
    distinct = {
        "customers": "SELECT COUNT(DISTINCT id) FROM customers",
        "orders": "SELECT COUNT(DISTINCT order_id) FROM orders",
        "order_lines": "SELECT COUNT(*) FROM (SELECT DISTINCT order_id, line_no FROM order_lines)",
    }
    assert {t: scalar(loader, experiment, sql) for t, sql in distinct.items()} == ROWS
    assert all(orphans == 0 for _, orphans in foreign_key_checks(loader, experiment).values())
