"""Queries through the gateway to the real query service, on a SQLite experiment."""

import json
import socket
import sqlite3
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from dwsim_gateway.config import Settings
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses import get_adapter
from tests.gateway.conftest import QueryServer, new_name

SCHEMA = {
    "warehouse": "sqlite",
    "tables": [
        {
            "name": "people",
            "rows": 3,
            "columns": [{"name": "id", "type": "bigint"}, {"name": "name", "type": "varchar(20)"}],
        }
    ],
}
ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c"
PEOPLE = [(1, "ada"), (2, "grace"), (3, "edsger")]


@pytest.fixture
def settings(settings: Settings, query_server: QueryServer) -> Settings:
    return settings.model_copy(update={"query_url": query_server.url})


@pytest.fixture
def gateway(api: TestClient) -> TestClient:
    return api


@pytest.fixture
def people(gateway: TestClient, query_server: QueryServer) -> str:
    """A SQLite experiment made through the gateway, its table created and filled here."""
    name = new_name()
    response = gateway.post("/api/experiments", json={"name": name, "schema": SCHEMA})
    assert response.status_code == 201, response.text
    experiment = Experiment.model_validate(response.json()["schema"])
    adapter = get_adapter(experiment.warehouse, DwsimSettings(data_dir=str(query_server.data_dir)))
    with adapter:
        adapter.materialize(experiment)
        path = adapter.path(experiment)
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO people VALUES (?, ?)", PEOPLE)
    return name


def test_json_result_is_passed_through(gateway: TestClient, people: str) -> None:
    response = gateway.post(
        f"/api/experiments/{people}/query",
        json={"sql": "SELECT id, name FROM people ORDER BY id", "limit": 2},
        headers={"X-Query-Id": "q-test-1"},
    )

    assert response.status_code == 200, response.text
    assert response.headers["x-query-id"] == "q-test-1"
    body = response.json()
    assert [c["name"] for c in body["columns"]] == ["id", "name"]
    assert body["rows"] == [[1, "ada"], [2, "grace"]]
    assert (body["row_count"], body["truncated"]) == (2, True)


def test_csv_is_streamed_through(gateway: TestClient, people: str) -> None:
    with gateway.stream(
        "POST",
        f"/api/experiments/{people}/query",
        params={"format": "csv"},
        json={"sql": "SELECT id, name FROM people ORDER BY id"},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert response.headers["x-query-id"]
        text = response.read().decode()

    assert text.splitlines() == ["id,name", "1,ada", "2,grace", "3,edsger"]


@pytest.mark.parametrize("params", [{}, {"format": "csv"}], ids=["json", "csv"])
def test_bad_sql_is_400_with_the_warehouse_message(
    gateway: TestClient, people: str, params: dict
) -> None:
    response = gateway.post(
        f"/api/experiments/{people}/query", params=params, json={"sql": "SELECT nope FROM people"}
    )
    assert response.status_code == 400
    assert "nope" in response.json()["detail"]


def test_cancel_of_an_unknown_query_is_404(gateway: TestClient) -> None:
    response = gateway.post("/api/queries/q-none/cancel")
    assert response.status_code == 404
    assert "q-none" in response.json()["detail"]


def test_a_client_that_goes_away_cancels_its_query(
    gateway_url: str, people: str, query_server: QueryServer
) -> None:
    body = json.dumps({"sql": ENDLESS, "timeout_s": 60}).encode()
    head = (
        f"POST /api/experiments/{people}/query HTTP/1.1\r\nHost: gateway\r\n"
        f"Content-Type: application/json\r\nX-Query-Id: q-gone\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    port = int(gateway_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head.encode() + body)
        wait_for(lambda: _running(query_server, people, "q-gone"))
    # the query would run for 60 s; the gateway closing its upstream request stops it
    assert wait_for(lambda: _finished(query_server, "q-gone", ENDLESS)) == "cancelled"


def wait_for(predicate: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise TimeoutError("the condition did not come true")
        time.sleep(0.1)
    return value


def _running(server: QueryServer, experiment: str, query_id: str) -> bool:
    """Is ``query_id`` running in the query service, for ``experiment``? Read-only: a probe
    that ran a query under the same id could take the id just as the gateway's query arrives."""
    response = httpx.get(f"{server.url}/queries/{query_id}", timeout=10)
    return response.status_code == 200 and response.json()["experiment"] == experiment


def _finished(server: QueryServer, query_id: str, sql: str) -> str | None:
    """How the query service logged the end of ``query_id`` running ``sql``, if it has."""
    for line in server.log.read_text().splitlines():
        event = json.loads(line) if line.startswith("{") else {}
        if (
            event.get("event") == "query.finished"
            and event.get("query_id") == query_id
            and sql.startswith(event["sql"])
        ):
            return event["status"]
    return None
