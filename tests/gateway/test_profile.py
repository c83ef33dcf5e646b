"""``GET /api/experiments/{name}/tables/{table}/profile`` through the gateway: names resolved
from the experiment's schema ignoring case, the profile computed by the real query service
over each warehouse, and the refusals a user can act on."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from dwsim_gateway.config import Settings
from dwsim_shared.contracts.enums import Warehouse
from tests.gateway.conftest import DDL, new_name

DATES = [  # all_types.c_date, rows 0 and 2..5 (row 1 is NULL): 2024-01-01 + i days
    {"lower": "2024-01-01", "upper": "2024-01-03", "count": 1},
    {"lower": "2024-01-03", "upper": "2024-01-04", "count": 1},
    {"lower": "2024-01-04", "upper": "2024-01-06", "count": 2},
    {"lower": "2024-01-06", "upper": "2024-01-06", "count": 1},
]


@pytest.fixture
def profile_api(
    settings: Settings, make_client: Callable[[Settings], TestClient], query_service
) -> TestClient:
    return make_client(settings.model_copy(update={"query_url": query_service.url}))


def _get(api: TestClient, experiment: str, table: str, **params) -> object:
    return api.get(f"/api/experiments/{experiment}/tables/{table}/profile", params=params)


def test_names_are_matched_ignoring_case_and_kept_in_order(profile_api, profiled):
    response = _get(profile_api, profiled.name, "ALL_Types", columns="C_Date, ID,c_date", bins=4)
    assert response.status_code == 200, response.text
    profile = response.json()
    assert (profile["experiment"], profile["table"], profile["rows"]) == (
        profiled.name,
        "all_types",
        6,
    )
    assert [c["name"] for c in profile["columns"]] == ["c_date", "id"]
    date = profile["columns"][0]
    assert (date["type"], date["nulls"], date["distinct"]) == ("DATE", 1, 5)
    assert (date["min"], date["max"], date["histogram"]) == ("2024-01-01", "2024-01-06", DATES)
    assert profile["elapsed_ms"] > 0


def test_every_column_by_default_with_top_values(profile_api, profiled):
    response = _get(profile_api, profiled.name, "customers", top=2)
    assert response.status_code == 200, response.text
    columns = {c["name"]: c for c in response.json()["columns"]}
    assert list(columns) == ["region", "customer_id", "name"]
    # 45 customers: region cycles eu, us, apac (15 each; ties by value), names all distinct
    assert columns["region"]["top_values"] == [
        {"value": "apac", "count": 15},
        {"value": "eu", "count": 15},
    ]
    assert (columns["name"]["distinct"], columns["name"]["top_values"]) == (45, [])
    assert columns["customer_id"]["histogram"][0] == {"lower": 0, "upper": 3, "count": 3}


@pytest.mark.parametrize("profiled", [Warehouse.SQLITE], indirect=True, ids=str)
@pytest.mark.parametrize(
    ("table", "params", "status", "detail"),
    [
        ("nosuch", {}, 400, "has no table nosuch (known: all_types, orders, customers, employees)"),
        ("orders", {"columns": "amount,nope"}, 400, "table orders has no column nope (known: "),
        ("orders", {"bins": 0}, 422, None),
        ("orders", {"bins": 101}, 422, None),
        ("orders", {"top": 0}, 422, None),
    ],
)
def test_unknown_names_and_out_of_range_params_are_refused(
    profile_api, profiled, table, params, status, detail
):
    response = _get(profile_api, profiled.name, table, **params)
    assert response.status_code == status
    if detail:
        assert detail in response.json()["detail"]


def test_unknown_experiment_is_404(profile_api):
    response = _get(profile_api, "nosuch_exp", "t")
    assert response.status_code == 404
    assert response.json()["detail"] == "experiment nosuch_exp not found"


def test_before_its_data_is_loaded_a_table_is_409(profile_api):
    """Right after the experiment is created (its tables not even created yet: no worker)."""
    name = new_name()
    created = profile_api.post(
        "/api/experiments", json={"name": name, "ddl": DDL, "dialect": "redshift"}
    )
    assert created.status_code == 201, created.text
    response = _get(profile_api, name, "Orders")
    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        f"table orders of experiment {name} is not in the Redshift warehouse yet: "
        "generate and load data first"
    )


def test_query_service_down_is_503(api: TestClient, experiment: str):
    response = _get(api, experiment, "orders")
    assert response.status_code == 503
    assert "the query service at" in response.json()["detail"]
