"""Any number of workers stage the same bytes; a chunk that cannot be staged fails the job."""

from dwsim_shared.contracts.enums import JobStatus, RunStatus
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.tasks import Queue

ROWS = {"customers": 4000, "orders": 9000, "order_lines": 15000}
CHUNK_ROWS = 1000  # 28 chunks


def _parts(stack, name: str, run_id: str) -> dict[str, bytes]:
    prefix = RunLayout(name, run_id).prefix
    return {
        key.removeprefix(prefix): body
        for key, body in stack.objects(prefix).items()
        if key.endswith(".parquet")
    }


def test_two_workers_stage_the_same_bytes_as_one(stack):
    name = stack.new_experiment()
    with stack.workers(processes=1):
        one = stack.generate(name, seed=11, rows=ROWS, chunk_rows=CHUNK_ROWS, load=False)
        assert stack.wait(one.job_id).status == JobStatus.SUCCEEDED
    with stack.workers(processes=2) as logs:
        two = stack.generate(name, seed=11, rows=ROWS, chunk_rows=CHUNK_ROWS, load=False)
        assert stack.wait(two.job_id).status == JobStatus.SUCCEEDED
        shared = [log.read_text().count('"generator.part_staged"') for log in logs]
        other = stack.generate(name, seed=12, rows=ROWS, chunk_rows=CHUNK_ROWS, load=False)
        assert stack.wait(other.job_id).status == JobStatus.SUCCEEDED
    assert all(n > 0 for n in shared), f"parts staged per worker: {shared}"
    assert sum(shared) == 28

    parts_one, parts_two = _parts(stack, name, one.run_id), _parts(stack, name, two.run_id)
    assert len(parts_one) == 28
    assert parts_one == parts_two
    assert _parts(stack, name, other.run_id) != parts_one  # the comparison can tell runs apart


def test_a_chunk_that_cannot_be_staged_fails_the_job_and_the_run(stack):
    name = stack.new_experiment()
    with stack.workers(s3_bucket="no-such-bucket") as logs:
        payload = stack.generate(name, rows={"customers": 300, "orders": 500, "order_lines": 0},
                                 chunk_rows=100, load=True)  # fmt: skip
        job = stack.wait(payload.job_id)
        assert job.status == JobStatus.FAILED
        assert "s3://no-such-bucket/" in job.error
        assert "NoSuchBucket" in job.error
        assert "DWSIM_S3_BUCKET" in job.error
        run = stack.client.get_run(payload.run_id)
        assert run.status == RunStatus.FAILED
        assert run.error == job.error
        stack.wait_for_log(logs[0], '"generator.finish_skipped"')
    assert stack.queued(Queue.LOADER) == []  # the finish saw the failed job: no load


def test_a_chunk_task_that_raises_still_ends_the_job_failed(stack):
    name = stack.new_experiment()
    with stack.workers(app="tests.generator_worker.faulty_worker"):
        payload = stack.generate(name, rows={"customers": 300, "orders": 500, "order_lines": 0},
                                 chunk_rows=100, load=True)  # fmt: skip
        job = stack.wait(payload.job_id)
    assert job.status == JobStatus.FAILED
    assert job.error == (
        f"run {payload.run_id} is incomplete, no part was staged for orders chunk 1 "
        "(a chunk task failed: see the generator worker's log)"
    )
    assert stack.client.get_run(payload.run_id).status == RunStatus.FAILED
    assert len(stack.client.list_parts(payload.run_id)) == 3 + 5 + 1 - 1
    assert stack.queued(Queue.LOADER) == []
