"""Generator workers started apart from the stack, with only its URLs in common.

The stack runs without its generator worker (``DWSIM_UP_SERVICES``); two ``dwsim worker
generator`` processes take its chunks: one beside the stack (its settings and folder), one as if
on another machine (an empty working and home directory, an environment of DWSIM_* URLs only).
A job submitted through the gateway must succeed with parts from both, byte-identical to
``dwsim generate`` in one process, and SIGTERM must stop both cleanly.
"""

import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import assert_staged_parts_identical, generate_in_one_process, wait_job
from tests.fixtures.servers import bin_path
from tests.fixtures.stack import Stack, started_stack

SHOP = (Path(__file__).parents[1] / "e2e" / "shop.sql").read_text()
ROWS = {"customers": 200, "orders": 600, "order_lines": 1500}
CHUNK_ROWS = 100  # 23 chunks: enough for both workers to take some
WITHOUT_GENERATOR = "s3,postgres,redis,snowflake,redshift,metadata,query,gateway"
READY_S = 90.0


@pytest.fixture(scope="module")
def stack_without_generator() -> Iterator[Stack]:
    with started_stack(up_services=WITHOUT_GENERATOR) as stack:
        yield stack


def _urls(stack: Stack) -> dict[str, str]:
    """All a worker elsewhere is told: where Redis, the metadata service and S3 are."""
    settings = stack.settings
    return {
        "DWSIM_REDIS_URL": settings.redis_url,
        "DWSIM_METADATA_URL": settings.metadata_url,
        "DWSIM_S3_ENDPOINT_URL": settings.s3_endpoint_url,
        "DWSIM_S3_BUCKET": settings.s3_bucket,
    }


def _start(env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [bin_path("dwsim"), "worker", "generator", "--concurrency", "1"],
        env=env,
        cwd=cwd,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_consuming(broker: str, nodes: set[str], procs: list[subprocess.Popen]) -> None:
    """Until each node answers Celery's ping through the broker."""
    from kombu import pools

    from dwsim_shared.celery_app import make_celery
    from dwsim_shared.settings import DwsimSettings

    app = make_celery("tests", DwsimSettings(redis_url=broker))
    try:
        deadline = time.monotonic() + READY_S
        answered: set[str] = set()
        while time.monotonic() < deadline and not nodes <= answered:
            assert all(p.poll() is None for p in procs), "a worker exited before it was ready"
            answered |= {n for reply in app.control.ping(timeout=0.5) for n in reply}
        assert nodes <= answered, f"workers {sorted(nodes - answered)} never answered a ping"
    finally:
        pools.reset()
        app.close()


def test_workers_started_apart_with_only_the_urls_share_a_job(stack_without_generator, tmp_path):
    stack = stack_without_generator
    beside = {k: v for k, v in os.environ.items() if not k.startswith("DWSIM_")}
    beside |= stack.env | _urls(stack)  # the stack's own settings, DWSIM_DATA_DIR included
    elsewhere = tmp_path / "elsewhere"  # nothing of the stack's machine: an empty folder
    elsewhere.mkdir()
    alone = _urls(stack) | {"HOME": str(elsewhere)}
    assert "DWSIM_DATA_DIR" not in alone
    logs = [tmp_path / "beside.log", tmp_path / "elsewhere.log"]
    procs = [_start(beside, stack.data_dir, logs[0]), _start(alone, elsewhere, logs[1])]
    try:
        # a unique node name each (same host): KIND@HOST-PID, the pid of the exec'd worker
        nodes = {f"generator@{socket.gethostname()}-{p.pid}" for p in procs}
        assert len(nodes) == 2
        _wait_consuming(stack.settings.redis_url, nodes, procs)

        name = f"remote_{uuid.uuid4().hex[:8]}"
        with stack.client() as http:
            created = http.post(
                "/api/experiments",
                json={"name": name, "warehouse": "sqlite", "ddl": SHOP, "dialect": "redshift"},
            )
            assert created.status_code == 201, created.text
            accepted = http.post(
                f"/api/experiments/{name}/generate",
                json={"rows": ROWS, "seed": 5, "load": False, "chunk_rows": CHUNK_ROWS},
            )
            assert accepted.status_code == 202, accepted.text
            job = wait_job(http, accepted.json()["job_id"], timeout=120)
        assert job["status"] == "succeeded", job
        assert job["progress"]["rows_done"] == sum(ROWS.values())

        staged = [log.read_text().count('"generator.part_staged"') for log in logs]
        assert all(n > 0 for n in staged), f"parts staged per worker: {staged}"

        out = tmp_path / "one-process"
        generate_in_one_process(created.json()["schema"], out, ROWS, seed=5, chunk_rows=CHUNK_ROWS)
        prefix = f"experiments/{name}/runs/{job['run_id']}/"
        settings = stack.settings
        from dwsim_shared.s3 import s3_client

        parts = assert_staged_parts_identical(s3_client(settings), settings.s3_bucket, prefix, out)
        assert sum(staged) == parts == 23

        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        codes = [proc.wait(timeout=60) for proc in procs]
        texts = [log.read_text(errors="replace") for log in logs]
        assert codes == [0, 0], texts
        assert all("Warm shutdown" in text for text in texts), texts
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
