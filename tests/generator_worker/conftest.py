"""Real generator workers (celery subprocesses) over real Redis, moto's S3 and the metadata service.

Workers live for a module: the Redis database (``DWSIM_TEST_REDIS_URL``) is emptied when a
module starts and ends, not between its tests (emptying it under a running worker would drop
its queue bindings).
"""

import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dwsim_generator.config import Settings
from dwsim_generator.service import GeneratorService
from dwsim_shared.celery_app import make_celery, send
from dwsim_shared.contracts.enums import JobKind
from dwsim_shared.contracts.jobs import JobDetail
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.tasks import (
    GenerateChunkPayload,
    GenerateFinishPayload,
    GenerateRunPayload,
    Queue,
    TaskName,
)
from dwsim_shared.metadata_client import MetadataClient
from dwsim_shared.settings import DwsimSettings
from tests.fixtures.redis import REDIS_URL
from tests.fixtures.s3 import S3Server
from tests.fixtures.servers import REPO, bin_path
from tests.generator.helpers import col, table
from tests.generator.schemas import fk

WAIT_S = 90.0  # a worker subprocess imports numpy/pyarrow/Faker before its first task


def shop(name: str) -> Experiment:
    """Three tables with a Faker pool, skewed fan-outs and a composite key."""
    tables = [
        table("customers", 3000, [col("id", "INTEGER", nullable=False),
                                  col("email", "VARCHAR(40)", {"kind": "faker", "provider": "email"}),
                                  col("signup", "DATE", {"kind": "range", "min": "2020-01-01",
                                                         "max": "2024-12-31"})],
              primary_key=["id"]),
        table("orders", 7000, [col("order_id", "BIGINT", nullable=False),
                               col("customer_id", "INTEGER", nullable=False),
                               col("amount", "DECIMAL(10,2)")],
              primary_key=["order_id"],
              foreign_keys=[fk(["customer_id"], "customers", ["id"],
                               fanout={"distribution": "zipf", "params": {"a": 1.0}})]),
        table("order_lines", 12000, [col("order_id", "BIGINT", nullable=False),
                                     col("line_no", "SMALLINT", nullable=False),
                                     col("qty", "INTEGER", {"kind": "range", "min": 1, "max": 9})],
              primary_key=["order_id", "line_no"],
              foreign_keys=[fk(["order_id"], "orders", ["order_id"],
                               fanout={"distribution": "poisson", "params": {"lam": 2.5}})]),
    ]  # fmt: skip
    return Experiment.model_validate({"name": name, "warehouse": "sqlite", "tables": tables})


@pytest.fixture(scope="module")
def broker() -> Iterator[str]:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    try:
        yield REDIS_URL
    finally:
        client.flushdb()
        client.close()


@pytest.fixture(scope="module")
def bucket(s3_server: S3Server) -> str:
    name = f"dwsim-gen-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=name)
    return name


@dataclass
class Stack:
    """The servers a generator worker talks to, and what a test does with them."""

    broker: str
    metadata_url: str
    s3: S3Server
    bucket: str

    def __post_init__(self) -> None:
        self.client = MetadataClient(self.metadata_url)
        self.app = make_celery("tests", DwsimSettings(redis_url=self.broker))
        self.s3_client = self.s3.client()

    def env(self, **overrides: Any) -> dict[str, str]:
        env = {
            **self.s3.env(),
            "DWSIM_REDIS_URL": self.broker,
            "DWSIM_METADATA_URL": self.metadata_url,
            "DWSIM_S3_BUCKET": self.bucket,
            "DWSIM_LOG_JSON": "true",
        }
        return env | {f"DWSIM_{k.upper()}": str(v) for k, v in overrides.items()}

    @contextmanager
    def workers(
        self,
        processes: int = 1,
        concurrency: int = 1,
        app: str = "dwsim_generator.worker",
        **env: Any,
    ) -> Iterator[list[Path]]:
        """Generator worker subprocesses; yields their log files; stopped with SIGTERM."""
        log_dir = Path(os.environ.get("DWSIM_TEST_LOG_DIR", REPO / ".dwsim" / "test-logs"))
        log_dir.mkdir(parents=True, exist_ok=True)
        started: list[tuple[subprocess.Popen, Any, Path]] = []
        try:
            for _ in range(processes):
                name = f"gen-{uuid.uuid4().hex[:8]}"
                path = log_dir / f"generator-worker-{name}.log"
                log = open(path, "wb")  # noqa: SIM115 - closed below
                args = [bin_path("celery"), "-A", app, "worker",
                        "-Q", Queue.GENERATOR.value, "-c", str(concurrency), "--loglevel", "INFO",
                        "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
                        "--without-heartbeat"]  # fmt: skip
                proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                        env={**os.environ, **self.env(**env)}, cwd=REPO,
                                        start_new_session=True)  # fmt: skip
                started.append((proc, log, path))
            self._wait_ready(processes, [p for p, _, _ in started])
            yield [path for _, _, path in started]
        finally:
            for proc, _, _ in started:
                proc.send_signal(signal.SIGTERM)
            for proc, log, _ in started:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                log.close()

    def _wait_ready(self, count: int, procs: list[subprocess.Popen]) -> None:
        """Until every worker answers a ping, so work can be shared from the first task."""
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            for proc in procs:
                assert proc.poll() is None, f"a generator worker exited with {proc.returncode}"
            if len(self.app.control.ping(timeout=0.5)) >= count:
                return
        raise TimeoutError(f"{count} generator workers did not start within {WAIT_S}s")

    def new_experiment(self, experiment: Experiment | None = None) -> str:
        name = f"exp_{uuid.uuid4().hex[:10]}"
        exp = (experiment or shop(name)).model_copy(update={"name": name})
        self.client.create_experiment(exp)
        return name

    def generate(self, experiment: str, **fields: Any) -> GenerateRunPayload:
        """Create the job as the gateway does, then enqueue its run."""
        run_id = f"r{uuid.uuid4().hex[:12]}"
        job = self.client.create_job(JobKind.GENERATE, experiment, run_id=run_id)
        payload = GenerateRunPayload(job_id=job.id, experiment=experiment, run_id=run_id, **fields)
        send(self.app, TaskName.GENERATE_RUN, payload)
        return payload

    def wait(self, job_id: Any, until: Any = None) -> JobDetail:
        """The job once it has ended (or ``until(job)`` holds)."""
        deadline = time.monotonic() + WAIT_S
        while True:
            job = self.client.get_job(job_id)
            if (until or (lambda j: j.status.is_terminal))(job):
                return job
            assert time.monotonic() < deadline, f"job still {job.status} at {job.progress.stage}"
            time.sleep(0.1)

    def wait_for_log(self, log: Path, text: str) -> None:
        """Until a worker's log holds ``text`` (what a task did that no server records)."""
        deadline = time.monotonic() + WAIT_S
        while text not in log.read_text():
            assert time.monotonic() < deadline, f"{text} never logged in {log}"
            time.sleep(0.1)

    def objects(self, prefix: str) -> dict[str, bytes]:
        """Every object under ``prefix`` in the test bucket, by key."""
        out = {}
        pages = self.s3_client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        for page in pages:
            for obj in page.get("Contents", []):
                body = self.s3_client.get_object(Bucket=self.bucket, Key=obj["Key"])["Body"]
                out[obj["Key"]] = body.read()
        return out

    def queued(self, queue: Queue) -> list[dict]:
        """Messages waiting on a queue: the task name and its one argument, decoded."""
        import base64

        import redis

        client = redis.Redis.from_url(self.broker)
        try:
            raw = client.lrange(queue.value, 0, -1)
        finally:
            client.close()
        messages = []
        for item in raw:
            message = json.loads(item)
            body = message["body"]
            if message["properties"].get("body_encoding") == "base64":
                body = base64.b64decode(body)
            args, kwargs, _embed = json.loads(body)
            messages.append({"task": message["headers"]["task"], "args": args, "kwargs": kwargs})
        return messages

    def close(self) -> None:
        """Close every broker connection: kombu closes pooled ones again in any process this
        one forks later, which blocks on a connection left waiting for a reply (BRPOP)."""
        from kombu import pools

        self.client.close()
        pools.reset()  # the pools are kombu's, per broker URL: closed and forgotten
        self.app.close()


@pytest.fixture(scope="module")
def stack(broker: str, metadata_url: str, s3_server: S3Server, bucket: str) -> Iterator[Stack]:
    stack = Stack(broker, metadata_url, s3_server, bucket)
    try:
        yield stack
    finally:
        stack.close()


STAGED_ROWS = {"customers": 50, "orders": 80, "order_lines": 100}  # 2 + 2 + 3 parts of 40 rows


def staged_run(
    stack: "Stack",
    client: MetadataClient | None = None,
    load: bool = False,
    rows: dict[str, int] | None = None,
) -> tuple[GeneratorService, GenerateFinishPayload]:
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
                                                 rows=rows or STAGED_ROWS, chunk_rows=40, load=load))  # fmt: skip
    for staged_table, chunk in tasks:
        assert service.make_chunk(GenerateChunkPayload(job_id=job.id, experiment=name,
                                  run_id=run_id, table=staged_table, chunk=chunk))  # fmt: skip
    return service, GenerateFinishPayload(job_id=job.id, experiment=name, run_id=run_id,
                                          load=load)  # fmt: skip
