"""``POST /experiments/{name}/profile``: a table's column profile computed by each warehouse,
over HTTP, against real servers, on data whose profile is known (``tests.adapters.staging``:
``all_types`` row i holds the values of i, row 1 only NULLs, for i in 0..5)."""

import uuid

import pytest

from dwsim_shared.contracts.api import TableProfile
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.warehouses import get_adapter
from tests.adapters.staging import experiment

TS = "2024-01-01T{}"
# bins=4 over the non-NULL values of rows 0, 2, 3, 4, 5: (lower, upper, count); each bin holds
# lower <= v < upper, the last one v == upper too. Whole numbers and dates are discrete: bins
# start on whole values ([0, 1.5, 3, 4.5) of 0..5 start on 0, 2, 3, 5).
HISTOGRAMS = {
    "id": [(0, 2, 2), (2, 3, 1), (3, 5, 2), (5, 5, 1)],  # 0..5, no NULL
    "c_smallint": [(-5, -3, 1), (-3, -2, 1), (-2, 0, 2), (0, 0, 1)],  # i - 5
    "c_integer": [(0, 1251, 1), (1251, 2501, 1), (2501, 3751, 1), (3751, 5000, 2)],  # i * 1000
    "c_decimal": [(0.0, 1.5625, 1), (1.5625, 3.125, 1), (3.125, 4.6875, 1), (4.6875, 6.25, 2)],
    "c_double": [(0.0, 0.3125, 1), (0.3125, 0.625, 1), (0.625, 0.9375, 1), (0.9375, 1.25, 2)],
    "c_date": [  # 2024-01-01 + i days
        ("2024-01-01", "2024-01-03", 1),
        ("2024-01-03", "2024-01-04", 1),
        ("2024-01-04", "2024-01-06", 2),
        ("2024-01-06", "2024-01-06", 1),
    ],
    "c_timestamp": [  # 12:30:15 + i hours: 5 hours in bins of 1 h 15 min
        (TS.format("12:30:15"), TS.format("13:45:15"), 1),
        (TS.format("13:45:15"), TS.format("15:00:15"), 1),
        (TS.format("15:00:15"), TS.format("16:15:15"), 1),
        (TS.format("16:15:15"), TS.format("17:30:15"), 2),
    ],
    "c_timestamptz": [  # 12:30:15 UTC + i minutes
        (TS.format("12:30:15+00:00"), TS.format("12:31:30+00:00"), 1),
        (TS.format("12:31:30+00:00"), TS.format("12:32:45+00:00"), 1),
        (TS.format("12:32:45+00:00"), TS.format("12:34:00+00:00"), 1),
        (TS.format("12:34:00+00:00"), TS.format("12:35:15+00:00"), 2),
    ],
}
LONG = "long text "  # c_text is LONG * (i % 3 + 1)
TOP_VALUES = {
    "c_text": [(LONG, 2), (LONG * 3, 2), (LONG * 2, 1)],  # ties by value
    "c_boolean": [(True, 3), (False, 2)],  # i % 2 == 0
}
SQLITE_BOOLEANS = [(1, 3), (0, 2)]  # SQLite keeps booleans as integers
ALL_DISTINCT = ["c_char", "c_varchar", "c_uuid", "c_time", "c_json", "c_binary"]


def _profile(query_service, name: str, **body):
    with query_service.client() as client:
        return client.post(f"/experiments/{name}/profile", json=body)


def test_every_kind_of_column_as_each_warehouse_computes_it(query_service, profiled):
    response = _profile(query_service, profiled.name, table="all_types", bins=4, top=3)
    assert response.status_code == 200, response.text
    profile = TableProfile.model_validate(response.json())
    assert (profile.experiment, profile.table, profile.rows) == (profiled.name, "all_types", 6)
    columns = {c.name: c for c in profile.columns}
    assert list(columns) == [c.name for c in profiled.table("all_types").columns]
    for column in profile.columns:
        nulls = 0 if column.name in ("id", "order_id") else 1  # row 1 is NULL but its keys
        assert (column.rows, column.nulls, column.null_fraction) == (6, nulls, nulls / 6)
    for name, bins in HISTOGRAMS.items():
        got = [(b.lower, b.upper, b.count) for b in columns[name].histogram]
        assert got == bins, name
        assert columns[name].top_values is None
    expected_top = dict(TOP_VALUES)
    if profiled.warehouse == Warehouse.SQLITE:
        expected_top["c_boolean"] = SQLITE_BOOLEANS
    for name, top in expected_top.items():
        assert [(v.value, v.count) for v in columns[name].top_values] == top, name
        assert columns[name].histogram is None
    for name in ALL_DISTINCT:  # no value is more frequent than another
        assert (columns[name].distinct, columns[name].top_values) == (5, []), name
    assert (columns["c_text"].distinct, columns["c_boolean"].distinct) == (3, 2)
    assert (columns["c_varchar"].min, columns["c_varchar"].max) == ("value 0", "value 5")
    assert (columns["c_integer"].min, columns["c_integer"].max) == (0, 5000)
    assert (columns["c_boolean"].min, columns["c_json"].max) == (None, None)  # not ordered


def test_named_columns_in_the_order_asked_and_top_values_capped(query_service, profiled):
    response = _profile(
        query_service, profiled.name, table="all_types", columns=["c_text", "id"], top=1
    )
    assert response.status_code == 200, response.text
    columns = response.json()["columns"]
    assert [c["name"] for c in columns] == ["c_text", "id"]
    assert columns[0]["top_values"] == [{"value": LONG, "count": 2}]
    # 6 whole values 0..5 and 20 bins asked for: one bin per value
    assert [(b["lower"], b["count"]) for b in columns[1]["histogram"]] == [(i, 1) for i in range(6)]


def test_bins_collapse_to_one_when_min_equals_max(query_service, profiled):
    response = _profile(query_service, profiled.name, table="employees", bins=10)
    assert response.status_code == 200, response.text
    manager = response.json()["columns"][1]
    assert (manager["name"], manager["nulls"], manager["distinct"]) == ("manager_id", 1, 1)
    assert manager["histogram"] == [{"lower": 0, "upper": 0, "count": 2}]
    whole = _profile(query_service, profiled.name, table="all_types", columns=["c_date"], bins=1)
    assert whole.json()["columns"][0]["histogram"] == [
        {"lower": "2024-01-01", "upper": "2024-01-06", "count": 5}
    ]


def test_a_table_without_data_is_409_saying_to_generate_and_load(query_service, metadata, profiled):
    exp = experiment(f"qn_{uuid.uuid4().hex[:8]}", profiled.warehouse)
    metadata.create_experiment(exp)
    try:
        missing = _profile(query_service, exp.name, table="orders")
        assert missing.status_code == 409
        assert missing.json()["detail"].startswith(
            f"table orders of experiment {exp.name} is not in the "
        )
        assert "warehouse yet: generate and load data first" in missing.json()["detail"]
        with get_adapter(exp.warehouse, query_service.settings()) as adapter:
            adapter.materialize(exp)
            try:
                empty = _profile(query_service, exp.name, table="orders")
            finally:
                adapter.drop(exp)
        assert empty.status_code == 409
        assert empty.json()["detail"] == (
            f"table orders of experiment {exp.name} has no rows yet: generate and load data first"
        )
    finally:
        metadata.delete_experiment(exp.name)


@pytest.mark.parametrize("profiled", [Warehouse.SQLITE], indirect=True, ids=str)
@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"table": "nosuch"}, 400, "has no table nosuch (known: all_types, orders, customers"),
        (
            {"table": "all_types", "columns": ["id", "ID2"]},
            400,
            "table all_types has no column ID2",
        ),
        ({"table": "ALL_TYPES"}, 400, "has no table ALL_TYPES"),  # the gateway resolves case
        ({"table": "all_types", "bins": 0}, 422, None),
        ({"table": "all_types", "top": 101}, 422, None),
        ({"table": "all_types", "columns": []}, 422, None),
    ],
)
def test_a_request_the_schema_does_not_fit_is_refused(
    query_service, profiled, body, status, detail
):
    response = _profile(query_service, profiled.name, **body)
    assert response.status_code == status
    if detail:
        assert detail in response.json()["detail"]


def test_an_unknown_experiment_is_404(query_service):
    response = _profile(query_service, "nosuch_experiment", table="t")
    assert response.status_code == 404
    assert response.json()["detail"] == "experiment nosuch_experiment does not exist"
