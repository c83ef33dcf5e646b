"""Generate sized as a whole (``scale`` or ``rows_total``, as ``dwsim generate --scale X`` and
``--rows TOTAL`` size a run): lookups keep their rows, the others grow together, a child whose
key is its parent's keeps within it; explicit per-table rows win; the task gets every count."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from dwsim_gateway.config import Settings
from dwsim_shared.contracts.tasks import Queue
from tests.gateway.conftest import Task, new_name


def _column(name: str, kind: str = "bigint") -> dict:
    return {"name": name, "type": {"kind": kind, "raw": kind.upper()}}


def _fk(column: str, parent: str) -> dict:
    return {"columns": [column], "references_table": parent, "references_columns": ["id"]}


def shop(name: str) -> dict:
    """statuses (a lookup: 4 rows, not scaled) <- orders (5000) -> customers (1000) <- a
    one-to-one profile per customer (800: its key is the customer's)."""
    return {
        "name": name,
        "warehouse": "redshift",
        "tables": [
            {
                "name": "statuses",
                "columns": [_column("id"), _column("label", "varchar")],
                "primary_key": ["id"],
                "rows": 4,
                "sizing": {"role": "lookup", "scales": False},
            },
            {
                "name": "customers",
                "columns": [_column("id")],
                "primary_key": ["id"],
                "rows": 1000,
            },
            {
                "name": "profiles",
                "columns": [_column("customer_id")],
                "primary_key": ["customer_id"],
                "foreign_keys": [_fk("customer_id", "customers")],
                "rows": 800,
            },
            {
                "name": "orders",
                "columns": [_column("id"), _column("customer_id"), _column("status_id")],
                "primary_key": ["id"],
                "foreign_keys": [_fk("customer_id", "customers"), _fk("status_id", "statuses")],
                "rows": 5000,
            },
        ],
    }


@pytest.fixture
def experiment(api: TestClient) -> str:
    name = new_name()
    response = api.post("/api/experiments", json={"schema": shop(name)})
    assert response.status_code == 201, response.text
    return name


def _generate(api: TestClient, experiment: str, queued, **body) -> tuple[dict, dict[str, int]]:
    response = api.post(f"/api/experiments/{experiment}/generate", json=body)
    assert response.status_code == 202, response.text
    accepted = response.json()
    [task] = [t for t in queued(Queue.GENERATOR) if t.payload["job_id"] == accepted["job_id"]]
    return accepted, task.payload["rows"]


def test_rows_total_scales_all_but_the_lookup(
    api: TestClient, experiment: str, queued: Callable[[Queue], list[Task]]
) -> None:
    # 13604 = 4 (lookup) + 2 x (1000 + 800 + 5000)
    accepted, rows = _generate(api, experiment, queued, rows_total=13604, load=False)
    assert rows == {"statuses": 4, "customers": 2000, "profiles": 1600, "orders": 10000}
    assert accepted["rows_total"] == 13604
    assert accepted["bytes_estimate"] > 0


def test_scale_keeps_a_one_to_one_child_within_its_parent(
    api: TestClient, experiment: str, queued: Callable[[Queue], list[Task]]
) -> None:
    # customers asked for 300 explicitly (any case): profiles, scaled to 1600, stop at 300
    accepted, rows = _generate(api, experiment, queued, scale=2, rows={"CUSTOMERS": 300})
    assert rows == {"statuses": 4, "customers": 300, "profiles": 300, "orders": 10000}
    assert accepted["rows_total"] == 10604


def test_scale_down_keeps_a_row_per_scaled_table(
    api: TestClient, experiment: str, queued: Callable[[Queue], list[Task]]
) -> None:
    _, rows = _generate(api, experiment, queued, scale=0.0001)
    assert rows == {"statuses": 4, "customers": 1, "profiles": 1, "orders": 1}


def test_scale_and_rows_total_together_are_422(api: TestClient, experiment: str) -> None:
    response = api.post(
        f"/api/experiments/{experiment}/generate", json={"scale": 2, "rows_total": 100}
    )
    assert response.status_code == 422
    assert "give scale or rows_total, not both" in str(response.json()["detail"])


def test_a_scaled_table_over_the_row_limit_is_400_naming_it(
    settings: Settings,
    make_client: Callable[[Settings], TestClient],
    experiment: str,
    queued: Callable[[Queue], list[Task]],
) -> None:
    api = make_client(settings.model_copy(update={"max_rows": 9000}))
    response = api.post(f"/api/experiments/{experiment}/generate", json={"scale": 2})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "table orders: 10000 rows is over the limit of 9000" in detail
    assert "DWSIM_MAX_ROWS" in detail
    assert queued(Queue.GENERATOR) == []
    # the same total with orders asked for explicitly within the limit is accepted
    ok = api.post(
        f"/api/experiments/{experiment}/generate", json={"scale": 2, "rows": {"orders": 9000}}
    )
    assert ok.status_code == 202, ok.text
