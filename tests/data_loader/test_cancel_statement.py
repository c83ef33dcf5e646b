"""A load cancelled in the middle of one table's COPY: the COPY itself is stopped within
seconds (not when it would have ended), the job stays ``cancelled``, and every table holds what
it held before the load.

The warehouses read the staged files through an S3 relay that holds every GET of an ``orders``
part for ``DELAY_S``: the COPY of orders lasts minutes (Redshift, SQLite: file after file) or
well over ``STOP_WITHIN_S`` (Snowflake, a few files at a time), however fast the machine. The
emulators here are started on that relay (the session's read moto directly).
"""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dwsim_cli.main import main
from dwsim_shared.contracts.enums import JobStatus, Warehouse
from tests.data_loader.conftest import ROWS, SHOP_DDL, WAREHOUSES
from tests.data_loader.stack import Stack, emulators_behind, loader_stack
from tests.fixtures.slow_s3 import slow_s3

CHUNK_ROWS = 2  # orders: 45 part files
DELAY_S = 1.5  # per GET of an orders part: its COPY takes >= 45 x 1.5 s, or / 4 in parallel
STOP_WITHIN_S = 8.0  # from the cancel to the task stopped: the check (1 s), the stop, rollback


@pytest.fixture(scope="module")
def many_parts_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """shop.sql's run in parts of ``CHUNK_ROWS`` rows: every COPY reads many files."""
    out = tmp_path_factory.mktemp("shop_parts") / "run"
    rows = [f"{table}={n}" for table, n in ROWS.items()]
    args = ["generate", str(SHOP_DDL), "--dialect", "redshift", "--out", str(out), "--rows",
            *rows, "--chunk-rows", str(CHUNK_ROWS), "--run-id", "r1", "--seed", "7"]  # fmt: skip
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def stack(request, s3_server, postgres_url, tmp_path_factory, many_parts_run) -> Iterator[Stack]:
    """A loader worker and both emulators reading S3 through the slow relay."""
    with (
        slow_s3(s3_server, ("/orders/part-",), DELAY_S) as relay,
        emulators_behind(relay, postgres_url, tmp_path_factory.mktemp("snowflake_slow")) as env,
        loader_stack(request, "cancel-copy", env, shop_run=many_parts_run) as running,
    ):
        yield running


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_a_load_cancelled_during_a_copy_stops_it_and_leaves_the_warehouse_as_it_was(
    stack: Stack, warehouse: Warehouse
) -> None:
    experiment = stack.materialized(warehouse)
    run_id = stack.stage(experiment)
    empty = dict.fromkeys(ROWS, 0)
    assert stack.service.count_rows(experiment) == empty

    job = stack.start_load(experiment, run_id)
    stack.wait_table_loaded(job.id, "customers")
    time.sleep(DELAY_S)  # the COPY of orders is waiting on its first file, or past it

    cancelled = stack.metadata.transition(job.id, JobStatus.CANCELLED)
    assert cancelled.status == JobStatus.CANCELLED
    cancelled_at = time.monotonic()
    while not any(str(job.id) in line and "loader.task_stopped" in line
                  for line in stack.jobs.log_file.read_text().splitlines()):  # fmt: skip
        assert time.monotonic() - cancelled_at < STOP_WITHIN_S, (
            "the load went on after the cancel:\n" + stack.jobs.log_file.read_text()[-3000:]
        )
        time.sleep(0.1)

    assert stack.metadata.get_job(job.id).status == JobStatus.CANCELLED
    assert not stack.rows_loaded(job.id, "orders")  # stopped in its COPY
    assert stack.service.count_rows(experiment) == empty  # as before the load
    if warehouse == Warehouse.REDSHIFT:  # the COPY itself was stopped, as the query log says
        assert copy_status(stack, f'"{experiment.name}"."orders"') == "canceled"
    stack.service.drop_warehouse(experiment)


def copy_status(stack: Stack, table: str) -> str:
    """The status SYS_QUERY_HISTORY gives the last COPY into ``table``."""
    return str(stack.redshift_scalar(
        "SELECT status FROM sys_query_history WHERE query_text ILIKE %s "
        "ORDER BY start_time DESC LIMIT 1", f"COPY {table} %"))  # fmt: skip
