"""The registry and connection configs, lazy driver imports, JSON-safe values, and the errors a
user sees when a warehouse cannot be reached."""

import datetime as dt
import json
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from pydantic import TypeAdapter

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses import (
    ConnectionConfig,
    RedshiftConnection,
    SnowflakeConnection,
    SqliteConnection,
    WarehouseError,
    WarehouseUnavailableError,
    adapter_class,
    connection_from_settings,
    get_adapter,
)
from dwsim_shared.warehouses.values import json_safe
from tests.adapters.staging import experiment
from tests.fixtures.servers import free_port


def test_every_warehouse_has_an_adapter_built_from_the_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("DWSIM_REDSHIFT_PORT", "15439")
    monkeypatch.setenv("DWSIM_SNOWFLAKE_HOST", "sf.local")
    monkeypatch.setenv("DWSIM_DATA_DIR", str(tmp_path))
    settings = DwsimSettings()
    for warehouse in Warehouse:
        adapter = get_adapter(warehouse, settings)
        assert isinstance(adapter, adapter_class(warehouse))
        assert adapter.warehouse == warehouse
        adapter.close()
    assert connection_from_settings(Warehouse.REDSHIFT, settings).port == 15439
    assert connection_from_settings(Warehouse.SNOWFLAKE, settings).host == "sf.local"
    assert connection_from_settings(Warehouse.SQLITE, settings).directory == tmp_path / "sqlite"


def test_a_connection_of_another_warehouse_is_refused():
    with pytest.raises(ValueError, match="a sqlite connection cannot serve warehouse redshift"):
        get_adapter(Warehouse.REDSHIFT, connection=SqliteConnection())


def test_stored_connections_are_told_apart_by_their_type():
    parse = TypeAdapter(ConnectionConfig).validate_python
    assert isinstance(parse({"type": "redshift", "port": 1}), RedshiftConnection)
    assert isinstance(parse({"type": "snowflake"}), SnowflakeConnection)
    assert isinstance(parse({"type": "sqlite", "data_dir": "x"}), SqliteConnection)
    assert "s3cr3t" not in repr(RedshiftConnection(password="s3cr3t"))  # secrets stay out of logs


def test_importing_the_adapters_imports_no_driver():
    code = (
        "import sys, dwsim_shared.warehouses as a; a.get_adapter; "
        "print(sorted(m for m in ('psycopg2', 'snowflake', 'pyarrow', 'boto3') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_query_values_are_json_safe():
    row = [
        Decimal("12.50"),
        dt.date(2024, 2, 29),
        dt.datetime(2024, 1, 1, 8, 0, tzinfo=dt.UTC),
        dt.time(7, 5),
        b"\x00\xff",
        float("nan"),
        float("-inf"),
        {"k": [Decimal("1.5"), memoryview(b"\x01")]},
    ]
    safe = [json_safe(v) for v in row]
    assert safe == [
        "12.50",
        "2024-02-29",
        "2024-01-01T08:00:00+00:00",
        "07:05:00",
        "00ff",
        "NaN",
        "-Infinity",
        {"k": ["1.5", "01"]},
    ]
    json.dumps(safe, allow_nan=False)


def test_unreachable_redshift_names_its_address():
    port = free_port()
    adapter = get_adapter(
        Warehouse.REDSHIFT, connection=RedshiftConnection(port=port, connect_timeout_s=2)
    )
    with pytest.raises(
        WarehouseUnavailableError, match=rf"redshift://dwsim@127\.0\.0\.1:{port}/dev"
    ):
        adapter.materialize(experiment("shop", Warehouse.REDSHIFT))


def test_unreachable_snowflake_names_its_address():
    port = free_port()
    adapter = get_adapter(
        Warehouse.SNOWFLAKE, connection=SnowflakeConnection(port=port, login_timeout_s=2)
    )
    start = time.monotonic()
    with pytest.raises(WarehouseUnavailableError, match=rf"http://127\.0\.0\.1:{port}"):
        adapter.drop(experiment("shop", Warehouse.SNOWFLAKE))
    assert time.monotonic() - start < 30


def test_sqlite_experiment_not_materialized_is_a_clear_error(tmp_path):
    adapter = get_adapter(Warehouse.SQLITE, connection=SqliteConnection(data_dir=str(tmp_path)))
    exp = experiment("never", Warehouse.SQLITE)
    with pytest.raises(WarehouseError, match="experiment never is not materialized"):
        adapter.query(exp, "SELECT 1")
    with pytest.raises(WarehouseError, match="experiment never is not materialized"):
        adapter.count_rows(exp, "customers")
    with pytest.raises(WarehouseError, match="has no table nope"):
        adapter.count_rows(exp, "nope")


def test_sqlite_queries_cannot_reach_other_files(tmp_path):
    adapter = get_adapter(Warehouse.SQLITE, connection=SqliteConnection(data_dir=str(tmp_path)))
    exp = experiment("own", Warehouse.SQLITE)
    adapter.materialize(exp)
    outside = tmp_path / "outside.db"
    for sql in (f"ATTACH '{outside}' AS other", f"VACUUM INTO '{outside}'"):
        with pytest.raises(WarehouseError, match="sees only the experiment's own file"):
            adapter.query(exp, sql)
    assert not outside.exists()
    assert adapter.query(exp, "SELECT COUNT(*) FROM customers").rows == [[0]]
    adapter.close()
