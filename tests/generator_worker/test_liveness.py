"""A generator worker killed for good: its job ends failed, by the metadata service's reaper.

Nothing redelivers the killed worker's task within the test (the broker's visibility timeout
is 600 s) and the job has no other task waiting for a worker: without the reaper it would stay
running. The metadata service here reaps jobs
silent for ``TIMEOUT_S``; the worker sends a heartbeat every ``HEARTBEAT_S``.
"""

import os
import signal
import time
from collections.abc import Iterator

import pytest

from dwsim_shared.contracts.enums import JobStage, JobStatus
from tests.fixtures.metadata import metadata_server
from tests.fixtures.s3 import S3Server
from tests.generator_worker.conftest import Stack, shop

TIMEOUT_S = 3.0
REAPER_S = 0.3
HEARTBEAT_S = 0.3


@pytest.fixture(scope="module")
def reaping_stack(
    broker: str, s3_server: S3Server, bucket: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp("liveness")
    db_url = f"sqlite:///{data_dir / 'metadata.db'}"
    with metadata_server(db_url, data_dir, redis_url=broker, job_heartbeat_timeout_s=TIMEOUT_S,
                         job_reaper_interval_s=REAPER_S) as url:  # fmt: skip
        stack = Stack(broker, url, s3_server, bucket)
        try:
            yield stack
        finally:
            stack.close()


def test_a_job_whose_worker_is_killed_for_good_ends_failed(reaping_stack: Stack) -> None:
    stack = reaping_stack
    customers = shop("customers").tables[0]  # one table of one chunk: one task holds the job
    name = stack.new_experiment(shop("one").model_copy(update={"tables": [customers]}))
    app = "tests.generator_worker.slow_worker"
    with stack.workers(app=app, job_heartbeat_interval_s=HEARTBEAT_S) as logs:
        (stats,) = stack.app.control.inspect(timeout=5).stats().values()
        payload = stack.generate(name, rows={"customers": 300}, chunk_rows=1000, load=False)
        stack.wait_for_log(logs[0], '"test.chunk_holding"')
        time.sleep(TIMEOUT_S * 2)  # its heartbeat keeps the job running past the timeout
        job = stack.client.get_job(payload.job_id)
        assert (job.status, job.progress.stage) == (JobStatus.RUNNING, JobStage.GENERATE)

        os.killpg(stats["pid"], signal.SIGKILL)  # the worker and its processes, for good
        killed = time.monotonic()
        job = stack.wait(payload.job_id)
        waited = time.monotonic() - killed
    assert job.status == JobStatus.FAILED
    assert job.error is not None
    assert job.error.startswith("no heartbeat from its worker for ")
    assert "start the generate job again" in job.error
    assert TIMEOUT_S - HEARTBEAT_S <= waited <= TIMEOUT_S + REAPER_S + 3.0
