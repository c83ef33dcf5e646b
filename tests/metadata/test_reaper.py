"""The reaper: a running job whose worker stopped showing life ends failed, saying why.

Each backend runs a metadata service of its own with a short heartbeat timeout, so a silent job
is reaped within seconds; what is asserted is what a person sees through the API (and through
the gateway's view of the job in Redis).
"""

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import UUID

import pytest
import redis

from dwsim_shared.celery_app import make_celery, send
from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus, RunStatus
from dwsim_shared.contracts.jobs import GenerationRun, JobDetail
from dwsim_shared.contracts.metadata import RunCreate, TableReport
from dwsim_shared.contracts.tasks import GenerateFinishPayload, LoadRunPayload, Queue, TaskName
from dwsim_shared.job_cache import job_key
from dwsim_shared.metadata_client import ConflictError, MetadataClient
from dwsim_shared.reporter import JobFinishedError, JobReporter
from dwsim_shared.settings import DwsimSettings
from tests.fixtures.metadata import metadata_server
from tests.fixtures.postgres import fresh_database
from tests.fixtures.redis import REDIS_URL
from tests.metadata.conftest import make_experiment

TIMEOUT_S = 1.5
INTERVAL_S = 0.2  # the reaper's
REAPING = {"job_heartbeat_timeout_s": TIMEOUT_S, "job_reaper_interval_s": INTERVAL_S}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def reaping(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[MetadataClient]:
    """A client of a metadata service that reaps jobs silent for ``TIMEOUT_S``."""
    if request.param == "sqlite":
        data_dir: Path = tmp_path_factory.mktemp("reaper")
        with (
            metadata_server(f"sqlite:///{data_dir / 'metadata.db'}", data_dir, **REAPING) as url,
            MetadataClient(url) as client,
        ):
            yield client
    else:
        with (
            fresh_database("dwsim_reap") as db_url,
            metadata_server(db_url, **REAPING) as url,
            MetadataClient(url) as client,
        ):
            yield client


def running_job(client: MetadataClient, kind: JobKind = JobKind.GENERATE) -> JobDetail:
    experiment = make_experiment()
    client.create_experiment(experiment)
    job = client.create_job(kind, experiment.name)
    return client.transition(job.id, JobStatus.RUNNING)


def wait_for(client: MetadataClient, job_id: UUID, done: Callable[[JobDetail], bool]) -> JobDetail:
    deadline = time.monotonic() + TIMEOUT_S + 10
    while True:
        job = client.get_job(job_id)
        if done(job) or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def ended(job: JobDetail) -> bool:
    return job.status.is_terminal


def test_a_silent_running_job_is_failed_with_the_reason(reaping: MetadataClient) -> None:
    job = running_job(reaping)
    started = time.monotonic()
    failed = wait_for(reaping, job.id, ended)
    assert failed.status == JobStatus.FAILED
    assert time.monotonic() - started >= TIMEOUT_S - 0.1  # not before the timeout
    assert failed.error is not None
    assert failed.error.startswith("no heartbeat from its worker for ")
    assert f"(timeout {TIMEOUT_S:g} s): the worker stopped or lost its connection" in failed.error
    assert "start the generate job again" in failed.error
    assert failed.finished_at is not None
    # the gateway serves the same (its view in Redis), and the experiment takes a new job
    with redis.Redis.from_url(REDIS_URL) as cache:
        view = cache.hget(job_key(job.id), "j")
    assert view is not None
    assert json.loads(view)["status"] == "failed"
    again = reaping.create_job(JobKind.GENERATE, job.experiment)
    assert again.status == JobStatus.QUEUED


def test_heartbeats_keep_a_job_running_and_it_is_reaped_once_they_stop(
    reaping: MetadataClient,
) -> None:
    job = running_job(reaping)
    reporter = JobReporter(reaping, job.id)
    with reporter.heartbeats(0.2) as beat:
        time.sleep(TIMEOUT_S * 2.5)
        assert reaping.get_job(job.id).status == JobStatus.RUNNING
        assert beat.alive
    assert not beat.alive  # the thread ends with the block
    stopped = time.monotonic()
    failed = wait_for(reaping, job.id, ended)
    assert failed.status == JobStatus.FAILED
    assert time.monotonic() - stopped >= TIMEOUT_S - 0.3  # silent since the last heartbeat


def test_progress_reports_count_as_heartbeats(reaping: MetadataClient) -> None:
    job = running_job(reaping, JobKind.LOAD)
    reporter = JobReporter(reaping, job.id)
    reporter.stage(JobStage.LOAD)
    until = time.monotonic() + TIMEOUT_S * 2.5
    rows = 0
    while time.monotonic() < until:
        rows += 1
        reporter.tables({"orders": TableReport(rows_loaded=rows)}, force=True)
        time.sleep(0.2)
    assert reporter.succeed() is not None
    assert reaping.get_job(job.id).status == JobStatus.SUCCEEDED


def test_a_reaped_job_refuses_late_reports_and_stays_failed(reaping: MetadataClient) -> None:
    job = running_job(reaping)
    failed = wait_for(reaping, job.id, ended)
    assert failed.status == JobStatus.FAILED
    with pytest.raises(ConflictError, match=f"job {job.id} is failed: no heartbeat from its"):
        reaping.heartbeat(job.id)
    with pytest.raises(ConflictError):
        reaping.report_stage(job.id, JobStage.GENERATE)
    with pytest.raises(ConflictError):
        reaping.report_tables(job.id, {"orders": TableReport(rows_total=5)})
    with pytest.raises(ConflictError):
        reaping.transition(job.id, JobStatus.SUCCEEDED)
    # the worker's reporter sees it ended: its task stops
    reporter = JobReporter(reaping, job.id)
    with pytest.raises(JobFinishedError):
        reporter.stage(JobStage.STAGE)
    assert reporter.succeed() is None
    after = reaping.get_job(job.id)
    assert (after.status, after.error, after.finished_at) == (
        JobStatus.FAILED,
        failed.error,
        failed.finished_at,
    )


def test_the_heartbeat_thread_stops_and_says_so_when_the_job_is_reaped(
    reaping: MetadataClient,
) -> None:
    job = running_job(reaping)
    reporter = JobReporter(reaping, job.id)
    with reporter.heartbeats(TIMEOUT_S * 3) as beat:  # too seldom to keep it alive
        failed = wait_for(reaping, job.id, ended)
        assert failed.status == JobStatus.FAILED
        deadline = time.monotonic() + TIMEOUT_S * 3 + 5
        while beat.alive and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not beat.alive
        assert beat.ended == f"job {job.id} is failed: {failed.error}"
        with pytest.raises(JobFinishedError, match=f"job {job.id} is failed: no heartbeat"):
            reporter.check_active()


def test_queued_jobs_are_not_reaped(reaping: MetadataClient) -> None:
    experiment = make_experiment()
    reaping.create_experiment(experiment)
    job = reaping.create_job(JobKind.LOAD, experiment.name)
    time.sleep(TIMEOUT_S * 2.5)
    assert reaping.get_job(job.id).status == JobStatus.QUEUED


def test_a_running_job_whose_next_task_waits_in_the_queue_is_not_reaped(
    reaping: MetadataClient,
) -> None:
    """A generate job handing its load to a busy loader waits for a worker: not a fault."""
    job = running_job(reaping)
    app = make_celery("tests", DwsimSettings(redis_url=REDIS_URL))
    broker = redis.Redis.from_url(REDIS_URL)
    try:
        payload = LoadRunPayload(job_id=job.id, experiment=job.experiment, run_id="r1",
                                 continues_generate=True)  # fmt: skip
        send(app, TaskName.LOAD_RUN, payload)
        time.sleep(TIMEOUT_S * 2.5)
        assert reaping.get_job(job.id).status == JobStatus.RUNNING
        broker.delete(Queue.LOADER.value)  # the task is gone (no worker will ever take it)
        assert wait_for(reaping, job.id, ended).status == JobStatus.FAILED
    finally:
        from kombu import pools

        broker.close()
        pools.reset()
        app.close()


def start_run(client: MetadataClient, job: JobDetail) -> GenerationRun:
    run_id = f"{job.experiment}_r"
    return client.create_run(RunCreate(
        id=run_id, experiment=job.experiment, job_id=job.id, seed=1, chunk_rows=100,
        rows_requested={"customers": 100, "orders": 500},
        prefix=f"s3://dwsim/experiments/{job.experiment}/runs/{run_id}/",
    ))  # fmt: skip


def wait_run(client: MetadataClient, run_id: str) -> GenerationRun:
    deadline = time.monotonic() + TIMEOUT_S * 2 + 10
    while (run := client.get_run(run_id)).status == RunStatus.RUNNING:
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return run


def test_a_reaped_generate_job_ends_its_run_with_the_same_reason(reaping: MetadataClient) -> None:
    job = running_job(reaping)
    run = start_run(reaping, job)
    failed = wait_for(reaping, job.id, ended)
    assert failed.status == JobStatus.FAILED
    after = reaping.get_run(run.id)  # in the same transaction as the job: no wait
    assert (after.status, after.error) == (RunStatus.FAILED, failed.error)
    assert after.finished_at is not None


def test_a_run_its_cancelled_job_left_running_is_ended_a_timeout_later(
    reaping: MetadataClient,
) -> None:
    """The generator ends a cancelled job's run; if its finish task was lost, nobody would."""
    job = running_job(reaping)
    run = start_run(reaping, job)
    cancelled_at = time.monotonic()
    reaping.transition(job.id, JobStatus.CANCELLED)
    ended_run = wait_run(reaping, run.id)
    assert time.monotonic() - cancelled_at >= TIMEOUT_S - 0.1  # its worker had a timeout
    assert ended_run.status == RunStatus.CANCELLED
    assert ended_run.error is not None
    assert ended_run.error.startswith("its job was cancelled ")
    assert ended_run.error.endswith(
        "s ago and no generator worker ended the run (its last task was lost, e.g. with a "
        "Redis restart): the run is incomplete; a generator worker removes its staged objects "
        "(if none is running, they stay in S3 until the experiment is deleted)"
    )
    with pytest.raises(ConflictError, match=f"run {run.id} is cancelled; it cannot become"):
        reaping.update_run(run.id, status=RunStatus.FAILED)  # a late worker keeps out
    assert reaping.get_job(job.id).status == JobStatus.CANCELLED
    # the removal the lost task would have done went to the generator workers' queue (a worker
    # removing the parts: tests/generator_worker/test_discard.py); a worker of another test on
    # this Redis may have taken it already, else it is taken out here
    broker = redis.Redis.from_url(REDIS_URL)
    try:
        for raw in broker.lrange(Queue.GENERATOR.value, 0, -1):
            headers = json.loads(raw)["headers"]
            if headers["task"] == TaskName.GENERATE_DISCARD and run.id in headers["argsrepr"]:
                broker.lrem(Queue.GENERATOR.value, 0, raw)
    finally:
        broker.close()


def test_a_run_its_failed_job_left_running_ends_failed_and_keeps_its_objects(
    reaping: MetadataClient,
) -> None:
    job = running_job(reaping)
    run = start_run(reaping, job)
    reaping.transition(job.id, JobStatus.FAILED, error="the chunk task raised")
    ended_run = wait_run(reaping, run.id)
    assert ended_run.status == RunStatus.FAILED
    assert ended_run.error is not None
    assert ended_run.error.startswith("its job was failed ")
    assert ended_run.error.endswith(
        "the run is incomplete; its staged objects stay in S3 until the experiment is deleted"
    )


def test_a_run_whose_finish_task_waits_in_the_queue_is_left_to_it(reaping: MetadataClient) -> None:
    job = running_job(reaping)
    run = start_run(reaping, job)
    app = make_celery("tests", DwsimSettings(redis_url=REDIS_URL))
    broker = redis.Redis.from_url(REDIS_URL)
    try:
        payload = GenerateFinishPayload(job_id=job.id, experiment=job.experiment, run_id=run.id)
        send(app, TaskName.GENERATE_FINISH, payload)
        reaping.transition(job.id, JobStatus.CANCELLED)
        time.sleep(TIMEOUT_S * 2.5)
        assert reaping.get_run(run.id).status == RunStatus.RUNNING
        broker.delete(Queue.GENERATOR.value)  # the task is gone (no worker will ever take it)
        assert wait_run(reaping, run.id).status == RunStatus.CANCELLED
    finally:
        from kombu import pools

        broker.close()
        pools.reset()
        app.close()


def test_after_a_restart_workers_get_a_whole_timeout_to_be_heard_again(tmp_path: Path) -> None:
    """Heartbeats sent while the service was down were lost: that silence is not the worker's."""
    db_url = f"sqlite:///{tmp_path / 'metadata.db'}"
    with metadata_server(db_url, tmp_path, **REAPING) as url, MetadataClient(url) as client:
        job = running_job(client)
    time.sleep(TIMEOUT_S * 2)  # the service is down: the job's heartbeats do not arrive
    with metadata_server(db_url, tmp_path, **REAPING) as url, MetadataClient(url) as client:
        started = time.monotonic()
        with JobReporter(client, job.id).heartbeats(0.2):
            time.sleep(TIMEOUT_S * 2)
            assert client.get_job(job.id).status == JobStatus.RUNNING
        failed = wait_for(client, job.id, ended)
        assert failed.status == JobStatus.FAILED
        assert time.monotonic() - started >= TIMEOUT_S * 2  # only once it was silent again
