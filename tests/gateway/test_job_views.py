"""Polling a job: the gateway answers from the view the metadata service keeps in Redis.

Each change the metadata service records shows in the next poll; an older view never replaces a
newer one; and when the view or Redis is missing the gateway asks the metadata service.
"""

import asyncio
import datetime
import time
import uuid
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from dwsim_gateway.config import Settings
from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus
from dwsim_shared.contracts.jobs import Job, StagedPart
from dwsim_shared.contracts.metadata import RunCreate, TableReport
from dwsim_shared.job_cache import JobCache, JobCacheReader
from dwsim_shared.metadata_client import MetadataClient
from tests.fixtures.metadata import metadata_server
from tests.gateway.conftest import closed_url, new_name
from tests.metadata.conftest import make_experiment


def public(job: Job) -> dict[str, Any]:
    return Job.model_validate(job.model_dump(exclude={"traceback"})).model_dump(mode="json")


def run_of(job_id: uuid.UUID, experiment: str, run_id: str) -> RunCreate:
    return RunCreate(
        id=run_id,
        experiment=experiment,
        job_id=job_id,
        seed=0,
        chunk_rows=10,
        rows_requested={"customers": 20},
        prefix=f"s3://dwsim/{run_id}/",
    )


def polled(api: TestClient, job_id: object) -> dict[str, Any]:
    response = api.get(f"/api/jobs/{job_id}")
    assert response.status_code == 200, response.text
    return response.json()


def test_each_change_shows_in_the_next_poll(
    api: TestClient, experiment: str, metadata: MetadataClient
) -> None:
    run_id = f"r_{uuid.uuid4().hex[:8]}"
    job = metadata.create_job(JobKind.LOAD, experiment, run_id=run_id)
    metadata.create_run(run_of(job.id, experiment, run_id))
    assert polled(api, job.id)["status"] == "queued"

    steps: list[Callable[[], object]] = [
        lambda: metadata.transition(job.id, JobStatus.RUNNING),
        lambda: metadata.report_stage(job.id, JobStage.LOAD),
        lambda: metadata.report_tables(job.id, {"customers": TableReport(rows_loaded=7)}),
        lambda: metadata.transition(job.id, JobStatus.SUCCEEDED),
    ]
    for step in steps:
        step()
        assert polled(api, job.id) == public(metadata.get_job(job.id))

    final = polled(api, job.id)
    assert final["status"] == "succeeded"
    assert final["progress"]["tables"]["customers"]["rows_loaded"] == 7


def test_staged_parts_of_the_jobs_run_show_in_its_progress(
    api: TestClient, experiment: str, metadata: MetadataClient
) -> None:
    run_id = f"r_{uuid.uuid4().hex[:8]}"
    job = metadata.create_job(JobKind.GENERATE, experiment, run_id=run_id)
    metadata.create_run(run_of(job.id, experiment, run_id))
    metadata.transition(job.id, JobStatus.RUNNING)
    assert polled(api, job.id)["progress"]["rows_done"] == 0

    part = StagedPart(table="customers", chunk=0, key="customers/part-0.parquet", rows=10, bytes=99)
    metadata.report_parts(run_id, [part])

    progress = polled(api, job.id)["progress"]
    assert (progress["rows_done"], progress["rows_total"], progress["bytes"]) == (10, 20, 99)


def test_polls_keep_answering_while_the_metadata_service_is_away(
    settings: Settings, make_client: Callable[[Settings], TestClient], tmp_path
) -> None:
    with metadata_server(f"sqlite:///{tmp_path / 'metadata.db'}", tmp_path) as url:
        api = make_client(settings.model_copy(update={"metadata_url": url}))
        name = new_name()
        created = api.post(
            "/api/experiments",
            json={"name": name, "dialect": "redshift", "ddl": "CREATE TABLE t (id INT);"},
        )
        assert created.status_code == 201, created.text
        job_id = created.headers["X-Job-Id"]
        with MetadataClient(url) as metadata:
            metadata.transition(job_id, JobStatus.RUNNING)
    # the metadata service is stopped: the job's last state is still served
    assert polled(api, job_id)["status"] == "running"
    assert api.get(f"/api/experiments/{name}").status_code == 503


def test_without_redis_polls_go_to_the_metadata_service(
    settings: Settings,
    make_client: Callable[[Settings], TestClient],
    experiment: str,
    metadata: MetadataClient,
) -> None:
    job = metadata.create_job(JobKind.RESET, experiment)
    metadata.transition(job.id, JobStatus.RUNNING)
    api = make_client(settings.model_copy(update={"redis_url": closed_url("redis")}))

    started = time.monotonic()
    assert polled(api, job.id) == public(metadata.get_job(job.id))
    assert api.get(f"/api/jobs/{uuid.uuid4()}").status_code == 404
    assert time.monotonic() - started < 5  # a Redis that refuses is not waited for


def test_an_older_view_never_replaces_a_newer_one(redis_url: str) -> None:
    job_id = uuid.uuid4()
    now = datetime.datetime.now(datetime.UTC)
    running = Job(id=job_id, kind=JobKind.GENERATE, experiment="e", status=JobStatus.RUNNING,
                  created_at=now)  # fmt: skip
    queued = running.model_copy(update={"status": JobStatus.QUEUED})
    cache = JobCache(redis_url, ttl_s=60)
    try:
        assert cache.put(running, version=2)
        assert not cache.put(queued, version=1)  # a slower writer finishing late
        assert cache.put(running, version=2)  # the same version again refreshes it
    finally:
        cache.close()

    async def read() -> bytes | None:
        reader = JobCacheReader(redis_url)
        try:
            return await reader.get(job_id)
        finally:
            await reader.close()

    view = asyncio.run(read())
    assert view is not None
    assert Job.model_validate_json(view).status == JobStatus.RUNNING


def test_a_view_expires_so_a_lost_update_is_not_served_forever(redis_url: str) -> None:
    job = Job(id=uuid.uuid4(), kind=JobKind.LOAD, experiment="e",
              created_at=datetime.datetime.now(datetime.UTC))  # fmt: skip
    cache = JobCache(redis_url, ttl_s=0.2)
    try:
        assert cache.put(job, version=0)
        ttl_ms = cache.client.pttl(f"dwsim:job:{job.id}")
        assert 0 < ttl_ms <= 200
    finally:
        cache.close()


def test_jobs_move_when_redis_is_down(tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'metadata.db'}"
    server = metadata_server(db_url, tmp_path, redis_url=closed_url("redis"))
    with server as url, MetadataClient(url) as metadata:
        name = metadata.create_experiment(make_experiment()).name
        job = metadata.create_job(JobKind.LOAD, name)
        metadata.transition(job.id, JobStatus.RUNNING)
        assert metadata.get_job(job.id).status == JobStatus.RUNNING


def test_a_cache_write_to_a_redis_that_is_down_fails_fast() -> None:
    cache = JobCache(closed_url("redis"), ttl_s=30)
    job = Job(id=uuid.uuid4(), kind=JobKind.LOAD, experiment="e",
              created_at=datetime.datetime.now(datetime.UTC))  # fmt: skip
    started = time.monotonic()
    assert not cache.put(job, version=1)
    assert not cache.put(job, version=2)  # skipped at once for a while after a failure
    assert time.monotonic() - started < 2
    cache.close()
