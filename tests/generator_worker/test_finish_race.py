"""A cancel that lands while the run is being finished (its manifests written, the run about to
be completed): either the cancel wins, and the run is not completed and everything it staged is
removed, or the completion wins, and the cancel is refused (or, with a load to follow, cancels
the load and keeps the whole run). Played in-process against the real metadata service and S3,
in both orders; the cancel is made by a second client at the exact moment."""

import pytest

from dwsim_generator.service import Finish
from dwsim_shared.contracts.enums import JobStage, JobStatus, RunStatus
from dwsim_shared.contracts.jobs import GenerationRun
from dwsim_shared.contracts.metadata import RunCompletion
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.metadata_client import ConflictError, MetadataClient
from tests.generator_worker.conftest import Stack, staged_run


class CancelFirst(MetadataClient):
    """The generator's client; another client cancels the job right before it completes the
    run: after the manifests are written and the job was last read as running."""

    def __init__(self, url: str, canceller: MetadataClient):
        super().__init__(url)
        self.canceller = canceller

    def complete_run(self, run_id: str, body: RunCompletion) -> GenerationRun:
        self.canceller.transition(self.get_run(run_id).job_id, JobStatus.CANCELLED)
        return super().complete_run(run_id, body)


@pytest.mark.parametrize("load", [False, True], ids=["generate only", "then load"])
def test_a_cancel_just_before_the_run_completes_wins(stack: Stack, load: bool) -> None:
    client = CancelFirst(stack.metadata_url, stack.client)
    service, finish = staged_run(stack, client, load)
    prefix = RunLayout(finish.experiment, finish.run_id).prefix
    assert stack.objects(prefix)  # the parts are staged

    assert service.finish_run(finish) == Finish.SKIPPED  # no load is enqueued

    run = stack.client.get_run(finish.run_id)
    assert run.status == RunStatus.CANCELLED  # not completed: nothing can load it
    assert run.error == (
        "the job was cancelled; the run is incomplete and its staged objects were removed"
    )
    assert stack.objects(prefix) == {}  # the manifests written before the cancel too
    assert stack.client.get_job(finish.job_id).status == JobStatus.CANCELLED
    client.close()


def test_a_cancel_just_after_the_run_completes_is_refused(stack: Stack) -> None:
    service, finish = staged_run(stack)
    assert service.finish_run(finish) == Finish.SUCCEEDED

    with pytest.raises(ConflictError, match="cannot go from succeeded to cancelled"):
        stack.client.transition(finish.job_id, JobStatus.CANCELLED)
    job = stack.client.get_job(finish.job_id)
    assert job.status == JobStatus.SUCCEEDED
    assert {"generate", "stage"} <= set(job.progress.timings)
    run = stack.client.get_run(finish.run_id)
    assert run.status == RunStatus.COMPLETED
    prefix = RunLayout(finish.experiment, finish.run_id).prefix
    assert f"{prefix}manifest.json" in stack.objects(prefix)


def test_a_cancel_after_the_run_completes_with_a_load_to_follow_cancels_the_load(
    stack: Stack,
) -> None:
    service, finish = staged_run(stack, load=True)
    assert service.finish_run(finish) == Finish.LOAD
    job = stack.client.get_job(finish.job_id)
    assert (job.status, job.progress.stage) == (JobStatus.RUNNING, JobStage.LOAD)

    assert stack.client.transition(finish.job_id, JobStatus.CANCELLED).status == "cancelled"
    run = stack.client.get_run(finish.run_id)
    assert run.status == RunStatus.COMPLETED  # whole: it can be loaded again
    prefix = RunLayout(finish.experiment, finish.run_id).prefix
    assert f"{prefix}manifest.json" in stack.objects(prefix)
