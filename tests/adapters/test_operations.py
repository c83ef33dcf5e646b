"""Every adapter operation on every warehouse, against real servers and real staged Parquet."""

import time

import pytest

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.graph import load_order
from dwsim_shared.contracts.jobs import ManifestFile, TableManifest
from dwsim_shared.warehouses import QueryError, QueryTimeoutError, WarehouseError
from tests.adapters.conftest import WarehouseCase
from tests.adapters.staging import StagedRun, experiment, stage_run, table_data

ROWS = {"customers": 40, "orders": 60, "all_types": 25, "employees": 9}


def _qualified(case: WarehouseCase, table: str) -> str:
    return table.upper() if case.warehouse == Warehouse.SNOWFLAKE else table


@pytest.fixture
def materialized(warehouse_case: WarehouseCase, experiment_name: str):
    exp = experiment(experiment_name, warehouse_case.warehouse)
    warehouse_case.adapter.materialize(exp)
    yield exp
    warehouse_case.adapter.drop(exp)


@pytest.fixture
def staged(warehouse_case: WarehouseCase, materialized, s3_bucket: str) -> StagedRun:
    return stage_run(warehouse_case.s3.client(), s3_bucket, materialized, ROWS, chunk_rows=16)


def _counts(case: WarehouseCase, exp) -> dict[str, int]:
    return {t.name: case.adapter.count_rows(exp, t.name) for t in exp.tables}


def test_materialize_creates_every_table_empty_with_its_columns(warehouse_case, materialized):
    assert _counts(warehouse_case, materialized) == dict.fromkeys(ROWS, 0)
    result = warehouse_case.adapter.query(materialized, "SELECT * FROM all_types")
    names = [c.name.lower() for c in result.columns]
    assert names == [c.name for c in materialized.table("all_types").columns]
    assert result.rows == []
    assert result.truncated is False


def test_materialize_again_recreates_the_tables_empty(warehouse_case, materialized, staged):
    warehouse_case.adapter.load_table(
        materialized, "customers", staged.manifest, staged.layout, staged.bucket
    )
    warehouse_case.adapter.materialize(materialized)
    assert _counts(warehouse_case, materialized) == dict.fromkeys(ROWS, 0)


def test_load_run_loads_every_table_parents_first(warehouse_case, materialized, staged):
    seen: list[tuple[str, int]] = []
    loaded = warehouse_case.adapter.load_run(
        materialized,
        staged.manifest,
        staged.layout,
        staged.bucket,
        on_table=lambda t, n: seen.append((t, n)),
    )
    assert loaded == ROWS
    assert [t for t, _ in seen] == load_order(materialized)
    assert _counts(warehouse_case, materialized) == ROWS
    result = warehouse_case.adapter.query(
        materialized, "SELECT customer_id, amount FROM orders WHERE order_id = 11"
    )
    customer_id, amount = result.rows[0]
    assert customer_id == 10
    assert float(amount) == 2.5


def test_reloading_a_run_never_duplicates_rows(warehouse_case, materialized, staged):
    for _ in range(2):
        rows = warehouse_case.adapter.load_table(
            materialized, "orders", staged.manifest, staged.layout, staged.bucket
        )
        assert rows == ROWS["orders"]
    assert warehouse_case.adapter.count_rows(materialized, "orders") == ROWS["orders"]


def test_count_mismatch_rolls_back_and_names_table_expected_and_got(
    warehouse_case, materialized, staged
):
    adapter = warehouse_case.adapter
    adapter.load_table(materialized, "orders", staged.manifest, staged.layout, staged.bucket)
    wrong = staged.manifest.model_copy(deep=True)
    wrong.tables["orders"] = TableManifest(
        rows=ROWS["orders"] + 5, files=wrong.tables["orders"].files
    )
    with pytest.raises(WarehouseError) as err:
        adapter.load_table(materialized, "orders", wrong, staged.layout, staged.bucket)
    message = str(err.value)
    assert "orders" in message
    assert str(ROWS["orders"] + 5) in message
    assert str(ROWS["orders"]) in message
    assert adapter.count_rows(materialized, "orders") == ROWS["orders"]


def test_failed_copy_leaves_the_table_as_it_was(warehouse_case, materialized, staged):
    adapter = warehouse_case.adapter
    adapter.load_table(materialized, "customers", staged.manifest, staged.layout, staged.bucket)
    broken = staged.manifest.model_copy(deep=True)
    files = [*broken.tables["customers"].files]
    files.append(ManifestFile(key="customers/part-09999.parquet", rows=3, bytes=100))
    broken.tables["customers"] = TableManifest(rows=ROWS["customers"] + 3, files=files)
    with pytest.raises(WarehouseError) as err:
        adapter.load_table(materialized, "customers", broken, staged.layout, staged.bucket)
    assert "customers" in str(err.value)
    assert adapter.count_rows(materialized, "customers") == ROWS["customers"]


def test_load_of_a_table_the_run_did_not_stage_is_a_clear_error(
    warehouse_case, materialized, staged
):
    partial = staged.manifest.model_copy(deep=True)
    del partial.tables["employees"]
    with pytest.raises(WarehouseError, match=r"employees.*staged no files"):
        warehouse_case.adapter.load_table(
            materialized, "employees", partial, staged.layout, staged.bucket
        )


def test_truncate_empties_every_table_and_keeps_them(warehouse_case, materialized, staged):
    adapter = warehouse_case.adapter
    adapter.load_run(materialized, staged.manifest, staged.layout, staged.bucket)
    adapter.truncate(materialized)
    assert _counts(warehouse_case, materialized) == dict.fromkeys(ROWS, 0)
    adapter.load_run(materialized, staged.manifest, staged.layout, staged.bucket)
    assert _counts(warehouse_case, materialized) == ROWS


def test_drop_removes_everything_and_is_idempotent(warehouse_case, materialized):
    adapter = warehouse_case.adapter
    adapter.drop(materialized)
    with pytest.raises(WarehouseError):
        adapter.query(materialized, "SELECT * FROM customers")
    adapter.drop(materialized)
    adapter.materialize(materialized)
    assert adapter.count_rows(materialized, "customers") == 0


def test_query_limit_sets_the_truncated_flag(warehouse_case, materialized, staged):
    adapter = warehouse_case.adapter
    adapter.load_table(materialized, "customers", staged.manifest, staged.layout, staged.bucket)
    sql = "SELECT customer_id, name FROM customers ORDER BY customer_id"
    first = adapter.query(materialized, sql, limit=5)
    assert first.row_count == 5
    assert first.truncated is True
    assert [r[0] for r in first.rows] == [0, 1, 2, 3, 4]
    assert first.rows[3][1] == "customer 3"
    whole = adapter.query(materialized, sql, limit=1000)
    assert (whole.row_count, whole.truncated) == (ROWS["customers"], False)
    exact = adapter.query(materialized, sql, limit=ROWS["customers"])
    assert (exact.row_count, exact.truncated) == (ROWS["customers"], False)
    assert whole.elapsed_ms >= 0


def test_slow_query_is_stopped_by_the_timeout_with_a_clear_error(warehouse_case, materialized):
    adapter = warehouse_case.adapter
    start = time.monotonic()
    with pytest.raises(QueryTimeoutError, match=r"stopped after 1\.5 s"):
        adapter.query(materialized, warehouse_case.slow_sql, timeout_s=1.5)
    assert time.monotonic() - start < 15
    assert adapter.query(materialized, "SELECT 1 AS one").rows == [[1]]


def test_bad_sql_is_a_query_error_with_the_warehouse_message(warehouse_case, materialized):
    with pytest.raises(QueryError) as err:
        warehouse_case.adapter.query(materialized, "SELECT * FROM no_such_table")
    assert "no_such_table" in str(err.value).lower()
    assert str(err.value).startswith(f"{warehouse_case.warehouse.value}: ")
    assert "None:" not in str(err.value)  # no empty query id from the driver


def test_an_empty_staged_table_loads_as_empty(warehouse_case, materialized, s3_bucket):
    adapter = warehouse_case.adapter
    full = stage_run(warehouse_case.s3.client(), s3_bucket, materialized, ROWS, run_id="full")
    adapter.load_table(materialized, "employees", full.manifest, full.layout, s3_bucket)
    empty = stage_run(warehouse_case.s3.client(), s3_bucket, materialized, {}, run_id="empty")
    assert empty.manifest.tables["employees"].files == []
    assert (
        adapter.load_table(materialized, "employees", empty.manifest, empty.layout, s3_bucket) == 0
    )
    assert adapter.count_rows(materialized, "employees") == 0


def test_a_file_missing_a_not_null_column_fails_and_names_the_table(
    warehouse_case, materialized, staged, s3_bucket
):
    adapter = warehouse_case.adapter
    adapter.load_table(materialized, "customers", staged.manifest, staged.layout, staged.bucket)
    good = table_data(materialized, "customers", 5)
    bad = good.drop_columns(["customer_id"])
    broken = stage_run(
        warehouse_case.s3.client(),
        s3_bucket,
        materialized,
        {"customers": 5},
        run_id="broken",
        tables={"customers": bad},
    )
    with pytest.raises(WarehouseError) as err:
        adapter.load_table(materialized, "customers", broken.manifest, broken.layout, s3_bucket)
    assert "customers" in str(err.value)
    assert adapter.count_rows(materialized, "customers") == ROWS["customers"]


def test_query_accepts_comments_and_a_final_semicolon_and_commits_statements(
    warehouse_case, materialized
):
    adapter = warehouse_case.adapter
    inserted = adapter.query(materialized, "INSERT INTO employees (emp_id) VALUES (7), (8)")
    snowflake = warehouse_case.warehouse == Warehouse.SNOWFLAKE
    assert inserted.rows == ([[2]] if snowflake else [])  # Snowflake reports rows inserted
    adapter.close()  # a new session must see the rows: they were committed
    result = adapter.query(
        materialized, "-- who\n/* is there */ SELECT emp_id FROM employees ORDER BY emp_id;\n"
    )
    assert result.rows == [[7], [8]]
    assert [c.name.lower() for c in result.columns] == ["emp_id"]
