"""The S3 server unreachable for a while during a generate job: the workers write their parts
through a TCP proxy in front of moto's S3 server (tests/fixtures/tcp_proxy.py), which the test
cuts and restores while parts are being written; the S3 server itself keeps its objects.

- A short outage (3 s, connections refused and reset) is waited out: botocore retries each
  request with backoff (DWSIM_S3_MAX_ATTEMPTS), then Celery the chunk task; no part is
  written during the outage, and the job succeeds with every row, its run complete.
- A long one (S3 accepts connections and never answers) fails the job within a bounded time
  (DWSIM_GENERATOR_S3_OUTAGE_S after the first failed write, whatever the number of chunks),
  its error naming S3, the endpoint and the part; the run ends failed, with no manifest, so
  nothing can load it.
"""

import time
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from dwsim_shared.contracts.enums import JobStatus, RunStatus
from dwsim_shared.contracts.s3layout import RunLayout
from tests.fixtures.s3 import S3Server
from tests.fixtures.tcp_proxy import Outage, TcpProxy, tcp_proxy
from tests.generator_worker.conftest import Stack
from tests.generator_worker.test_cancel import CHUNK_ROWS, ROWS, wait_run

PACED = "tests.generator_worker.paced_worker"
SHORT_OUTAGE_S = 3.0
# a request that gets no answer gives up after 1 s and is tried twice; a chunk task whose
# write failed so is retried by Celery with backoff while its process has found S3
# unreachable for less than 10 s; then the job fails
IMPATIENT = {"s3_connect_timeout_s": 1, "s3_read_timeout_s": 1, "s3_max_attempts": 2,
             "generator_s3_outage_s": 10}  # fmt: skip
LONG_OUTAGE_BOUND_S = 45  # 10 s, then one chunk task's attempt and its Celery countdown


@pytest.fixture(scope="module")
def proxy(s3_server: S3Server) -> Iterator[TcpProxy]:
    with tcp_proxy(urlparse(s3_server.endpoint_url).port) as running:
        yield running


def _parts(stack: Stack, prefix: str) -> list[str]:
    return sorted(k for k in stack.objects(prefix) if k.endswith(".parquet"))


def test_a_short_s3_outage_while_parts_are_written_is_waited_out(
    stack: Stack, proxy: TcpProxy
) -> None:
    with stack.workers(concurrency=2, app=PACED, s3_endpoint_url=proxy.url,
                       test_chunk_pause_s=0.3):  # fmt: skip
        name = stack.new_experiment()
        payload = stack.generate(name, rows=ROWS, chunk_rows=CHUNK_ROWS, load=False)
        stack.wait(payload.job_id, until=lambda j: j.progress.rows_done > 0)
        proxy.cut(Outage.REFUSE)
        try:
            time.sleep(0.5)  # a report of an upload done just before the cut may land
            before = stack.client.get_job(payload.job_id)
            time.sleep(SHORT_OUTAGE_S - 0.5)
            during = stack.client.get_job(payload.job_id)
        finally:
            proxy.restore()
        assert during.status == JobStatus.RUNNING  # waiting for S3, not failed
        assert during.progress.rows_done == before.progress.rows_done  # no part went up
        assert during.progress.rows_done < sum(ROWS.values())
        job = stack.wait(payload.job_id)

    assert job.status == JobStatus.SUCCEEDED, job.error
    run = stack.client.get_run(payload.run_id)
    assert run.status == RunStatus.COMPLETED
    assert run.rows == ROWS
    prefix = RunLayout(name, payload.run_id).prefix
    chunks = sum(-(-rows // CHUNK_ROWS) for rows in ROWS.values())
    assert len(_parts(stack, prefix)) == chunks
    assert f"{prefix}manifest.json" in stack.objects(prefix)


def test_a_long_s3_outage_fails_the_job_naming_s3_and_no_run_is_completed(
    stack: Stack, proxy: TcpProxy
) -> None:
    with stack.workers(concurrency=2, app=PACED, s3_endpoint_url=proxy.url,
                       test_chunk_pause_s=0.3, **IMPATIENT):  # fmt: skip
        name = stack.new_experiment()
        payload = stack.generate(name, rows=ROWS, chunk_rows=CHUNK_ROWS, load=False)
        stack.wait(payload.job_id, until=lambda j: j.progress.rows_done > 0)
        proxy.cut(Outage.BLACKHOLE)  # connections accepted, nothing ever answered
        cut_at = time.monotonic()
        try:
            job = _wait_ended(stack, payload.job_id, LONG_OUTAGE_BOUND_S + 30)
            took = time.monotonic() - cut_at
            run = wait_run(stack, payload.run_id)
        finally:
            proxy.restore()

    assert job.status == JobStatus.FAILED
    prefix = RunLayout(name, payload.run_id).prefix
    assert job.error.startswith(
        f"S3 at {proxy.url} (DWSIM_S3_ENDPOINT_URL) did not answer while writing "
        f"s3://{stack.bucket}/{prefix}"
    ), job.error
    assert ".parquet: ReadTimeoutError: Read timeout on endpoint URL" in job.error
    assert took < LONG_OUTAGE_BOUND_S, f"the job failed {took:.0f} s after the outage began"
    assert run.status == RunStatus.FAILED  # never completed: nothing can load it
    assert f"{prefix}manifest.json" not in stack.objects(prefix)
    assert run.id not in [r.id for r in stack.client.list_runs(name)
                          if r.status == RunStatus.COMPLETED]  # fmt: skip


def _wait_ended(stack: Stack, job_id, timeout: float):
    deadline = time.monotonic() + timeout
    while not (job := stack.client.get_job(job_id)).status.is_terminal:
        assert time.monotonic() < deadline, f"job still {job.status} {timeout:.0f} s later"
        time.sleep(0.2)
    return job
