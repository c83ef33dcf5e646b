"""Saved queries through the public API: PUT creates (201) or replaces (200), GET one or all
by name, DELETE (204); unknown names are 404 naming them, a bad name 422."""

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

SQL = "SELECT region, COUNT(*) FROM customers GROUP BY 1"


def _url(experiment: str, query: str = "") -> str:
    return f"/api/experiments/{experiment}/queries" + (f"/{quote(query, safe='')}" if query else "")


def test_save_replace_read_list_and_delete(api: TestClient, experiment: str) -> None:
    created = api.put(_url(experiment, "by region"), json={"sql": SQL, "description": "per region"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert {k: body[k] for k in ("experiment", "name", "sql", "description")} == {
        "experiment": experiment,
        "name": "by region",
        "sql": SQL,
        "description": "per region",
    }
    assert body["created_at"] == body["updated_at"]

    replaced = api.put(_url(experiment, "by region"), json={"sql": "SELECT 1"})
    assert replaced.status_code == 200
    assert (replaced.json()["sql"], replaced.json()["description"]) == ("SELECT 1", None)
    assert replaced.json()["created_at"] == body["created_at"]
    assert replaced.json()["updated_at"] > body["updated_at"]

    api.put(_url(experiment, "Another.one"), json={"sql": "SELECT 2"})
    assert api.get(_url(experiment, "by region")).json() == replaced.json()
    listed = api.get(_url(experiment))
    assert listed.status_code == 200
    assert [q["name"] for q in listed.json()] == ["Another.one", "by region"]

    deleted = api.delete(_url(experiment, "by region"))
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert [q["name"] for q in api.get(_url(experiment)).json()] == ["Another.one"]
    missing = api.get(_url(experiment, "by region"))
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"experiment {experiment} has no saved query 'by region'"
    assert api.delete(_url(experiment, "by region")).status_code == 404


@pytest.mark.parametrize(
    ("method", "query"),
    [("GET", ""), ("GET", "q"), ("PUT", "q"), ("DELETE", "q")],
    ids=["list", "get", "put", "delete"],
)
def test_unknown_experiment_is_404_naming_it(api: TestClient, method: str, query: str) -> None:
    body = {"sql": "SELECT 1"} if method == "PUT" else None
    response = api.request(method, _url("nosuch_exp", query), json=body)
    assert response.status_code == 404
    assert response.json()["detail"] == "experiment nosuch_exp not found"


@pytest.mark.parametrize("name", ["-starts-with-dash", "has;semicolon", "x" * 101, " pad"])
def test_a_name_outside_the_pattern_is_422(api: TestClient, experiment: str, name: str) -> None:
    response = api.put(_url(experiment, name), json={"sql": "SELECT 1"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["path", "query"]
    assert api.get(_url(experiment)).json() == []


@pytest.mark.parametrize("body", [{}, {"sql": ""}, {"sql": "SELECT 1", "extra": 1}])
def test_an_invalid_body_is_422(api: TestClient, experiment: str, body: dict) -> None:
    assert api.put(_url(experiment, "q"), json=body).status_code == 422
