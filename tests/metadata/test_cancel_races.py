"""A cancel racing a job's last step: either the cancel wins (the run is not completed, the load
not committed) or the completion does (the cancel is refused, 409), never both.

The two orders are played one after the other, on both backends; on PostgreSQL the cancel is
also held open in a transaction while the completion comes in, which then waits for it.
"""

import threading
import time
import uuid

import pytest

from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus, RunStatus
from dwsim_shared.contracts.metadata import RunCompletion
from dwsim_shared.metadata_client import ConflictError, MetadataClient
from tests.metadata.test_runs import new_run


def running_generate(client: MetadataClient, experiment: str) -> tuple[str, str]:
    """A running generate job with its run recorded (running): (job id, run id)."""
    run_id = f"{experiment}_{uuid.uuid4().hex[:6]}"
    job = client.create_job(JobKind.GENERATE, experiment, run_id=run_id)
    client.transition(job.id, JobStatus.RUNNING)
    client.report_stage(job.id, JobStage.STAGE, {"generate": 2.0})
    client.create_run(new_run(experiment, run_id).model_copy(update={"job_id": job.id}))
    return str(job.id), run_id


COMPLETE = RunCompletion(timings={"stage": 0.5}, job_timings={"stage": 0.5})
COMPLETE_THEN_LOAD = COMPLETE.model_copy(update={"job_stage": JobStage.LOAD})


def test_a_cancel_before_the_completion_wins(client: MetadataClient, experiment) -> None:
    job_id, run_id = running_generate(client, experiment.name)
    client.transition(job_id, JobStatus.CANCELLED)

    with pytest.raises(ConflictError, match=f"is cancelled; run {run_id} was not completed"):
        client.complete_run(run_id, COMPLETE)
    assert client.get_run(run_id).status == RunStatus.RUNNING  # not loadable; the worker ends it
    assert client.get_job(job_id).status == JobStatus.CANCELLED


def test_a_completion_before_the_cancel_wins(client: MetadataClient, experiment) -> None:
    job_id, run_id = running_generate(client, experiment.name)
    run = client.complete_run(run_id, COMPLETE)
    assert (run.status, run.timings) == (RunStatus.COMPLETED, {"stage": 0.5})
    job = client.get_job(job_id)
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress.timings == {"generate": 2.0, "stage": 0.5}
    assert job.finished_at is not None

    with pytest.raises(ConflictError, match="cannot go from succeeded to cancelled"):
        client.transition(job_id, JobStatus.CANCELLED)
    assert client.get_job(job_id).status == JobStatus.SUCCEEDED
    assert client.complete_run(run_id, COMPLETE).status == RunStatus.COMPLETED  # a retry: as is


def test_a_completion_that_hands_over_to_the_load_leaves_the_load_cancellable(
    client: MetadataClient, experiment
) -> None:
    job_id, run_id = running_generate(client, experiment.name)
    client.complete_run(run_id, COMPLETE_THEN_LOAD)
    job = client.get_job(job_id)
    assert (job.status, job.progress.stage) == (JobStatus.RUNNING, JobStage.LOAD)

    assert client.transition(job_id, JobStatus.CANCELLED).status == JobStatus.CANCELLED
    assert client.get_run(run_id).status == RunStatus.COMPLETED  # whole, loadable again


def test_a_failed_run_cannot_be_completed(client: MetadataClient, experiment) -> None:
    job_id, run_id = running_generate(client, experiment.name)
    client.update_run(run_id, status=RunStatus.FAILED, error="chunk 3 failed")
    with pytest.raises(ConflictError, match=f"run {run_id} is failed; it cannot be completed"):
        client.complete_run(run_id, COMPLETE)
    assert client.get_job(job_id).status == JobStatus.RUNNING


def running_load(client: MetadataClient, experiment: str) -> str:
    job = client.create_job(JobKind.LOAD, experiment, run_id="r1")
    client.transition(job.id, JobStatus.RUNNING)
    client.report_stage(job.id, JobStage.LOAD)
    return str(job.id)


def test_a_cancel_before_the_load_commits_wins(client: MetadataClient, experiment) -> None:
    job_id = running_load(client, experiment.name)
    client.transition(job_id, JobStatus.CANCELLED)
    with pytest.raises(ConflictError, match=f"job {job_id} is cancelled"):
        client.commit(job_id)  # the loader rolls back
    assert client.get_job(job_id).status == JobStatus.CANCELLED


def test_a_committing_load_refuses_the_cancel(client: MetadataClient, experiment) -> None:
    job_id = running_load(client, experiment.name)
    assert client.commit(job_id).status == JobStatus.RUNNING
    assert client.commit(job_id).status == JobStatus.RUNNING  # a retry: still committing

    with pytest.raises(ConflictError, match=r"committing its load .* can no longer be cancelled"):
        client.transition(job_id, JobStatus.CANCELLED)
    assert client.get_job(job_id).status == JobStatus.RUNNING
    assert client.transition(job_id, JobStatus.SUCCEEDED).status == JobStatus.SUCCEEDED


def test_a_committing_load_can_still_fail(client: MetadataClient, experiment) -> None:
    job_id = running_load(client, experiment.name)
    client.commit(job_id)
    failed = client.transition(job_id, JobStatus.FAILED, error="COMMIT failed")
    assert (failed.status, failed.error) == (JobStatus.FAILED, "COMMIT failed")


def test_a_cancel_in_flight_makes_the_completion_wait_and_then_refuse(
    backend: tuple[str, str], client: MetadataClient, experiment, metadata_pg_db_url: str
) -> None:
    """PostgreSQL: the cancel's UPDATE holds the job's row, uncommitted, while the completion
    arrives; the completion waits for it (seen in pg_stat_activity), then sees it and refuses."""
    if backend[0] != "postgresql":
        pytest.skip("SQLite serializes every write transaction: no two are ever in flight")
    psycopg2 = pytest.importorskip("psycopg2")
    job_id, run_id = running_generate(client, experiment.name)
    cancel = psycopg2.connect(metadata_pg_db_url)
    watch = psycopg2.connect(metadata_pg_db_url)
    watch.autocommit = True
    outcome: dict[str, object] = {}

    def complete() -> None:
        with MetadataClient(backend[1]) as other:
            try:
                outcome["run"] = other.complete_run(run_id, COMPLETE)
            except ConflictError as exc:
                outcome["error"] = exc

    try:
        with cancel.cursor() as cur:  # what the service's cancel runs, held open
            cur.execute(
                "UPDATE jobs SET status = 'cancelled' WHERE id = %s AND status = 'running'",
                (job_id,),
            )
            assert cur.rowcount == 1
        completing = threading.Thread(target=complete)
        completing.start()
        deadline = time.monotonic() + 20
        while not _waiting_for_a_lock(watch):
            assert completing.is_alive(), outcome  # it must wait for the cancel's row lock
            assert time.monotonic() < deadline, "the completion never waited for the cancel"
            time.sleep(0.02)
        cancel.commit()
        completing.join(20)
    finally:
        cancel.close()
        watch.close()
    assert isinstance(outcome.get("error"), ConflictError), outcome
    assert client.get_run(run_id).status == RunStatus.RUNNING
    assert client.get_job(job_id).status == JobStatus.CANCELLED


def _waiting_for_a_lock(conn) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'")  # fmt: skip
        return cur.fetchone()[0] > 0
