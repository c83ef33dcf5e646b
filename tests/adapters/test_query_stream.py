"""Streamed queries (``iter_query``) and cancelling a running statement, on every warehouse."""

import threading

import pytest

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.warehouses import QueryError, QueryTimeoutError
from dwsim_shared.warehouses.base import QueryCancelledError
from tests.adapters.conftest import WarehouseCase
from tests.adapters.staging import experiment, stage_run

ROWS = {"customers": 45, "orders": 30, "all_types": 6, "employees": 3}


@pytest.fixture
def loaded(warehouse_case: WarehouseCase, experiment_name: str, s3_bucket: str):
    exp = experiment(experiment_name, warehouse_case.warehouse)
    adapter = warehouse_case.adapter
    adapter.materialize(exp)
    run = stage_run(warehouse_case.s3.client(), s3_bucket, exp, ROWS, chunk_rows=16)
    adapter.load_run(exp, run.manifest, run.layout, run.bucket)
    yield exp
    adapter.drop(exp)


def test_iter_query_streams_every_row_in_batches_like_query(warehouse_case, loaded):
    adapter = warehouse_case.adapter
    sql = "SELECT customer_id, name, region FROM customers ORDER BY customer_id"
    whole = adapter.query(loaded, sql, limit=1000)
    with adapter.iter_query(loaded, sql, batch_rows=20) as stream:
        assert stream.columns == whole.columns
        batches = list(stream)
    assert [len(b) for b in batches] == [20, 20, 5]
    assert [row for batch in batches for row in batch] == whole.rows
    assert adapter.query(loaded, "SELECT 1 AS one").rows == [[1]]  # the session is usable


def test_iter_query_returns_json_safe_values_like_query(warehouse_case, loaded):
    sql = "SELECT * FROM all_types ORDER BY id"
    whole = warehouse_case.adapter.query(loaded, sql)
    with warehouse_case.adapter.iter_query(loaded, sql, batch_rows=4) as stream:
        rows = [row for batch in stream for row in batch]
    assert rows == whole.rows
    assert len(rows) == ROWS["all_types"]


def test_iter_query_of_bad_sql_fails_before_any_row(warehouse_case, loaded):
    with pytest.raises(QueryError, match=r"(?i)no_such_table"):
        warehouse_case.adapter.iter_query(loaded, "SELECT * FROM no_such_table")
    assert warehouse_case.adapter.query(loaded, "SELECT COUNT(*) FROM orders").rows == [[30]]


def test_iter_query_stops_a_slow_statement_at_its_timeout(warehouse_case, loaded):
    adapter = warehouse_case.adapter
    with pytest.raises(QueryTimeoutError, match=r"stopped after 1\.5 s"):
        adapter.iter_query(loaded, warehouse_case.slow_sql, timeout_s=1.5)
    assert adapter.query(loaded, "SELECT 1 AS one").rows == [[1]]


def test_a_stream_closed_early_leaves_the_session_usable(warehouse_case, loaded):
    adapter = warehouse_case.adapter
    stream = adapter.iter_query(loaded, "SELECT * FROM customers", batch_rows=10)
    assert len(next(iter(stream))) == 10
    stream.close()
    stream.close()  # idempotent
    assert adapter.count_rows(loaded, "customers") == ROWS["customers"]
    assert adapter.query(loaded, "SELECT 2 AS two").rows == [[2]]


@pytest.mark.parametrize("streamed", [False, True], ids=["query", "iter_query"])
def test_cancel_from_another_thread_stops_the_running_statement(warehouse_case, loaded, streamed):
    adapter = warehouse_case.adapter
    run = adapter.iter_query if streamed else adapter.query
    timer = threading.Timer(0.5, adapter.cancel)
    timer.start()
    try:
        with pytest.raises(QueryCancelledError, match="the query was cancelled"):
            run(loaded, warehouse_case.slow_sql, timeout_s=30)
    finally:
        timer.cancel()
    # the cancel is used up: the next statement runs
    assert adapter.query(loaded, "SELECT COUNT(*) FROM orders").rows == [[30]]


def test_cancel_before_the_statement_starts_stops_it(warehouse_case, loaded):
    adapter = warehouse_case.adapter
    adapter.cancel()
    with pytest.raises(QueryCancelledError):
        adapter.query(loaded, "SELECT COUNT(*) FROM orders")
    assert adapter.query(loaded, "SELECT COUNT(*) FROM orders").rows == [[30]]


def test_redshift_errors_point_at_the_line_and_column_of_the_users_sql(redshift_case):
    exp = experiment("pos", Warehouse.REDSHIFT)
    redshift_case.adapter.materialize(exp)
    try:
        for sql, where in [
            ("SELECT customer_id\nFROM customers WHER region = 'x'", "line 2, column 21"),
            ("SELECT nope FROM customers", "line 1, column 8"),
        ]:
            with pytest.raises(QueryError) as err:
                redshift_case.adapter.query(exp, sql)
            assert str(err.value).endswith(f" at {where}")
    finally:
        redshift_case.adapter.drop(exp)
