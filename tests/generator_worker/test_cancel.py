"""A generate job cancelled mid-way: staging stops within seconds, the run ends failed (not
usable), and every object it staged is removed; no chunk in flight re-creates one later."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dwsim_generator.config import Settings
from dwsim_generator.service import GeneratorService
from dwsim_shared.contracts.enums import JobKind, JobStatus, RunStatus
from dwsim_shared.contracts.jobs import GenerationRun
from dwsim_shared.contracts.metadata import RunCreate
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.tasks import GenerateChunkPayload
from tests.generator_worker.conftest import Stack

ROWS = {"customers": 600, "orders": 1400, "order_lines": 2400}
CHUNK_ROWS = 200  # 22 chunks of 0.3 s each, two at a time: about 3.5 s
SETTLE_S = 1.5  # longer than a chunk (0.3 s pause + its work) plus the job-status cache (1 s)


@pytest.fixture(scope="module")
def worker(stack: Stack) -> Iterator[list[Path]]:
    app = "tests.generator_worker.paced_worker"
    with stack.workers(concurrency=2, app=app, test_chunk_pause_s=0.3) as logs:
        yield logs


def test_a_cancelled_generate_stops_and_removes_what_it_staged(stack: Stack, worker) -> None:
    name = stack.new_experiment()
    payload = stack.generate(name, rows=ROWS, chunk_rows=CHUNK_ROWS, load=False)
    prefix = RunLayout(name, payload.run_id).prefix
    job = stack.wait(payload.job_id, until=lambda j: j.progress.rows_done > 0)
    assert job.status == JobStatus.RUNNING
    assert stack.objects(prefix)  # some parts are staged, more are to come

    cancelled = stack.client.transition(payload.job_id, JobStatus.CANCELLED)
    assert cancelled.status == JobStatus.CANCELLED
    cancelled_at = time.monotonic()
    run = wait_run(stack, payload.run_id)
    assert time.monotonic() - cancelled_at < 5.0  # the queued chunks were skipped, not made
    assert run.status == RunStatus.CANCELLED
    assert run.error == (
        "the job was cancelled; the run is incomplete and its staged objects were removed"
    )
    assert stack.objects(prefix) == {}

    time.sleep(SETTLE_S)  # a chunk still in flight must not stage its part again
    assert stack.objects(prefix) == {}
    assert stack.client.get_job(payload.job_id).status == JobStatus.CANCELLED
    assert "manifest.json" not in str(stack.objects(f"experiments/{name}/"))
    assert run.id not in [r.id for r in stack.client.list_runs(name)
                          if r.status == RunStatus.COMPLETED]  # fmt: skip


def wait_run(stack: Stack, run_id: str) -> GenerationRun:
    """The run once it has ended (its finish task ran)."""
    deadline = time.monotonic() + 30
    while (run := stack.client.get_run(run_id)).status == RunStatus.RUNNING:
        assert time.monotonic() < deadline, "the run is still running"
        time.sleep(0.1)
    return run


def test_a_chunk_that_sees_the_cancel_after_its_upload_deletes_its_part(stack: Stack) -> None:
    """The race: a chunk began before the cancel (its job check said running) and uploads
    after the cleanup; it checks the job again once its part is up and removes it."""
    name = stack.new_experiment()
    run_id = "race_run"
    job = stack.client.create_job(JobKind.GENERATE, name, run_id=run_id)
    stack.client.transition(job.id, JobStatus.RUNNING)
    layout = RunLayout(name, run_id)
    stack.client.create_run(RunCreate(
        id=run_id, experiment=name, job_id=job.id, seed=0, chunk_rows=CHUNK_ROWS,
        rows_requested=ROWS, prefix=f"s3://{stack.bucket}/{layout.prefix}"))  # fmt: skip
    settings = Settings(s3_endpoint_url=stack.s3.endpoint_url, s3_bucket=stack.bucket,
                        aws_access_key_id=stack.s3.access_key,
                        aws_secret_access_key=stack.s3.secret_key, s3_region=stack.s3.region,
                        metadata_url=stack.metadata_url)  # fmt: skip
    service = GeneratorService(settings)

    def chunk(number: int) -> GenerateChunkPayload:
        return GenerateChunkPayload(job_id=job.id, experiment=name, run_id=run_id,
                                    table="customers", chunk=number)  # fmt: skip

    assert service.make_chunk(chunk(0)) is not None  # the job is running: staged
    assert list(stack.objects(layout.prefix)) == [layout.part_key("customers", 0)]
    stack.client.transition(job.id, JobStatus.CANCELLED)
    # this process still trusts its last read of the job (``JOB_CHECK_S``): the chunk is made
    assert service.make_chunk(chunk(1)) is None
    assert list(stack.objects(layout.prefix)) == [layout.part_key("customers", 0)]
    assert [p.chunk for p in stack.client.list_parts(run_id)] == [0]
