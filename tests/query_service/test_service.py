"""The service around the queries: request validation, health, ids, clients that go away,
unreachable dependencies, and the one log line per query."""

import json
import socket
import threading
import uuid
from pathlib import Path

import httpx
import pytest

from dwsim_shared.contracts.enums import Warehouse
from tests.adapters.staging import experiment
from tests.fixtures.servers import REPO, free_port
from tests.query_service.conftest import SLOW_SQL, running_query_service

# statements whose rows never end: a stream of them stops only when its client goes away
# (PostgreSQL evaluates a recursive CTE lazily, as SQLite does; not generate_series)
ENDLESS_SQL = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c"


def test_health(query_service):
    with query_service.client() as client:
        assert client.get("/health").json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("body", "params", "headers"),
    [
        ({}, {}, {}),
        ({"sql": ""}, {}, {}),
        ({"sql": "SELECT 1", "limit": -1}, {}, {}),
        ({"sql": "SELECT 1", "limit": 100_001}, {}, {}),
        ({"sql": "SELECT 1", "timeout_s": 0}, {}, {}),
        ({"sql": "SELECT 1", "rows": 5}, {}, {}),
        ({"sql": "SELECT 1"}, {"format": "xml"}, {}),
        ({"sql": "SELECT 1"}, {}, {"X-Query-Id": "has spaces"}),
    ],
)
def test_an_invalid_request_is_a_422(query_service, body, params, headers):
    with query_service.client() as client:
        response = client.post("/experiments/any/query", json=body, params=params, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_cancelling_or_reading_an_unknown_query_is_a_404(query_service):
    with query_service.client() as client:
        cancelled = client.post("/queries/never-ran/cancel")
        read = client.get("/queries/never-ran")
    for response in (cancelled, read):
        assert response.status_code == 404
        assert response.json() == {"detail": "no query never-ran is running (it may have finished)"}


@pytest.mark.parametrize("loaded", [Warehouse.SQLITE], indirect=True, ids=str)
def test_two_running_queries_cannot_share_an_id(query_service, loaded):
    query_id = f"dup-{uuid.uuid4().hex[:8]}"
    url = f"/experiments/{loaded.name}/query"
    slow = {"sql": SLOW_SQL[loaded.warehouse], "timeout_s": 60}
    outcome: dict = {}

    def run() -> None:
        with query_service.client() as client:
            outcome["first"] = client.post(url, json=slow, headers={"X-Query-Id": query_id})

    worker = threading.Thread(target=run)
    worker.start()
    with query_service.client() as client:
        _wait_until_running(client, query_id)
        second = client.post(url, json={"sql": "SELECT 1"}, headers={"X-Query-Id": query_id})
        client.post(f"/queries/{query_id}/cancel")
    worker.join(60)
    assert second.status_code == 409
    assert second.json() == {"detail": f"a query with id {query_id} is already running"}
    assert outcome["first"].status_code == 400


@pytest.mark.parametrize("output", ["json", "csv"])
def test_a_client_that_goes_away_stops_its_query(query_service, loaded, output):
    query_id = f"gone-{uuid.uuid4().hex[:8]}"
    body = json.dumps({"sql": SLOW_SQL[loaded.warehouse], "timeout_s": 60}).encode()
    host, port = query_service.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            f"POST /experiments/{loaded.name}/query?format={output} HTTP/1.1\r\n"
            f"Host: {host}\r\nContent-Type: application/json\r\nX-Query-Id: {query_id}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        with query_service.client() as client:
            _wait_until_running(client, query_id)
    # the client hung up: its query is cancelled, well before its 60 s timeout
    with query_service.client() as client:
        _wait_until_gone(client, query_id)


# (the Snowflake emulator computes a whole result before it sends any row)
@pytest.mark.parametrize("loaded", [Warehouse.SQLITE, Warehouse.REDSHIFT], indirect=True, ids=str)
def test_a_csv_client_that_stops_reading_stops_an_endless_stream(query_service, loaded):
    query_id = f"endless-{uuid.uuid4().hex[:8]}"
    with (
        query_service.client() as client,
        client.stream(
            "POST",
            f"/experiments/{loaded.name}/query",
            params={"format": "csv"},
            json={"sql": ENDLESS_SQL},
            headers={"X-Query-Id": query_id},
        ) as response,
    ):
        lines = response.iter_lines()
        assert next(lines) == "x"
        assert [next(lines) for _ in range(1500)][-1] == "1500"
    with query_service.client() as client:
        _wait_until_gone(client, query_id)


@pytest.mark.parametrize("loaded", [Warehouse.SQLITE], indirect=True, ids=str)
def test_each_query_logs_one_line_with_its_outcome_and_the_start_of_its_sql(query_service, loaded):
    query_id = f"logged-{uuid.uuid4().hex[:8]}"
    sql = "SELECT customer_id FROM customers WHERE name <> '" + "x" * 500 + "'"
    with query_service.client() as client:
        response = client.post(
            f"/experiments/{loaded.name}/query",
            json={"sql": sql, "limit": 5},
            headers={"X-Query-Id": query_id},
        )
    assert response.status_code == 200
    lines = [line for line in _service_log(query_service) if line.get("query_id") == query_id]
    assert len(lines) == 1
    line = lines[0]
    assert line["event"] == "query.finished"
    assert line["service"] == "query-service"
    assert (line["status"], line["experiment"], line["rows"], line["truncated"]) == (
        "ok",
        loaded.name,
        5,
        True,
    )
    assert line["elapsed_ms"] >= 0
    assert line["sql"] == sql[:200]


def test_an_unreachable_warehouse_is_a_503_naming_its_address(query_service, metadata):
    dead = free_port()
    env = {**query_service.env, "DWSIM_REDSHIFT_PORT": str(dead)}
    exp = experiment(f"qs_dead_{uuid.uuid4().hex[:6]}", Warehouse.REDSHIFT)
    metadata.create_experiment(exp)
    try:
        with running_query_service(env) as service, service.client() as client:
            response = client.post(f"/experiments/{exp.name}/query", json={"sql": "SELECT 1"})
    finally:
        metadata.delete_experiment(exp.name)
    assert response.status_code == 503
    assert f"127.0.0.1:{dead}" in response.json()["detail"]


def test_an_unreachable_metadata_service_is_a_503_naming_its_address(query_service):
    dead_url = f"http://127.0.0.1:{free_port()}"
    env = {**query_service.env, "DWSIM_METADATA_URL": dead_url}
    with running_query_service(env) as service, service.client() as client:
        response = client.post("/experiments/any/query", json={"sql": "SELECT 1"})
    assert response.status_code == 503
    assert dead_url in response.json()["detail"]


def _running(client: httpx.Client, query_id: str) -> bool:
    response = client.get(f"/queries/{query_id}")
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200


def _wait_until_running(client: httpx.Client, query_id: str) -> None:
    for _ in range(200):
        if _running(client, query_id):
            return
        threading.Event().wait(0.05)
    raise AssertionError(f"query {query_id} never started")


def _wait_until_gone(client: httpx.Client, query_id: str, attempts: int = 300) -> None:
    for _ in range(attempts):
        if not _running(client, query_id):
            return
        threading.Event().wait(0.05)
    raise AssertionError(f"query {query_id} still runs after its client went away")


def _service_log(service) -> list[dict]:
    import os

    port = service.url.rpartition(":")[2]
    log_dir = Path(os.environ.get("DWSIM_TEST_LOG_DIR", REPO / ".dwsim" / "test-logs"))
    lines = []
    for text in (log_dir / f"query-{port}.log").read_text().splitlines():
        try:
            lines.append(json.loads(text))
        except ValueError:
            continue
    return lines
