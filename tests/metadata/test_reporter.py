"""JobReporter (what workers use) against the real service: a cancelled job stops the worker."""

import time

import pytest

from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus
from dwsim_shared.contracts.metadata import TableReport
from dwsim_shared.metadata_client import MetadataClient
from dwsim_shared.reporter import JobFinishedError, JobReporter


def test_a_job_reported_through_to_success(client: MetadataClient, experiment) -> None:
    job = client.create_job(JobKind.LOAD, experiment.name)
    reporter = JobReporter(client, job.id)
    assert reporter.start(JobStage.LOAD).status == JobStatus.RUNNING
    reporter.tables({"orders": TableReport(rows_total=500, rows_loaded=500)}, force=True)
    done = reporter.succeed()
    assert done is not None
    assert done.status == JobStatus.SUCCEEDED
    assert done.progress.tables["orders"].rows_loaded == 500
    assert set(done.progress.timings) == {"load"}


@pytest.mark.parametrize(
    "after_cancel",
    [
        lambda r: r.stage(JobStage.LOAD),
        lambda r: r.finish_stage(),
        lambda r: r.tables({"orders": TableReport(rows_loaded=1)}, force=True),
        lambda r: r.check_active(),
    ],
    ids=["stage", "finish_stage", "tables", "check_active"],
)
def test_reports_after_cancel_raise_job_finished(client, experiment, after_cancel) -> None:
    job = client.create_job(JobKind.GENERATE, experiment.name)
    reporter = JobReporter(client, job.id)
    reporter.start(JobStage.PLAN)
    client.transition(job.id, JobStatus.CANCELLED)
    with pytest.raises(JobFinishedError, match=f"job {job.id} is cancelled"):
        after_cancel(reporter)


@pytest.mark.parametrize("end", ["succeed", "fail"])
def test_ending_a_cancelled_job_keeps_it_cancelled(client, experiment, end) -> None:
    job = client.create_job(JobKind.GENERATE, experiment.name)
    reporter = JobReporter(client, job.id)
    reporter.start(JobStage.PLAN)
    reporter.tables({"orders": TableReport(rows_total=5)})  # left pending, flushed on succeed
    client.transition(job.id, JobStatus.CANCELLED)
    result = reporter.succeed() if end == "succeed" else reporter.fail(RuntimeError("boom"))
    assert result is None
    assert client.get_job(job.id).status == JobStatus.CANCELLED


def test_start_on_a_cancelled_job_raises(client: MetadataClient, experiment) -> None:
    job = client.create_job(JobKind.GENERATE, experiment.name)
    client.transition(job.id, JobStatus.CANCELLED)
    with pytest.raises(JobFinishedError):
        JobReporter(client, job.id).start(JobStage.PLAN)


def test_the_heartbeat_stops_with_the_task(client: MetadataClient, experiment) -> None:
    job = client.create_job(JobKind.LOAD, experiment.name)
    reporter = JobReporter(client, job.id)
    with reporter.heartbeats(0.05) as beat:
        reporter.start(JobStage.LOAD)
        time.sleep(0.3)
        assert beat.alive
        assert reporter.succeed() is not None
    assert not beat.alive
    assert beat.ended is None or beat.ended.startswith(f"job {job.id} is succeeded")
    assert client.get_job(job.id).status == JobStatus.SUCCEEDED


def test_the_heartbeat_tells_the_task_its_job_was_cancelled(client, experiment) -> None:
    job = client.create_job(JobKind.LOAD, experiment.name)
    reporter = JobReporter(client, job.id)
    with reporter.heartbeats(0.05) as beat:
        reporter.start(JobStage.LOAD)
        client.transition(job.id, JobStatus.CANCELLED)
        deadline = time.monotonic() + 5
        while beat.alive and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not beat.alive  # it stopped by itself, the task still working
        assert beat.ended == f"job {job.id} is cancelled"
        with pytest.raises(JobFinishedError, match=f"job {job.id} is cancelled; stopping"):
            reporter.check_active()
    assert client.get_job(job.id).status == JobStatus.CANCELLED


def test_a_cancel_stops_the_statement_armed_in_stopping_within_the_check(
    client: MetadataClient, experiment
) -> None:
    """Heartbeats every 60 s, checks every 0.1 s inside ``stopping``: the stop comes from the
    check, again at each later one while the block runs, and never after it."""
    job = client.create_job(JobKind.LOAD, experiment.name)
    reporter = JobReporter(client, job.id)
    stops: list[float] = []
    with reporter.heartbeats(60, check_s=0.1):
        reporter.start(JobStage.LOAD)
        with reporter.stopping(lambda: stops.append(time.monotonic())):
            client.transition(job.id, JobStatus.CANCELLED)
            cancelled_at = time.monotonic()
            deadline = cancelled_at + 5
            while len(stops) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert len(stops) >= 2, stops  # a stop between two statements is sent again
            assert stops[0] - cancelled_at < 2.0
        after = len(stops)
        time.sleep(0.3)
        assert len(stops) == after  # disarmed with the block
        with pytest.raises(JobFinishedError, match="is cancelled"):
            reporter.check_active()


def test_stopping_entered_after_the_job_ended_stops_at_once(
    client: MetadataClient, experiment
) -> None:
    job = client.create_job(JobKind.LOAD, experiment.name)
    reporter = JobReporter(client, job.id)
    stops: list[str] = []
    with reporter.heartbeats(0.05) as beat:
        reporter.start(JobStage.LOAD)
        client.transition(job.id, JobStatus.CANCELLED)
        deadline = time.monotonic() + 5
        while beat.alive and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not beat.alive  # it saw the cancel and returned: nothing was armed
        with reporter.stopping(lambda: stops.append("stop")):
            assert stops == ["stop"]


def test_without_heartbeats_stopping_watches_nothing(client: MetadataClient, experiment) -> None:
    job = client.create_job(JobKind.LOAD, experiment.name)
    reporter = JobReporter(client, job.id)  # as in ``dwsim load``: no job to watch
    with reporter.stopping(lambda: pytest.fail("stopped without a heartbeat")):
        client.transition(job.id, JobStatus.CANCELLED)
