"""A cancel that lands while the run is being finished (its manifests written, the run about to
be completed): either the cancel wins, and the run is not completed and everything it staged is
removed, or the completion wins, and the cancel is refused (or, with a load to follow, cancels
the load and keeps the whole run). Played in-process against the real metadata service and S3,
in both orders; the cancel is made by a second client at the exact moment."""

import pytest

from dwsim_generator.config import Settings
from dwsim_generator.service import Finish, GeneratorService
from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus, RunStatus
from dwsim_shared.contracts.jobs import GenerationRun
from dwsim_shared.contracts.metadata import RunCompletion
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.tasks import (
    GenerateChunkPayload,
    GenerateFinishPayload,
    GenerateRunPayload,
)
from dwsim_shared.metadata_client import ConflictError, MetadataClient
from tests.generator_worker.conftest import Stack

ROWS = {"customers": 50, "orders": 80, "order_lines": 100}


class CancelFirst(MetadataClient):
    """The generator's client; another client cancels the job right before it completes the
    run: after the manifests are written and the job was last read as running."""

    def __init__(self, url: str, canceller: MetadataClient):
        super().__init__(url)
        self.canceller = canceller

    def complete_run(self, run_id: str, body: RunCompletion) -> GenerationRun:
        self.canceller.transition(self.get_run(run_id).job_id, JobStatus.CANCELLED)
        return super().complete_run(run_id, body)


def staged_run(stack: Stack, client: MetadataClient | None = None, load: bool = False):
    """A generate job whose chunks are all staged, its finish not yet run: (service, payload)."""
    name = stack.new_experiment()
    run_id = f"{name}_run"
    job = stack.client.create_job(JobKind.GENERATE, name, run_id=run_id)
    settings = Settings(s3_endpoint_url=stack.s3.endpoint_url, s3_bucket=stack.bucket,
                        aws_access_key_id=stack.s3.access_key,
                        aws_secret_access_key=stack.s3.secret_key, s3_region=stack.s3.region,
                        metadata_url=stack.metadata_url)  # fmt: skip
    service = GeneratorService(settings, client=client)
    tasks = service.start_run(GenerateRunPayload(job_id=job.id, experiment=name, run_id=run_id,
                                                 rows=ROWS, chunk_rows=40, load=load))  # fmt: skip
    for table, chunk in tasks:
        assert service.make_chunk(GenerateChunkPayload(job_id=job.id, experiment=name,
                                  run_id=run_id, table=table, chunk=chunk))  # fmt: skip
    return service, GenerateFinishPayload(job_id=job.id, experiment=name, run_id=run_id,
                                          load=load)  # fmt: skip


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
