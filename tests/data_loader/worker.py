"""A real loader worker (the launcher's command line) and a client that drives jobs through it."""

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from dwsim_shared.celery_app import make_celery, send
from dwsim_shared.contracts.enums import JobKind
from dwsim_shared.contracts.jobs import JobDetail
from dwsim_shared.contracts.tasks import TaskName, TaskPayload
from dwsim_shared.metadata_client import MetadataClient
from dwsim_shared.settings import DwsimSettings
from tests.fixtures.servers import bin_path

WORKER_APP = "dwsim_loader.worker"
WORKER_COMMAND = ["worker", "-Q", "dwsim.loader", "-c", "1"]
JOB_TIMEOUT_S = 90.0  # the first job also waits for the worker to start


@contextmanager
def loader_worker(
    env: dict[str, str], log_file: Path, app: str = WORKER_APP
) -> Iterator[subprocess.Popen]:
    """``celery -A dwsim_loader.worker worker -Q dwsim.loader -c 1`` until the block ends
    (``app``: a module that swaps part of the loader, to inject a fault)."""
    with open(log_file, "wb") as log:
        proc = subprocess.Popen(
            [
                bin_path("celery"),
                "-A",
                app,
                *WORKER_COMMAND,
                "--without-gossip",
                "--without-mingle",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
            start_new_session=True,
        )
        try:
            yield proc
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@dataclass
class Jobs:
    """Creates jobs in the metadata service and enqueues their tasks, as the gateway does."""

    metadata: MetadataClient
    redis_url: str
    log_file: Path

    def __post_init__(self) -> None:
        self.app = make_celery("dwsim-test", DwsimSettings(redis_url=self.redis_url))

    def create(self, kind: JobKind, experiment: str, run_id: str | None = None) -> JobDetail:
        return self.metadata.create_job(kind, experiment, run_id=run_id)

    def send(self, name: TaskName, payload: TaskPayload | dict) -> None:
        if isinstance(payload, dict):  # a payload the model would refuse: sent as it is
            self.app.send_task(name.value, args=[payload], queue=name.queue.value)
        else:
            send(self.app, name, payload)

    def run(self, name: TaskName, kind: JobKind, experiment: str, **fields) -> JobDetail:
        job = self.create(kind, experiment, run_id=fields.get("run_id"))
        self.send(name, name.payload(job_id=job.id, experiment=experiment, **fields))
        return self.wait(job.id)

    def wait(self, job_id: UUID, timeout: float = JOB_TIMEOUT_S) -> JobDetail:
        """The job once it has finished (succeeded, failed or cancelled)."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.metadata.get_job(job_id)
            if job.status.is_terminal:
                return job
            if time.monotonic() > deadline:
                tail = self.log_file.read_text(errors="replace")[-3000:]
                raise AssertionError(f"job {job_id} still {job.status}; worker log:\n{tail}")
            time.sleep(0.1)
