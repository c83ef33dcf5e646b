"""A load cancelled while its statement waits on one S3 read that lasts minutes.

Both emulators stop their ``COPY`` on the cancel even so (they wait on their reads in a way a
cancel ends, dwsim_shared.stoppable): the task stops within a second or two, nothing to
abandon, no lock left behind. The loader itself, reading S3 for a SQLite load, stays blocked in
that read, so ``DWSIM_LOADER_CANCEL_GRACE_S`` after the cancel it abandons the statement
(dwsim_loader.grace): the task stops at once, the job stays ``cancelled``, and every table
holds what it held before the load, then and once the read has ended.

The warehouses read S3 through a relay that holds each GET of an ``orders`` part for
``HOLD_S`` (far beyond the grace period, and beyond the test), until the test releases it; the
emulators here are started on that relay.
"""

import json
import threading
import time
from collections.abc import Iterator

import pytest

from dwsim_shared.contracts.enums import JobStatus, Warehouse
from tests.data_loader.conftest import ROWS
from tests.data_loader.stack import Stack, emulators_behind, loader_stack
from tests.fixtures.slow_s3 import slow_s3

HOLD_S = 120.0  # per GET of an orders part, until released
GRACE_S = 3.0  # DWSIM_LOADER_CANCEL_GRACE_S
CHECK_S = 1.0  # DWSIM_JOB_CANCEL_CHECK_INTERVAL_S (the default): the heartbeat sees the cancel
STOP_WITHIN_S = GRACE_S + CHECK_S + 3.0  # from the cancel to the task stopped
RELEASE = threading.Event()
EMPTY = dict.fromkeys(ROWS, 0)


@pytest.fixture(scope="module")
def stack(request, s3_server, postgres_url, tmp_path_factory) -> Iterator[Stack]:
    """A loader worker with a short grace period, and both emulators, reading S3 through the
    relay that holds orders' parts."""
    with (
        slow_s3(s3_server, ("/orders/part-",), HOLD_S, RELEASE) as relay,
        emulators_behind(relay, postgres_url, tmp_path_factory.mktemp("snowflake_hold")) as env,
    ):
        env |= {
            "DWSIM_LOADER_CANCEL_GRACE_S": str(GRACE_S),
            "DWSIM_JOB_CANCEL_CHECK_INTERVAL_S": str(CHECK_S),
        }
        try:
            with loader_stack(request, "cancel-abandon", env) as running:
                yield running
        finally:
            RELEASE.set()  # no read left held for the servers' shutdown


def cancel_mid_copy(stack: Stack, warehouse: Warehouse) -> tuple[object, object, dict, float]:
    """Start a load, cancel it while the COPY of orders waits on its held first part; wait for
    the task to stop. Returns the experiment, the job, the stop's log line and its delay."""
    RELEASE.clear()
    experiment = stack.materialized(warehouse)
    run_id = stack.stage(experiment)
    assert stack.service.count_rows(experiment) == EMPTY

    job = stack.start_load(experiment, run_id)
    stack.wait_table_loaded(job.id, "customers")
    time.sleep(1.0)  # the COPY of orders is waiting on its first part, held for minutes

    cancelled = stack.metadata.transition(job.id, JobStatus.CANCELLED)
    assert cancelled.status == JobStatus.CANCELLED
    cancelled_at = time.monotonic()
    while (stopped := event(stack, job.id, "loader.task_stopped")) is None:
        assert time.monotonic() - cancelled_at < STOP_WITHIN_S, (
            "the load went on after the cancel:\n" + stack.jobs.log_file.read_text()[-3000:]
        )
        time.sleep(0.05)
    took = time.monotonic() - cancelled_at
    print(f"{warehouse}: task stopped {took:.1f} s after the cancel")  # seen with pytest -s
    assert "cancelled" in stopped["reason"]
    assert stack.metadata.get_job(job.id).status == JobStatus.CANCELLED
    assert not stack.rows_loaded(job.id, "orders")  # stopped in its COPY
    assert stack.service.count_rows(experiment) == EMPTY  # as before the load
    return experiment, job, stopped, took


@pytest.mark.parametrize("warehouse", [Warehouse.REDSHIFT, Warehouse.SNOWFLAKE], ids=str)
def test_an_emulator_copy_stuck_on_one_s3_read_stops_on_the_cancel_without_being_abandoned(
    stack: Stack, warehouse: Warehouse
) -> None:
    experiment, job, _, took = cancel_mid_copy(stack, warehouse)
    assert took < CHECK_S + 2.0  # the heartbeat's check, then the emulator's cancel
    assert event(stack, job.id, "loader.statement_abandoned") is None
    # the read is still held, yet the load's transaction is over: nothing holds a lock that a
    # reset of the same tables would wait for
    reset = threading.Thread(target=stack.service.reset, args=(experiment,), daemon=True)
    reset.start()
    reset.join(timeout=15)
    assert not reset.is_alive(), "a reset waited on the cancelled load's locks"
    assert not RELEASE.is_set()
    if warehouse == Warehouse.REDSHIFT:
        assert locking_sessions(stack, experiment.name) == 0
    RELEASE.set()
    stack.service.drop_warehouse(experiment)


def test_a_cancelled_sqlite_load_stuck_on_one_s3_read_is_abandoned_after_the_grace_period(
    stack: Stack,
) -> None:
    experiment, job, _, _ = cancel_mid_copy(stack, Warehouse.SQLITE)
    abandoned = event(stack, job.id, "loader.statement_abandoned")
    assert abandoned is not None, "the task stopped without abandoning the statement"
    assert GRACE_S <= abandoned["seconds"] < GRACE_S + 1

    RELEASE.set()  # the read ends: the abandoned statement returns and commits nothing
    deadline = time.monotonic() + 60
    while (ended := event(stack, job.id, "loader.abandoned_statement_ended")) is None:
        assert time.monotonic() < deadline, "the abandoned statement never returned"
        time.sleep(0.1)
    assert ended["outcome"] != "returned"  # it failed (cancelled, or its connection shut)
    assert stack.service.count_rows(experiment) == EMPTY
    stack.service.drop_warehouse(experiment)


def locking_sessions(stack: Stack, schema: str) -> int:
    """PostgreSQL sessions (the emulator's) holding a lock on a table of ``schema``."""
    return int(stack.redshift_scalar(
        "SELECT COUNT(DISTINCT l.pid) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s "
        "AND l.pid <> pg_backend_pid()", schema))  # fmt: skip


def event(stack: Stack, job_id: object, name: str) -> dict | None:
    """The worker's first log line of ``name`` for the job, as a dict."""
    for line in stack.jobs.log_file.read_text().splitlines():
        if str(job_id) in line and f'"{name}"' in line:
            return json.loads(line[line.index("{") :])
    return None
