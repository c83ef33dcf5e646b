"""A load job cancelled between two tables: it stops, the job shows ``cancelled``, and the
warehouse is as it was before the load (the tables it had loaded are rolled back too)."""

import time
import uuid
from collections.abc import Iterator

import pytest

from dwsim_loader.config import Settings
from dwsim_loader.service import LoaderService
from dwsim_shared.contracts.enums import JobKind, JobStatus, Warehouse
from dwsim_shared.contracts.tasks import TaskName
from dwsim_shared.metadata_client import MetadataClient
from tests.data_loader.conftest import ROWS, WAREHOUSES
from tests.data_loader.test_tasks import Stack
from tests.data_loader.worker import Jobs, loader_worker
from tests.fixtures.redis import REDIS_URL

PAUSE_S = 1.0  # after each table: the test cancels while the load is between two tables


@pytest.fixture(scope="module")
def stack(request, s3_server, metadata_url, shop_run, tmp_path_factory) -> Iterator[Stack]:
    """One loader worker that pauses after each table it loads."""
    redis = pytest.importorskip("redis")
    bucket = f"dwsim-cancel-{uuid.uuid4().hex[:10]}"
    s3_server.client().create_bucket(Bucket=bucket)
    tmp = tmp_path_factory.mktemp("paced-loader")
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
    settings = Settings(**{k.removeprefix("DWSIM_").lower(): v for k, v in env.items()})
    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    log_file = tmp / "worker.log"
    app = "tests.data_loader.paced_loader"
    paced = {"DWSIM_TEST_TABLE_PAUSE_S": str(PAUSE_S)}
    with loader_worker(env | paced, log_file, app=app), MetadataClient(metadata_url) as metadata:
        yield Stack(settings, metadata, Jobs(metadata, REDIS_URL, log_file),
                    LoaderService(settings), shop_run)  # fmt: skip
    broker.flushdb()
    broker.close()


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_a_load_cancelled_between_tables_leaves_the_warehouse_as_it_was(
    stack: Stack, warehouse: Warehouse
) -> None:
    experiment = stack.materialized(warehouse)
    run_id = stack.stage(experiment)
    empty = dict.fromkeys(ROWS, 0)
    assert stack.service.count_rows(experiment) == empty

    job = stack.jobs.create(JobKind.LOAD, experiment.name, run_id=run_id)
    stack.jobs.send(TaskName.LOAD_RUN, TaskName.LOAD_RUN.payload(
        job_id=job.id, experiment=experiment.name, run_id=run_id))  # fmt: skip
    deadline = time.monotonic() + 60
    while (
        not (progress := stack.metadata.get_job(job.id).progress.tables).get("customers")
        or not progress["customers"].rows_loaded
    ):
        assert time.monotonic() < deadline, "the first table was never reported loaded"
        time.sleep(0.05)

    cancelled = stack.metadata.transition(job.id, JobStatus.CANCELLED)  # between two tables
    assert cancelled.status == JobStatus.CANCELLED
    cancelled_at = time.monotonic()
    done = stack.jobs.wait(job.id)
    assert done.status == JobStatus.CANCELLED
    time.sleep(PAUSE_S + 0.5)  # the task has stopped: it reports no more tables
    stopped = stack.metadata.get_job(job.id)
    loaded = [t for t, p in stopped.progress.tables.items() if p.rows_loaded]
    assert 1 <= len(loaded) < len(ROWS), loaded  # it stopped mid-way
    assert time.monotonic() - cancelled_at < 2 * PAUSE_S + 3
    assert "loader.task_stopped" in stack.jobs.log_file.read_text()
    assert stack.service.count_rows(experiment) == empty  # as before the load
    stack.service.drop_warehouse(experiment)
