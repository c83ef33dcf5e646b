"""What a user sees when a name is unknown or a dependency is down."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from dwsim_gateway.config import Settings
from dwsim_shared.contracts.enums import JobStatus
from dwsim_shared.contracts.tasks import Queue
from dwsim_shared.metadata_client import MetadataClient
from tests.gateway.conftest import DDL, Task, closed_url, new_name

ROUTES = [
    ("get", "", None),
    ("patch", "", {"tables": {}}),
    ("delete", "", None),
    ("post", "/generate", {}),
    ("post", "/load", {}),
    ("post", "/reset", None),
    ("get", "/runs", None),
    ("post", "/query", {"sql": "select 1"}),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_unknown_experiment_is_404_on_every_route(
    api: TestClient,
    queued: Callable[[Queue], list[Task]],
    method: str,
    path: str,
    body: dict | None,
) -> None:
    name = new_name()
    response = api.request(method, f"/api/experiments/{name}{path}", json=body)
    assert response.status_code == 404, response.text
    assert name in response.json()["detail"]
    assert queued(Queue.GENERATOR) + queued(Queue.LOADER) == []


def test_generate_with_redis_down_is_503_and_the_job_fails(
    settings: Settings,
    make_client: Callable[[Settings], TestClient],
    experiment: str,
    metadata: MetadataClient,
) -> None:
    broken = make_client(settings.model_copy(update={"redis_url": closed_url("redis") + "/14"}))

    response = broken.post(f"/api/experiments/{experiment}/generate")

    assert response.status_code == 503
    assert "Redis" in response.json()["detail"]
    (job,) = [j for j in metadata.list_jobs(experiment) if j.kind == "generate"]
    assert job.status == JobStatus.FAILED
    assert "Redis" in (job.error or "")
    active = [j.kind for j in metadata.list_jobs(experiment, active=True)]
    assert active == ["materialize"]  # the failed generate does not block the experiment


def test_create_with_redis_down_is_503_and_stores_nothing(
    settings: Settings, make_client: Callable[[Settings], TestClient], api: TestClient
) -> None:
    broken = make_client(settings.model_copy(update={"redis_url": closed_url("redis") + "/14"}))
    name = new_name()

    response = broken.post(
        "/api/experiments", json={"name": name, "ddl": DDL, "dialect": "redshift"}
    )

    assert response.status_code == 503
    assert "Redis" in response.json()["detail"]
    assert api.get(f"/api/experiments/{name}").status_code == 404
    retry = api.post("/api/experiments", json={"name": name, "ddl": DDL, "dialect": "redshift"})
    assert retry.status_code == 201


def test_metadata_down_is_503(
    settings: Settings, make_client: Callable[[Settings], TestClient]
) -> None:
    broken = make_client(settings.model_copy(update={"metadata_url": closed_url()}))
    response = broken.get("/api/experiments")
    assert response.status_code == 503
    assert "metadata service" in response.json()["detail"]


def test_query_service_down_is_503(api: TestClient, experiment: str) -> None:
    response = api.post(f"/api/experiments/{experiment}/query", json={"sql": "select 1"})
    assert response.status_code == 503
    assert "query service" in response.json()["detail"]


def test_root_is_the_web_ui_and_the_api_keeps_its_docs(api: TestClient) -> None:
    response = api.get("/", follow_redirects=False)
    assert response.status_code == 200  # the built UI, or the page saying how to build it
    assert response.headers["content-type"].startswith("text/html")
    assert "dw-sim" in response.text
    assert api.get("/docs").status_code == 200
    assert "/api/experiments/{name}/generate" in api.get("/openapi.json").json()["paths"]
