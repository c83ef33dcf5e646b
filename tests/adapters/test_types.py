"""Every column type the experiment schema can hold materializes, loads from Parquet and comes
back through ``query`` as the same value, in every warehouse, from both type renderings (the
warehouse's own DDL text, and types rebuilt from their kind)."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from dwsim_shared.contracts.enums import Dialect, Warehouse
from tests.adapters.conftest import WarehouseCase
from tests.adapters.staging import TYPES, experiment, stage_run

NATIVE = {Warehouse.REDSHIFT: Dialect.REDSHIFT, Warehouse.SNOWFLAKE: Dialect.SNOWFLAKE}
ROWS = {"all_types": 4, "orders": 4, "customers": 4, "employees": 4}


def _when(value) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


# Column -> (what row 2 must hold, how to read the returned value). The readers only undo
# representation (SQLite stores temporal values as text and booleans as 0/1); values must match.
EXPECTED = {
    "c_smallint": (-3, int),
    "c_integer": (2000, int),
    "c_bigint": (10**12 + 2, int),
    "c_decimal": (Decimal("2.5"), lambda v: Decimal(str(v))),
    "c_real": (1.0, float),
    "c_double": (0.5, float),
    "c_char": ("c02", str.rstrip),
    "c_varchar": ("value 2", str),
    "c_text": ("long text " * 3, str),
    "c_date": (dt.date(2024, 1, 3), dt.date.fromisoformat),
    "c_time": (dt.time(10, 2, 30), dt.time.fromisoformat),
    "c_timestamp": (dt.datetime(2024, 1, 1, 14, 30, 15, tzinfo=dt.UTC), _when),
    "c_timestamptz": (dt.datetime(2024, 1, 1, 12, 32, 15, tzinfo=dt.UTC), _when),
    "c_boolean": (True, bool),
    "c_uuid": ("00000000-0000-0000-0000-000000000002", str),
    "c_json": ({"n": 2, "tags": ["a", "b"]}, _json),
    "c_object": ({"k": "v2"}, _json),
    "c_array": ([2, 3], _json),
    "c_binary": ("02ff0007", str),
}


@pytest.fixture(params=["native", "from-kind"])
def loaded(request, warehouse_case: WarehouseCase, experiment_name: str, s3_bucket: str):
    dialect = NATIVE.get(warehouse_case.warehouse) if request.param == "native" else None
    exp = experiment(experiment_name, warehouse_case.warehouse, dialect)
    warehouse_case.adapter.materialize(exp)
    run = stage_run(warehouse_case.s3.client(), s3_bucket, exp, ROWS)
    warehouse_case.adapter.load_run(exp, run.manifest, run.layout, s3_bucket)
    yield exp
    warehouse_case.adapter.drop(exp)


def _row(case: WarehouseCase, exp, row_id: int) -> dict:
    result = case.adapter.query(exp, f"SELECT * FROM all_types WHERE id = {row_id}")
    assert result.row_count == 1
    return {c.name.lower(): v for c, v in zip(result.columns, result.rows[0], strict=True)}


def test_every_type_round_trips_with_its_value(warehouse_case, loaded):
    assert set(EXPECTED) == {f"c_{kind.value}" for kind, *_ in TYPES}
    row = _row(warehouse_case, loaded, 2)
    got = {name: read(row[name]) for name, (_, read) in EXPECTED.items()}
    assert got == {name: want for name, (want, _) in EXPECTED.items()}
    json.dumps(row)  # every value is JSON-safe as returned


def test_nulls_of_every_type_round_trip(warehouse_case, loaded):
    row = _row(warehouse_case, loaded, 1)
    assert {name: row[name] for name in EXPECTED} == dict.fromkeys(EXPECTED)


def test_nulls_are_stored_as_null(warehouse_case, loaded):
    counts = ", ".join(f"COUNT({name})" for name in EXPECTED)
    result = warehouse_case.adapter.query(loaded, f"SELECT {counts} FROM all_types")
    assert result.rows == [[ROWS["all_types"] - 1] * len(EXPECTED)]
