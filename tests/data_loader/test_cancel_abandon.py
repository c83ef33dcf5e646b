"""A load whose statement does not stop on the cancel is abandoned ``DWSIM_LOADER_CANCEL_GRACE_S``
after it (dwsim_loader.grace): the task stops at once, the job stays ``cancelled``, and every
table holds what it held before the load, then and once the statement has returned (it
commits nothing).

Every statement the warehouses run for a load stops on the cancel (a ``COPY`` waiting on S3
too: test_cancel_hung_read.py), so the statement that does not is made here: the worker
(``held_loader.py``) is held inside the load's transaction, its first table loaded, until the
test lets it go on; it waits for the test, not for the cancel, as a driver call that ignores
its cancel would.
"""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dwsim_shared.contracts.enums import JobStatus, Warehouse
from tests.data_loader.conftest import ROWS, WAREHOUSES
from tests.data_loader.holds import wait_for
from tests.data_loader.stack import Stack, loader_stack

GRACE_S = 3.0  # DWSIM_LOADER_CANCEL_GRACE_S
CHECK_S = 1.0  # DWSIM_JOB_CANCEL_CHECK_INTERVAL_S (the default): the heartbeat sees the cancel
STOP_WITHIN_S = GRACE_S + CHECK_S + 3.0  # from the cancel to the task stopped
EMPTY = dict.fromkeys(ROWS, 0)


@pytest.fixture(scope="module")
def markers(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hold-markers")


@pytest.fixture(scope="module")
def stack(request, markers: Path) -> Iterator[Stack]:
    """A loader worker with a short grace period that holds an armed load after its first table."""
    env = {
        "DWSIM_TEST_HOLD_MARKERS": str(markers),
        "DWSIM_LOADER_CANCEL_GRACE_S": str(GRACE_S),
        "DWSIM_JOB_CANCEL_CHECK_INTERVAL_S": str(CHECK_S),
    }
    with loader_stack(
        request, "cancel-abandon", env, app="tests.data_loader.held_loader"
    ) as running:
        yield running


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_a_cancelled_load_whose_statement_does_not_stop_is_abandoned_after_the_grace_period(
    stack: Stack, markers: Path, warehouse: Warehouse
) -> None:
    experiment = stack.materialized(warehouse)
    run_id = stack.stage(experiment)
    (markers / "armed").write_text("")
    job = stack.start_load(experiment, run_id)
    wait_for(markers / "held")  # customers loaded, inside the load's transaction
    (markers / "held").unlink()

    assert stack.metadata.transition(job.id, JobStatus.CANCELLED).status == JobStatus.CANCELLED
    cancelled_at = time.monotonic()
    while not (stopped := stack.events(job.id, "loader.task_stopped")):
        assert time.monotonic() - cancelled_at < STOP_WITHIN_S, (
            "the load went on after the cancel:\n" + stack.jobs.log_file.read_text()[-3000:]
        )
        time.sleep(0.05)
    print(f"{warehouse}: task stopped {time.monotonic() - cancelled_at:.1f} s after the cancel")
    abandoned = stack.events(job.id, "loader.statement_abandoned")
    assert abandoned, "the task stopped without abandoning the statement"
    assert GRACE_S <= abandoned[0]["seconds"] < GRACE_S + 1
    assert "cancelled" in stopped[0]["reason"]
    assert stack.metadata.get_job(job.id).status == JobStatus.CANCELLED
    assert stack.service.count_rows(experiment) == EMPTY  # customers' rows not committed

    (markers / "resume").write_text("")  # the statement returns: it must commit nothing
    deadline = time.monotonic() + 60
    while not (ended := stack.events(job.id, "loader.abandoned_statement_ended")):
        assert time.monotonic() < deadline, "the abandoned statement never returned"
        time.sleep(0.1)
    assert ended[0]["outcome"] != "returned"  # it failed (cancelled, or its connection shut)
    assert stack.service.count_rows(experiment) == EMPTY
    stack.service.drop_warehouse(experiment)
