"""The finish checks S3 before it writes a manifest: a part the run reported but S3 no longer
holds as it was written (an S3 server restarted with its objects in memory, an object deleted
or replaced under the run) fails the job naming each such part, and no manifest is written,
so nothing can load a run that is not whole. In-process against the real metadata service and
moto's S3 server."""

import pytest

from dwsim_shared.contracts.enums import JobStatus, RunStatus
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.errors import DwsimError
from tests.generator_worker.conftest import STAGED_ROWS, Stack, staged_run


def test_a_part_gone_or_changed_in_s3_fails_the_finish_and_no_manifest_is_written(
    stack: Stack,
) -> None:
    service, finish = staged_run(stack)
    layout = RunLayout(finish.experiment, finish.run_id)
    stack.s3_client.delete_object(Bucket=stack.bucket, Key=layout.part_key("orders", 1))
    stack.s3_client.put_object(Bucket=stack.bucket, Key=layout.part_key("customers", 0),
                               Body=b"not the part")  # fmt: skip

    with pytest.raises(DwsimError) as raised:
        service.finish_run(finish)

    message = str(raised.value)
    assert f"run {finish.run_id}: S3 at {stack.s3.endpoint_url} no longer holds 2 of the " \
        "run's 7 staged parts as they were written: " in message  # fmt: skip
    assert f"{RunLayout.relative_part('orders', 1)} (missing)" in message
    assert f"{RunLayout.relative_part('customers', 0)} (12 bytes, written " in message
    assert "order_lines" not in message  # the parts that are whole are not named
    assert "no manifest was written: generate again" in message
    manifests = {layout.manifest_key, *(layout.redshift_manifest_key(t) for t in STAGED_ROWS)}
    assert manifests.isdisjoint(stack.objects(layout.prefix))

    service.fail(finish, raised.value)  # what the finish task does with the error
    job = stack.client.get_job(finish.job_id)
    assert (job.status, job.error) == (JobStatus.FAILED, message)
    run = stack.client.get_run(finish.run_id)
    assert (run.status, run.error) == (RunStatus.FAILED, message)


def test_a_whole_run_passes_the_check(stack: Stack) -> None:
    service, finish = staged_run(stack)
    service.finish_run(finish)
    layout = RunLayout(finish.experiment, finish.run_id)
    assert layout.manifest_key in stack.objects(layout.prefix)
    assert stack.client.get_run(finish.run_id).status == RunStatus.COMPLETED
