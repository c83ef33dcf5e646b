"""What each warehouse's own catalog says after ``materialize``: column types, nullability,
composite primary keys, unique and foreign keys, Redshift's physical attributes."""

import pytest

from dwsim_shared.contracts.enums import Dialect, Warehouse
from tests.adapters.conftest import WarehouseCase
from tests.adapters.staging import experiment

NATIVE = {Warehouse.REDSHIFT: Dialect.REDSHIFT, Warehouse.SNOWFLAKE: Dialect.SNOWFLAKE}


def _materialize(case: WarehouseCase, name: str):
    exp = experiment(name, case.warehouse, NATIVE.get(case.warehouse))
    case.adapter.materialize(exp)
    return exp


@pytest.fixture
def sqlite_exp(sqlite_case: WarehouseCase, experiment_name: str):
    return _materialize(sqlite_case, experiment_name)


@pytest.fixture
def snowflake_exp(snowflake_case: WarehouseCase, experiment_name: str):
    yield (exp := _materialize(snowflake_case, experiment_name))
    snowflake_case.adapter.drop(exp)


@pytest.fixture
def redshift_exp(redshift_case: WarehouseCase, experiment_name: str):
    yield (exp := _materialize(redshift_case, experiment_name))
    redshift_case.adapter.drop(exp)


def _rows(case: WarehouseCase, exp, sql: str) -> list[list]:
    return case.adapter.query(exp, sql).rows


def test_sqlite_catalog_has_types_keys_and_foreign_keys(sqlite_case, sqlite_exp):
    columns = _rows(
        sqlite_case, sqlite_exp, "SELECT name, type FROM pragma_table_info('all_types')"
    )
    assert dict(columns) == {
        "id": "INTEGER", "c_smallint": "SMALLINT", "c_integer": "INTEGER", "c_bigint": "BIGINT",
        "c_decimal": "DECIMAL(12,2)", "c_real": "REAL", "c_double": "DOUBLE", "c_char": "CHAR(3)",
        "c_varchar": "VARCHAR(40)", "c_text": "TEXT", "c_date": "DATE", "c_time": "TIME",
        "c_timestamp": "TIMESTAMP", "c_timestamptz": "TIMESTAMPTZ", "c_boolean": "BOOLEAN",
        "c_uuid": "UUID", "c_json": "JSON", "c_object": "JSON", "c_array": "JSON",
        "c_binary": "BLOB", "order_id": "BIGINT",
    }  # fmt: skip
    keys = _rows(
        sqlite_case,
        sqlite_exp,
        "SELECT name, \"notnull\", pk FROM pragma_table_info('customers') ORDER BY cid",
    )
    assert keys == [["region", 1, 1], ["customer_id", 1, 2], ["name", 0, 0]]
    fks = _rows(
        sqlite_case,
        sqlite_exp,
        'SELECT "table", "from", "to" FROM pragma_foreign_key_list(\'orders\') ORDER BY seq',
    )
    assert fks == [["customers", "region", "region"], ["customers", "customer_id", "customer_id"]]
    assert _rows(
        sqlite_case,
        sqlite_exp,
        'SELECT "table", "from", "to" FROM pragma_foreign_key_list(\'employees\')',
    ) == [["employees", "manager_id", "emp_id"]]


def test_snowflake_catalog_has_types_and_keys(snowflake_case, snowflake_exp):
    columns = _rows(
        snowflake_case,
        snowflake_exp,
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'ALL_TYPES' ORDER BY ordinal_position",
    )
    types = dict(columns)
    assert types["C_DECIMAL"] == "NUMBER"
    assert {types[c] for c in ("C_SMALLINT", "C_INTEGER", "C_BIGINT", "ID")} == {"NUMBER"}
    assert {types[c] for c in ("C_REAL", "C_DOUBLE")} == {"FLOAT"}
    assert {types[c] for c in ("C_CHAR", "C_VARCHAR", "C_TEXT", "C_UUID")} == {"TEXT"}
    assert (types["C_DATE"], types["C_TIME"], types["C_BOOLEAN"]) == ("DATE", "TIME", "BOOLEAN")
    assert (types["C_TIMESTAMP"], types["C_TIMESTAMPTZ"]) == ("TIMESTAMP_NTZ", "TIMESTAMP_TZ")
    assert {types[c] for c in ("C_JSON", "C_OBJECT", "C_ARRAY")} <= {"VARIANT", "OBJECT", "ARRAY"}
    assert types["C_BINARY"] == "BINARY"
    pk = _rows(
        snowflake_case,
        snowflake_exp,
        "SELECT table_name, constraint_type FROM information_schema.table_constraints "
        f"WHERE table_schema = '{snowflake_exp.name.upper()}' "
        "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY table_name, constraint_type",
    )
    assert pk == [
        ["ALL_TYPES", "PRIMARY KEY"],
        ["CUSTOMERS", "PRIMARY KEY"],
        ["CUSTOMERS", "UNIQUE"],
        ["EMPLOYEES", "PRIMARY KEY"],
        ["ORDERS", "PRIMARY KEY"],
    ]


def test_redshift_catalog_has_columns_and_keys(redshift_case, redshift_exp):
    columns = _rows(
        redshift_case,
        redshift_exp,
        "SELECT column_name, is_nullable FROM information_schema.columns "
        f"WHERE table_schema = '{redshift_exp.name}' AND table_name = 'all_types' "
        "ORDER BY ordinal_position",
    )
    assert [c[0] for c in columns] == [c.name for c in redshift_exp.table("all_types").columns]
    assert columns[0] == ["id", "NO"]
    keys = _rows(
        redshift_case,
        redshift_exp,
        "SELECT conname, contype FROM pg_constraint c JOIN pg_namespace n "
        f"ON n.oid = c.connamespace WHERE nspname = '{redshift_exp.name}' AND contype IN ('p', 'u') "
        "ORDER BY conname",
    )
    assert [k[1] for k in keys] == ["p", "u", "p", "p", "p"]


def test_redshift_records_dist_and_sort_keys(redshift_case, redshift_exp):
    rows = _rows(
        redshift_case,
        redshift_exp,
        'SELECT "column", encoding, distkey, sortkey FROM pg_table_def '
        "WHERE tablename = 'orders' ORDER BY \"column\"",
    )
    assert ["customer_id", "none", True, 0] in rows
    assert ["region", "zstd", False, 1] in rows
    assert ["order_id", "az64", False, 2] in rows
    info = _rows(
        redshift_case,
        redshift_exp,
        "SELECT encoded, diststyle, sortkey1, sortkey1_enc, sortkey_num FROM svv_table_info "
        f"WHERE schema = '{redshift_exp.name}' AND \"table\" = 'orders'",
    )
    assert info == [["Y", "KEY(customer_id)", "region", "zstd", 2]]
