"""A load job cancelled between two tables: it stops, the job shows ``cancelled``, and the
warehouse is as it was before the load (the tables it had loaded are rolled back too)."""

import time
from collections.abc import Iterator

import pytest

from dwsim_shared.contracts.enums import JobStatus, Warehouse
from tests.data_loader.conftest import ROWS, WAREHOUSES
from tests.data_loader.stack import Stack, loader_stack

PAUSE_S = 1.0  # after each table: the test cancels while the load is between two tables


@pytest.fixture(scope="module")
def stack(request) -> Iterator[Stack]:
    """One loader worker that pauses after each table it loads."""
    paced = {"DWSIM_TEST_TABLE_PAUSE_S": str(PAUSE_S)}
    with loader_stack(request, "cancel", paced, app="tests.data_loader.paced_loader") as running:
        yield running


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_a_load_cancelled_between_tables_leaves_the_warehouse_as_it_was(
    stack: Stack, warehouse: Warehouse
) -> None:
    experiment = stack.materialized(warehouse)
    run_id = stack.stage(experiment)
    empty = dict.fromkeys(ROWS, 0)
    assert stack.service.count_rows(experiment) == empty

    job = stack.start_load(experiment, run_id)
    deadline = time.monotonic() + 60
    while (
        not (progress := stack.metadata.get_job(job.id).progress.tables).get("customers")
        or not progress["customers"].rows_loaded
    ):
        assert time.monotonic() < deadline, "the first table was never reported loaded"
        time.sleep(0.05)

    cancelled = stack.metadata.transition(job.id, JobStatus.CANCELLED)  # between two tables
    assert cancelled.status == JobStatus.CANCELLED
    cancelled_at = time.monotonic()
    done = stack.jobs.wait(job.id)
    assert done.status == JobStatus.CANCELLED
    time.sleep(PAUSE_S + 0.5)  # the task has stopped: it reports no more tables
    stopped = stack.metadata.get_job(job.id)
    loaded = [t for t, p in stopped.progress.tables.items() if p.rows_loaded]
    assert 1 <= len(loaded) < len(ROWS), loaded  # it stopped mid-way
    assert time.monotonic() - cancelled_at < 2 * PAUSE_S + 3
    assert "loader.task_stopped" in stack.jobs.log_file.read_text()
    assert stack.service.count_rows(experiment) == empty  # as before the load
    stack.service.drop_warehouse(experiment)
