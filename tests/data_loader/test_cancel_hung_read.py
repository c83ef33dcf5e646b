"""A load cancelled while its statement waits on one S3 read that lasts minutes stops on the
cancel even so, on every warehouse: both emulators' ``COPY`` and the loader's own read for a
SQLite load wait on S3 in a way a cancel ends (dwsim_shared.stoppable). The task stops within
a second or two of the job's cancel, nothing is abandoned, every table holds what it held
before the load, and nothing holds a lock that a reset of the same tables would wait for,
while the read is still held. (A statement the cancel cannot stop at all is abandoned after
the grace period: test_cancel_abandon.py.)

The warehouses read S3 through a relay that holds each GET of an ``orders`` part for
``HOLD_S`` (far beyond the test), until the test releases it; the emulators here are started
on that relay.
"""

import threading
import time
from collections.abc import Iterator

import pytest

from dwsim_shared.contracts.enums import JobStatus, Warehouse
from tests.data_loader.conftest import ROWS, WAREHOUSES
from tests.data_loader.stack import Stack, emulators_behind, loader_stack
from tests.fixtures.slow_s3 import slow_s3

HOLD_S = 120.0  # per GET of an orders part, until released
GRACE_S = 30.0  # DWSIM_LOADER_CANCEL_GRACE_S: far beyond STOP_WITHIN_S, nothing abandoned
CHECK_S = 1.0  # DWSIM_JOB_CANCEL_CHECK_INTERVAL_S (the default): the heartbeat sees the cancel
STOP_WITHIN_S = CHECK_S + 4.0  # from the cancel to the task stopped (0.7-0.8 s measured)
RELEASE = threading.Event()
EMPTY = dict.fromkeys(ROWS, 0)


@pytest.fixture(scope="module")
def stack(request, s3_server, postgres_url, tmp_path_factory) -> Iterator[Stack]:
    """A loader worker, and both emulators, reading S3 through the relay that holds orders'
    parts."""
    with (
        slow_s3(s3_server, ("/orders/part-",), HOLD_S, RELEASE) as relay,
        emulators_behind(relay, postgres_url, tmp_path_factory.mktemp("snowflake_hold")) as env,
    ):
        env |= {
            "DWSIM_LOADER_CANCEL_GRACE_S": str(GRACE_S),
            "DWSIM_JOB_CANCEL_CHECK_INTERVAL_S": str(CHECK_S),
        }
        try:
            with loader_stack(request, "cancel-hung-read", env) as running:
                yield running
        finally:
            RELEASE.set()  # no read left held for the servers' shutdown


def cancel_mid_copy(stack: Stack, warehouse: Warehouse) -> tuple[object, object, float]:
    """Start a load, cancel it while the COPY of orders waits on its held first part; wait for
    the task to stop. Returns the experiment, the job and the stop's delay."""
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
    while not (stopped := stack.events(job.id, "loader.task_stopped")):
        assert time.monotonic() - cancelled_at < STOP_WITHIN_S, (
            "the load went on after the cancel:\n" + stack.jobs.log_file.read_text()[-3000:]
        )
        time.sleep(0.05)
    took = time.monotonic() - cancelled_at
    print(f"{warehouse}: task stopped {took:.1f} s after the cancel")  # seen with pytest -s
    assert "cancelled" in stopped[0]["reason"]
    assert stack.metadata.get_job(job.id).status == JobStatus.CANCELLED
    assert not stack.rows_loaded(job.id, "orders")  # stopped in its COPY
    assert stack.service.count_rows(experiment) == EMPTY  # as before the load
    return experiment, job, took


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_a_load_stuck_on_one_s3_read_stops_on_the_cancel_and_holds_no_lock(
    stack: Stack, warehouse: Warehouse
) -> None:
    experiment, job, took = cancel_mid_copy(stack, warehouse)
    assert took < STOP_WITHIN_S  # the heartbeat's check, then the statement's own stop
    assert not stack.events(job.id, "loader.statement_abandoned")
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


def locking_sessions(stack: Stack, schema: str) -> int:
    """PostgreSQL sessions (the emulator's) holding a lock on a table of ``schema``."""
    return int(stack.redshift_scalar(
        "SELECT COUNT(DISTINCT l.pid) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s "
        "AND l.pid <> pg_backend_pid()", schema))  # fmt: skip
