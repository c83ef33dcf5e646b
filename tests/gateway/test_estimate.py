"""``POST /api/experiments/{name}/estimate``: what a generate request would take, from the
cost model, with nothing generated or enqueued, and the refusals ``generate`` makes."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from dwsim_gateway.config import Settings
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.sizing import resolve_rows
from dwsim_shared.contracts.tasks import Queue
from dwsim_shared.cost.predict import predict
from tests.gateway.conftest import Task


def _schema(api: TestClient, name: str) -> Experiment:
    return Experiment.model_validate(api.get(f"/api/experiments/{name}").json()["schema"])


def test_estimate_gives_rows_seconds_and_bytes_per_table_and_queues_nothing(
    api: TestClient, experiment: str, queued: Callable[[Queue], list[Task]]
) -> None:
    jobs_before = api.get(f"/api/experiments/{experiment}/jobs").json()
    response = api.post(f"/api/experiments/{experiment}/estimate", json={"scale": 3, "workers": 2})
    assert response.status_code == 200, response.text
    estimate = response.json()
    schema = _schema(api, experiment)
    expected = predict(schema, resolve_rows(schema, scale=3), workers=2)
    assert estimate == expected.model_dump(mode="json")  # the one model, the same numbers
    assert {t["table"] for t in estimate["tables"]} == {t.name for t in schema.tables}
    assert all(t["rows"] > 0 and t["bytes"] > 0 for t in estimate["tables"])
    assert estimate["workers"] == 2
    assert estimate["seconds"] > 0
    assert queued(Queue.GENERATOR) == []
    assert api.get(f"/api/experiments/{experiment}/jobs").json() == jobs_before
    assert api.get(f"/api/experiments/{experiment}/runs").json() == []


def test_generate_announces_the_estimate_of_the_same_request(
    api: TestClient, experiment: str
) -> None:
    body = {"rows": {"orders": 20_000}, "load": False}
    estimate = api.post(f"/api/experiments/{experiment}/estimate", json=body).json()
    accepted = api.post(f"/api/experiments/{experiment}/generate", json=body).json()
    assert accepted["rows_total"] == estimate["rows_total"]
    assert accepted["bytes_estimate"] == estimate["bytes"]
    assert accepted["seconds_estimate"] == estimate["seconds"]  # on one process


def test_more_rows_take_longer_and_stage_more(api: TestClient, experiment: str) -> None:
    url = f"/api/experiments/{experiment}/estimate"
    small = api.post(url, json={"rows": {"orders": 1000}}).json()
    large = api.post(url, json={"rows": {"orders": 1_000_000}}).json()
    assert large["seconds"] > small["seconds"]
    assert large["bytes"] > small["bytes"] * 100


def test_estimate_refuses_what_generate_refuses(
    settings: Settings,
    make_client: Callable[[Settings], TestClient],
    experiment: str,
    queued: Callable[[Queue], list[Task]],
) -> None:
    api = make_client(settings.model_copy(update={"max_rows": 9000}))
    url = f"/api/experiments/{experiment}/estimate"
    unknown = api.post(url, json={"rows": {"nosuch": 5}})
    assert unknown.status_code == 400
    assert f"experiment {experiment} has no table nosuch" in unknown.json()["detail"]
    over = api.post(url, json={"scale": 2})
    assert over.status_code == 400
    assert "table orders: 10000 rows is over the limit of 9000" in over.json()["detail"]
    assert "DWSIM_MAX_ROWS" in over.json()["detail"]
    assert api.post(url, json={"workers": 0}).status_code == 422
    assert api.post("/api/experiments/nosuch_experiment/estimate", json={}).status_code == 404
    assert queued(Queue.GENERATOR) == []
