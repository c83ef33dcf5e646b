"""Redis (the broker and result backend), or the metadata service, restarted in the middle of a
generate job: the job ends, never stays running, and the next job succeeds.

A restarted Redis that keeps nothing on disk (as the stack's own) has lost the job's queued
chunks and its chord's counter: the job cannot finish. The metadata service's reaper fails it
once no worker has sent its heartbeat for ``TIMEOUT_S``; the workers reconnect. A Redis that
keeps an append-only file loses nothing: the job goes on and succeeds. A restarted
metadata service loses nothing: the chunk tasks retry their reports until it answers again.
"""

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

import pytest

from dwsim_shared.contracts.enums import JobStatus
from tests.fixtures.metadata import metadata_server
from tests.fixtures.s3 import S3Server
from tests.fixtures.servers import free_port, wait_for_port
from tests.generator_worker.conftest import Stack

TIMEOUT_S = 3.0
REAPER_S = 0.3
HEARTBEAT_S = 0.3
ROWS = {"customers": 600, "orders": 1400, "order_lines": 2400}
CHUNK_ROWS = 200  # 22 chunks of 0.3 s each, one at a time: about 7 s


class RedisServer:
    """A redis-server of the test's own on a fixed port, that a test can restart: one that
    keeps nothing on disk (as the stack's own), or (``data_dir``) one that keeps an
    append-only file there (as a deployment's Redis should, docs/deploy.md)."""

    def __init__(self, port: int, data_dir: Path | None = None):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.data_dir = data_dir
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        program = shutil.which("redis-server")
        if program is None:
            pytest.skip("redis-server is not installed")
        command = [program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--daemonize", "no", "--appendonly"]  # fmt: skip
        if self.data_dir is None:
            command.append("no")
        else:
            self.data_dir.mkdir(exist_ok=True)
            command += ["yes", "--appendfsync", "everysec", "--dir", str(self.data_dir)]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        wait_for_port(self.port, proc=self.proc)

    def stop(self, crash: bool = True) -> None:
        """Killed (a crash: what is not on disk is lost), or stopped as a service is."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill() if crash else self.proc.terminate()
            self.proc.wait()


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def restartable() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture
def redis_stack(
    restartable: RedisServer,
    s3_server: S3Server,
    bucket: str,
    tmp_path: Path,
) -> Iterator[Stack]:
    db_url = f"sqlite:///{tmp_path / 'metadata.db'}"
    with metadata_server(db_url, tmp_path, redis_url=restartable.url,
                         job_heartbeat_timeout_s=TIMEOUT_S,
                         job_reaper_interval_s=REAPER_S) as url:  # fmt: skip
        stack = Stack(restartable.url, url, s3_server, bucket)
        try:
            yield stack
        finally:
            stack.close()


def test_a_job_across_a_redis_restart_ends_and_the_next_one_succeeds(
    redis_stack: Stack, restartable: RedisServer
) -> None:
    stack = redis_stack
    name = stack.new_experiment()
    app = "tests.generator_worker.paced_worker"
    with stack.workers(app=app, job_heartbeat_interval_s=HEARTBEAT_S, test_chunk_pause_s=0.3):
        payload = stack.generate(name, rows=ROWS, chunk_rows=CHUNK_ROWS, load=False)
        job = stack.wait(payload.job_id, until=lambda j: j.progress.rows_done > 0)
        assert job.status == JobStatus.RUNNING

        restartable.stop()
        time.sleep(1.0)
        restartable.start()
        job = stack.wait(payload.job_id)
        assert job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
        if job.status == JobStatus.FAILED:
            assert job.error is not None
            assert job.error.startswith("no heartbeat from its worker for "), job.error
            assert "the job's tasks were lost with the broker (Redis restarted)" in job.error
            assert "start the generate job again" in job.error

        # the workers are back on the restarted Redis: a new job runs to its end
        again = stack.generate(name, rows={"customers": 200, "orders": 200, "order_lines": 200},
                               chunk_rows=CHUNK_ROWS, load=False)  # fmt: skip
        done = stack.wait(again.job_id)
        assert done.status == JobStatus.SUCCEEDED, done.error


def test_a_job_across_a_restart_of_a_redis_that_keeps_its_data_succeeds(
    s3_server: S3Server, bucket: str, tmp_path: Path
) -> None:
    """A Redis with an append-only file (as docs/deploy.md asks of a deployment's), stopped in
    the middle of a run and started again: the job's queued chunks and its chord's counter are
    still there, the workers reconnect, and the job succeeds with every part staged once."""
    server = RedisServer(free_port(), data_dir=tmp_path / "redis")
    server.start()
    db_url = f"sqlite:///{tmp_path / 'metadata.db'}"
    with ExitStack() as running:
        running.callback(server.stop)
        url = running.enter_context(metadata_server(
            db_url, tmp_path, redis_url=server.url, job_heartbeat_timeout_s=TIMEOUT_S,
            job_reaper_interval_s=REAPER_S))  # fmt: skip
        stack = Stack(server.url, url, s3_server, bucket)
        running.callback(stack.close)
        name = stack.new_experiment()
        running.enter_context(stack.workers(app="tests.generator_worker.paced_worker",
                                            job_heartbeat_interval_s=HEARTBEAT_S,
                                            test_chunk_pause_s=0.3))  # fmt: skip
        payload = stack.generate(name, rows=ROWS, chunk_rows=CHUNK_ROWS, load=False)
        job = stack.wait(payload.job_id, until=lambda j: j.progress.rows_done > 0)
        assert job.status == JobStatus.RUNNING

        server.stop(crash=False)
        time.sleep(1.0)
        server.start()
        job = stack.wait(payload.job_id)
        assert job.status == JobStatus.SUCCEEDED, job.error
        assert {t: p.rows_done for t, p in job.progress.tables.items()} == ROWS
        parts = stack.client.list_parts(job.run_id)
        assert sorted((p.table, p.chunk) for p in parts) == sorted(
            (t, c) for t, rows in ROWS.items() for c in range(-(-rows // CHUNK_ROWS))
        )


def test_a_job_across_a_metadata_service_restart_succeeds(
    restartable: RedisServer, s3_server: S3Server, bucket: str, tmp_path: Path
) -> None:
    port = free_port()

    def metadata() -> AbstractContextManager[str]:
        return metadata_server(f"sqlite:///{tmp_path / 'metadata.db'}", tmp_path,
                               redis_url=restartable.url, port=port,
                               job_heartbeat_timeout_s=TIMEOUT_S,
                               job_reaper_interval_s=REAPER_S)  # fmt: skip

    app = "tests.generator_worker.paced_worker"
    with ExitStack() as running:
        first = running.enter_context(ExitStack())
        url = first.enter_context(metadata())
        stack = Stack(restartable.url, url, s3_server, bucket)
        running.callback(stack.close)
        name = stack.new_experiment()
        running.enter_context(
            stack.workers(app=app, job_heartbeat_interval_s=HEARTBEAT_S, test_chunk_pause_s=0.3)
        )
        payload = stack.generate(name, rows=ROWS, chunk_rows=CHUNK_ROWS, load=False)
        job = stack.wait(payload.job_id, until=lambda j: j.progress.rows_done > 0)
        assert job.status == JobStatus.RUNNING

        first.close()  # stopped (SIGTERM), started again on the same port and database
        time.sleep(1.0)  # down for longer than a chunk: reports fail and are retried
        running.enter_context(metadata())
        job = stack.wait(payload.job_id)
        assert job.status == JobStatus.SUCCEEDED, job.error
        assert {t: p.rows_done for t, p in job.progress.tables.items()} == ROWS
