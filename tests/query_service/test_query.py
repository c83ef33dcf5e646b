"""``POST /experiments/{name}/query`` on every warehouse, over HTTP, against real servers."""

import csv
import io
import json
import threading
import uuid

import pytest

from dwsim_shared.contracts.enums import Warehouse
from tests.query_service.conftest import CSV_BATCH_ROWS, ROWS, SLOW_SQL

# all_types row 3 (tests.adapters.staging.all_types_value): a decimal, a date, a timestamp
# and a JSON value as each warehouse returns them. SQLite keeps what was stored (its columns
# have no types): NUMERIC as a number, timestamps and JSON as the text that was loaded.
TYPED = {
    Warehouse.REDSHIFT: ["3.75", "2024-01-04", "2024-01-01T15:30:15", {"n": 3, "tags": ["a", "b"]}],
    Warehouse.SNOWFLAKE: ["3.75", "2024-01-04", "2024-01-01T15:30:15", {"n": 3, "tags": ["a", "b"]}],
    Warehouse.SQLITE: [
        3.75,
        "2024-01-04",
        "2024-01-01 15:30:15.000000",
        json.dumps({"n": 3, "tags": ["a", "b"]}),
    ],
}  # fmt: skip
EXACT_SUM = {  # SUM(amount) over the orders: 435 / 4, exact where the warehouse has decimals
    Warehouse.REDSHIFT: "108.75",
    Warehouse.SNOWFLAKE: "108.75",
    Warehouse.SQLITE: 108.75,
}
CROSS_JOIN = (
    "SELECT a.customer_id AS a, b.customer_id AS b FROM customers a CROSS JOIN customers b "
    "ORDER BY a.customer_id, b.customer_id"
)


def _query(client, experiment: str, sql: str, **body):
    return client.post(f"/experiments/{experiment}/query", json={"sql": sql, **body})


def test_typed_values_come_back_exactly(query_service, loaded):
    sql = "SELECT c_decimal, c_date, c_timestamp, c_json FROM all_types WHERE id = 3"
    with query_service.client() as client:
        response = _query(client, loaded.name, sql)
        total = _query(client, loaded.name, "SELECT SUM(amount) AS total FROM orders")
    assert response.status_code == 200, response.text
    result = response.json()
    assert [c["name"].lower() for c in result["columns"]] == [
        "c_decimal",
        "c_date",
        "c_timestamp",
        "c_json",
    ]
    assert result["rows"] == [TYPED[loaded.warehouse]]
    assert (result["row_count"], result["truncated"]) == (1, False)
    assert result["elapsed_ms"] >= 0
    assert total.json()["rows"] == [[EXACT_SUM[loaded.warehouse]]]


def test_limit_caps_the_rows_and_sets_truncated(query_service, loaded):
    sql = "SELECT customer_id FROM customers ORDER BY customer_id"
    with query_service.client() as client:
        first = _query(client, loaded.name, sql, limit=10).json()
        whole = _query(client, loaded.name, sql).json()
        exact = _query(client, loaded.name, sql, limit=ROWS["customers"]).json()
    assert first["rows"] == [[i] for i in range(10)]
    assert (first["row_count"], first["truncated"]) == (10, True)
    assert (whole["row_count"], whole["truncated"]) == (ROWS["customers"], False)
    assert (exact["row_count"], exact["truncated"]) == (ROWS["customers"], False)


def test_a_join_runs_in_the_warehouse_dialect(query_service, loaded):
    # orders i and i + 15 belong to customer i (region and id), amounts i / 4 and (i + 15) / 4
    sql = (
        "SELECT c.customer_id, COUNT(*) AS orders, SUM(o.amount) AS total "
        "FROM customers c JOIN orders o "
        "ON o.region = c.region AND o.customer_id = c.customer_id "
        "GROUP BY c.customer_id ORDER BY c.customer_id"
    )
    with query_service.client() as client:
        response = _query(client, loaded.name, sql)
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert [r[:2] for r in rows] == [[i, 2] for i in range(15)]
    assert float(rows[0][2]) == 3.75
    assert float(rows[14][2]) == (14 + 29) / 4


def test_bad_sql_is_a_400_with_the_warehouses_message(query_service, loaded):
    with query_service.client() as client:
        response = _query(client, loaded.name, "SELECT * FROM no_such_table")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith(f"{loaded.warehouse.value}: ")
    assert "no_such_table" in detail.lower()


def test_csv_streams_every_row_past_the_json_limit(query_service, loaded):
    count = ROWS["customers"] ** 2  # 2025: more than the JSON default of 1000
    assert count > 1000
    assert count > 2 * CSV_BATCH_ROWS  # several batches
    with query_service.client() as client:
        capped = _query(client, loaded.name, CROSS_JOIN).json()
        response = client.post(
            f"/experiments/{loaded.name}/query", params={"format": "csv"}, json={"sql": CROSS_JOIN}
        )
    assert (capped["row_count"], capped["truncated"]) == (1000, True)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.text)))
    assert [h.lower() for h in lines[0]] == ["a", "b"]
    n = ROWS["customers"]
    assert lines[1:] == [[str(i), str(j)] for i in range(n) for j in range(n)]


def test_csv_keeps_values_exact_and_marks_nulls(query_service, loaded):
    sql = "SELECT id, c_decimal, c_varchar, c_json FROM all_types WHERE id IN (1, 3) ORDER BY id"
    with query_service.client() as client:
        response = client.post(
            f"/experiments/{loaded.name}/query", params={"format": "csv"}, json={"sql": sql}
        )
    header, null_row, row = list(csv.reader(io.StringIO(response.text)))
    assert [h.lower() for h in header] == ["id", "c_decimal", "c_varchar", "c_json"]
    assert null_row == ["1", "", "", ""]
    assert row[:3] == ["3", str(TYPED[loaded.warehouse][0]), "value 3"]
    assert json.loads(row[3]) == {"n": 3, "tags": ["a", "b"]}


def test_unknown_experiment_is_a_404_naming_it(query_service):
    name = f"missing_{uuid.uuid4().hex[:6]}"
    with query_service.client() as client:
        as_json = _query(client, name, "SELECT 1")
        as_csv = client.post(
            f"/experiments/{name}/query", params={"format": "csv"}, json={"sql": "SELECT 1"}
        )
    for response in (as_json, as_csv):
        assert response.status_code == 404
        assert response.json() == {"detail": f"experiment {name} does not exist"}


@pytest.mark.parametrize("output", ["json", "csv"])
def test_a_slow_query_stops_at_its_timeout_with_a_400(query_service, loaded, output):
    with query_service.client() as client:
        response = client.post(
            f"/experiments/{loaded.name}/query",
            params={"format": output},
            json={"sql": SLOW_SQL[loaded.warehouse], "timeout_s": 1.5},
        )
        after = _query(client, loaded.name, "SELECT COUNT(*) AS n FROM orders")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"{loaded.warehouse.value}: query stopped after 1.5 s (the statement timeout)"
    )
    assert after.json()["rows"] == [[ROWS["orders"]]]


def test_the_query_id_is_returned_and_a_given_one_is_kept(query_service, loaded):
    with query_service.client() as client:
        generated = _query(client, loaded.name, "SELECT 1 AS one")
        given = client.post(
            f"/experiments/{loaded.name}/query",
            json={"sql": "SELECT 1 AS one"},
            headers={"X-Query-Id": "my-query.1"},
        )
        failed = client.post(
            f"/experiments/{loaded.name}/query",
            json={"sql": "SELECT * FROM no_such_table"},
            headers={"X-Query-Id": "my-query.2"},
        )
    assert len(generated.headers["x-query-id"]) >= 16
    assert given.headers["x-query-id"] == "my-query.1"
    assert failed.headers["x-query-id"] == "my-query.2"


@pytest.mark.parametrize("output", ["json", "csv"])
def test_cancel_from_another_client_stops_the_query(query_service, loaded, output):
    query_id = f"cancel-{uuid.uuid4().hex[:8]}"
    outcome: dict = {}

    def run() -> None:
        with query_service.client() as client:
            outcome["response"] = client.post(
                f"/experiments/{loaded.name}/query",
                params={"format": output},
                json={"sql": SLOW_SQL[loaded.warehouse], "timeout_s": 60},
                headers={"X-Query-Id": query_id},
            )

    worker = threading.Thread(target=run)
    worker.start()
    with query_service.client() as client:
        cancelled = _cancel_once_running(client, query_id)
    worker.join(60)
    assert cancelled.json() == {"query_id": query_id, "status": "cancelled"}
    response = outcome["response"]
    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"query {query_id} was cancelled ({loaded.warehouse.value}: the query was cancelled)"
    )


def _cancel_once_running(client, query_id: str, attempts: int = 200):
    """Cancel ``query_id`` as soon as the service knows it (404 until it has started)."""
    for _ in range(attempts):
        response = client.post(f"/queries/{query_id}/cancel")
        if response.status_code != 404:
            assert response.status_code == 200, response.text
            return response
        threading.Event().wait(0.05)
    raise AssertionError(f"query {query_id} never started")
