"""A cancelled job whose run no worker ended (the task that would have removed its parts was
lost, e.g. with a Redis that keeps nothing): the metadata service's reaper ends the run
cancelled a timeout later and hands it to a generator worker, which removes what it staged.
Against the real servers: a metadata service that reaps after ``TIMEOUT_S``, Redis, moto's S3
and a generator worker."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dwsim_shared.contracts.enums import JobStatus, RunStatus
from dwsim_shared.contracts.s3layout import RunLayout
from tests.fixtures.metadata import metadata_server
from tests.fixtures.s3 import S3Server
from tests.generator_worker.conftest import WAIT_S, Stack, staged_run

TIMEOUT_S = 5.0  # longer than staging the run takes: its job is not reaped before the cancel


@pytest.fixture
def reaping_stack(broker: str, s3_server: S3Server, bucket: str, tmp_path: Path) -> Iterator[Stack]:
    with metadata_server(f"sqlite:///{tmp_path / 'metadata.db'}", tmp_path, redis_url=broker,
                         job_heartbeat_timeout_s=TIMEOUT_S,
                         job_reaper_interval_s=0.2) as url:  # fmt: skip
        stack = Stack(broker, url, s3_server, bucket)
        try:
            yield stack
        finally:
            stack.close()


def test_a_cancelled_run_left_behind_has_its_parts_removed_by_a_worker(
    reaping_stack: Stack,
) -> None:
    stack = reaping_stack
    _, finish = staged_run(stack)  # staged in-process: no task of the job is in the broker
    prefix = RunLayout(finish.experiment, finish.run_id).prefix
    assert len(stack.objects(prefix)) == 7
    stack.client.transition(finish.job_id, JobStatus.CANCELLED)  # and no finish ever runs
    with stack.workers():
        deadline = time.monotonic() + WAIT_S
        while stack.s3_client.list_objects_v2(Bucket=stack.bucket, Prefix=prefix)["KeyCount"]:
            # (keys only: reading the bodies races the removal, a key listed then gone)
            assert time.monotonic() < deadline, "the cancelled run's parts are still in S3"
            time.sleep(0.2)
    run = stack.client.get_run(finish.run_id)
    assert run.status == RunStatus.CANCELLED
    assert run.error is not None
    assert "a generator worker removes its staged objects" in run.error
    assert stack.client.get_job(finish.job_id).status == JobStatus.CANCELLED
