"""A loader worker subprocess over the real servers, with what its tests need beside it: the
metadata client, the job runner and the loader's own service (for staging runs)."""

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dwsim_loader.config import Settings
from dwsim_loader.local_run import read_run, stage
from dwsim_loader.service import LoaderService
from dwsim_shared.contracts.enums import JobKind, JobStatus, Warehouse
from dwsim_shared.contracts.jobs import JobDetail
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.tasks import TaskName
from dwsim_shared.metadata_client import MetadataClient
from tests.data_loader.worker import WORKER_APP, Jobs, loader_worker
from tests.fixtures.redis import REDIS_URL
from tests.fixtures.redshift import running_redshift_emulator
from tests.fixtures.snowflake import running_snowflake_emulator

TASK_KINDS = {TaskName.RESET: JobKind.RESET, TaskName.DROP: JobKind.DROP,
              TaskName.MATERIALIZE: JobKind.MATERIALIZE}  # fmt: skip


@dataclass
class Stack:
    settings: Settings
    metadata: MetadataClient
    jobs: Jobs
    service: LoaderService
    shop_run: Path

    def held_job(self, markers: Path, task: TaskName, experiment: str, point: str) -> JobDetail:
        """A new job of ``task`` for ``experiment``, sent to a worker that holds it at ``point``
        (``holds.py``: "before"/"after" its commit mark with ``held_mark.py``), once held."""
        for name in ("held", "resume"):
            (markers / name).unlink(missing_ok=True)
        (markers / "armed").write_text(point)
        job = self.jobs.create(TASK_KINDS[task], experiment)
        self.jobs.send(task, task.payload(job_id=job.id, experiment=experiment))
        deadline = time.monotonic() + 90  # the first job also waits for the worker to start
        while not (markers / "held").exists():
            current = self.metadata.get_job(job.id)
            assert not current.status.is_terminal, (current.status, current.error)
            assert time.monotonic() < deadline, (
                f"the {task} never reached {point}:\n{self.jobs.log_file.read_text()[-3000:]}"
            )
            time.sleep(0.05)
        return self.metadata.get_job(job.id)

    def experiment(self, warehouse: Warehouse) -> Experiment:
        """A new experiment (shop.sql's tables) recorded in the metadata service."""
        run, _ = read_run(self.shop_run, warehouse, name=f"shop_{uuid.uuid4().hex[:8]}")
        self.metadata.create_experiment(run.experiment)
        return run.experiment

    def stage(self, experiment: Experiment) -> str:
        """Stage the generated run under the experiment, as the generator would; its run id."""
        run, _ = read_run(self.shop_run, experiment.warehouse, name=experiment.name)
        stage(self.service, run)
        return run.manifest.run_id

    def start_load(self, experiment: Experiment, run_id: str) -> JobDetail:
        """A load job of the run, its task sent to the worker; returns at once (the job)."""
        job = self.jobs.create(JobKind.LOAD, experiment.name, run_id=run_id)
        self.jobs.send(TaskName.LOAD_RUN, TaskName.LOAD_RUN.payload(
            job_id=job.id, experiment=experiment.name, run_id=run_id))  # fmt: skip
        return job

    def rows_loaded(self, job_id: object, table: str) -> int | None:
        """The rows the job reported loaded into ``table`` (None before it reported any)."""
        progress = self.metadata.get_job(job_id).progress.tables.get(table)
        return progress.rows_loaded if progress else None

    def wait_table_loaded(self, job_id: object, table: str, timeout_s: float = 120) -> None:
        """Until the running job reports ``table`` loaded (it fails the test if the job ends)."""
        deadline = time.monotonic() + timeout_s
        while not self.rows_loaded(job_id, table):
            assert not (job := self.metadata.get_job(job_id)).status.is_terminal, job.error
            assert time.monotonic() < deadline, f"{table} was never reported loaded"
            time.sleep(0.05)

    def events(self, job_id: object, name: str) -> list[dict]:
        """The worker's log lines named ``name`` for the job, as dicts, oldest first."""
        lines = self.jobs.log_file.read_text().splitlines()
        return [json.loads(line[line.index("{") :]) for line in lines
                if str(job_id) in line and f'"{name}"' in line]  # fmt: skip

    def redshift_scalar(self, sql: str, *params: object) -> object:
        """The one value ``sql`` returns on the Redshift emulator, as the loader's user."""
        import psycopg2

        c = self.settings
        conn = psycopg2.connect(host=c.redshift_host, port=c.redshift_port, dbname="dev",
                                user=c.redshift_user, password=c.redshift_password,
                                sslmode="disable")  # fmt: skip
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                (value,) = cur.fetchone()
            return value
        finally:
            conn.close()

    def materialized(self, warehouse: Warehouse) -> Experiment:
        experiment = self.experiment(warehouse)
        job = self.jobs.run(TaskName.MATERIALIZE, JobKind.MATERIALIZE, experiment.name)
        assert job.status == JobStatus.SUCCEEDED, job.error
        return experiment


@contextmanager
def emulators_behind(relay: Any, postgres_url: str, data_dir: Path) -> Iterator[dict[str, str]]:
    """Both emulators reading S3 through ``relay`` (a proxy of the S3 server): the settings
    that point a loader stack (``extra_env``) at them and at the relay."""
    with (
        running_redshift_emulator(postgres_url, relay) as redshift,
        running_snowflake_emulator(data_dir, relay) as snowflake,
    ):
        yield {
            "DWSIM_S3_ENDPOINT_URL": relay.endpoint_url,
            "DWSIM_REDSHIFT_HOST": redshift.host,
            "DWSIM_REDSHIFT_PORT": str(redshift.port),
            "DWSIM_SNOWFLAKE_HOST": snowflake.host,
            "DWSIM_SNOWFLAKE_PORT": str(snowflake.port),
        }


@contextmanager
def loader_stack(
    request: pytest.FixtureRequest,
    name: str,
    extra_env: dict[str, str] | None = None,
    app: str = WORKER_APP,
    shop_run: Path | None = None,
) -> Iterator[Stack]:
    """One loader worker (``app``: a module swapping part of it) for every warehouse, on a
    bucket of its own, until the block ends; the Redis test database emptied around it.
    ``extra_env`` may point it (and the stack's own service) at other servers; ``shop_run``
    is the generated run it stages (default: the session's)."""
    redis = pytest.importorskip("redis")
    s3_server = request.getfixturevalue("s3_server")
    metadata_url = request.getfixturevalue("metadata_url")
    shop_run = shop_run or request.getfixturevalue("shop_run")
    bucket = f"dwsim-{name}-{uuid.uuid4().hex[:10]}"
    s3_server.client().create_bucket(Bucket=bucket)
    tmp = request.getfixturevalue("tmp_path_factory").mktemp(name)
    redshift = request.getfixturevalue("redshift_emulator")
    snowflake = request.getfixturevalue("snowflake_emulator")
    env = {
        "DWSIM_S3_ENDPOINT_URL": s3_server.endpoint_url,
        "DWSIM_S3_BUCKET": bucket,
        "DWSIM_DATA_DIR": str(tmp / "data"),
        "DWSIM_REDSHIFT_HOST": redshift.host,
        "DWSIM_REDSHIFT_PORT": str(redshift.port),
        "DWSIM_SNOWFLAKE_HOST": snowflake.host,
        "DWSIM_SNOWFLAKE_PORT": str(snowflake.port),
        "DWSIM_REDIS_URL": REDIS_URL,
        "DWSIM_METADATA_URL": metadata_url,
        "DWSIM_LOADER_WAIT_COUNTDOWN_S": "0.5",
    }
    env |= extra_env or {}
    settings = Settings(**{k.removeprefix("DWSIM_").lower(): v for k, v in env.items()})
    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    log_file = tmp / "worker.log"
    try:
        with (
            loader_worker(env, log_file, app=app),
            MetadataClient(metadata_url) as metadata,
        ):
            yield Stack(settings, metadata, Jobs(metadata, REDIS_URL, log_file),
                        LoaderService(settings), shop_run)  # fmt: skip
    finally:
        broker.flushdb()
        broker.close()
