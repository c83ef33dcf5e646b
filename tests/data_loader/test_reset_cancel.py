"""A reset job and a cancel, as for a load: cancelled before its commit mark, the reset is rolled
back (every table keeps its rows) and the job stays ``cancelled``; once it has taken the mark, a
cancel is refused (409) and the reset completes. A reset emptying the tables with no cancel is
the last step of the first test (on every warehouse; ``test_tasks`` has it on SQLite only).

The worker is ``held_mark.py``: it holds an armed reset inside its transaction, every table
emptied, right before or right after the job takes its commit mark, so the cancel meets the
reset exactly there. The adapter's own part (roll back whatever ``before_commit`` raises, stop
on ``cancel``) is checked last, through the loader's service on the same servers.
"""

import time
from pathlib import Path

import pytest

from dwsim_shared.contracts.enums import JobKind, JobStatus, Warehouse
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.tasks import TaskName
from dwsim_shared.metadata_client import ConflictError
from dwsim_shared.reporter import JobFinishedError
from dwsim_shared.warehouses import QueryCancelledError
from tests.data_loader.conftest import ROWS, WAREHOUSES
from tests.data_loader.stack import Stack

EMPTY = dict.fromkeys(ROWS, 0)
STOP_WITHIN_S = 30.0  # from the resume to the task stopped (a ROLLBACK, a report or two)


@pytest.fixture(scope="module")
def stack(mark_stack: Stack) -> Stack:
    return mark_stack  # conftest: a worker holding an armed job at its commit mark


def loaded(stack: Stack, warehouse: Warehouse) -> Experiment:
    """A materialized experiment with its run loaded: every table holds rows."""
    experiment = stack.materialized(warehouse)
    run_id = stack.stage(experiment)
    job = stack.jobs.run(TaskName.LOAD_RUN, JobKind.LOAD, experiment.name, run_id=run_id)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert stack.service.count_rows(experiment) == ROWS
    return experiment


def tail(stack: Stack) -> str:
    return stack.jobs.log_file.read_text(errors="replace")[-3000:]


def wait_stopped(stack: Stack, job_id: object) -> None:
    """Until the worker logs that the job's task stopped (the job had ended meanwhile)."""
    deadline = time.monotonic() + STOP_WITHIN_S
    while not any(str(job_id) in line and "loader.task_stopped" in line
                  for line in stack.jobs.log_file.read_text().splitlines()):  # fmt: skip
        assert time.monotonic() < deadline, "the reset's task never stopped:\n" + tail(stack)
        time.sleep(0.1)


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_a_reset_cancelled_before_its_commit_leaves_every_table_as_it_was(
    stack: Stack, markers: Path, warehouse: Warehouse
) -> None:
    experiment = loaded(stack, warehouse)
    # held with every table emptied, uncommitted
    job = stack.held_job(markers, TaskName.RESET, experiment.name, "before")
    assert job.status == JobStatus.RUNNING

    cancelled = stack.metadata.transition(job.id, JobStatus.CANCELLED)
    assert cancelled.status == JobStatus.CANCELLED
    (markers / "resume").write_text("")
    wait_stopped(stack, job.id)  # its commit mark was refused: rolled back

    stopped = stack.metadata.get_job(job.id)
    assert (stopped.status, stopped.error) == (JobStatus.CANCELLED, None)
    assert stack.service.count_rows(experiment) == ROWS  # every table kept its rows

    again = stack.jobs.run(TaskName.RESET, JobKind.RESET, experiment.name)  # not cancelled
    assert again.status == JobStatus.SUCCEEDED, again.error
    assert stack.service.count_rows(experiment) == EMPTY
    assert {t: p.rows_loaded for t, p in again.progress.tables.items()} == EMPTY
    stack.service.drop_warehouse(experiment)


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_a_cancel_after_the_reset_took_its_commit_mark_is_refused_and_the_reset_completes(
    stack: Stack, markers: Path, warehouse: Warehouse
) -> None:
    experiment = loaded(stack, warehouse)
    # held marked, not yet committed
    job = stack.held_job(markers, TaskName.RESET, experiment.name, "after")
    assert job.status == JobStatus.RUNNING

    with pytest.raises(ConflictError, match=r"committing its reset .* can no longer") as refused:
        stack.metadata.transition(job.id, JobStatus.CANCELLED)
    assert refused.value.status == 409
    assert stack.metadata.get_job(job.id).status == JobStatus.RUNNING
    (markers / "resume").write_text("")

    done = stack.jobs.wait(job.id)
    assert done.status == JobStatus.SUCCEEDED, done.error
    assert stack.service.count_rows(experiment) == EMPTY
    assert {t: p.rows_loaded for t, p in done.progress.tables.items()} == EMPTY
    stack.service.drop_warehouse(experiment)


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_truncate_rolls_back_on_a_cancel_or_whatever_before_commit_raises(
    stack: Stack, warehouse: Warehouse
) -> None:
    experiment = loaded(stack, warehouse)

    def cancelled_meanwhile() -> None:
        raise JobFinishedError("job x is cancelled; stopping")  # not a database error

    with stack.service.adapter(experiment) as adapter:
        with pytest.raises(JobFinishedError):
            adapter.truncate(experiment, before_commit=cancelled_meanwhile)
        assert {t: adapter.count_rows(experiment, t) for t in ROWS} == ROWS

        adapter.cancel()  # arrives before the first DELETE: none runs
        with pytest.raises(QueryCancelledError, match="the reset was rolled back"):
            adapter.truncate(experiment)
        assert {t: adapter.count_rows(experiment, t) for t in ROWS} == ROWS

        adapter.truncate(experiment, before_commit=lambda: None)  # the request was used up
        assert {t: adapter.count_rows(experiment, t) for t in ROWS} == EMPTY
    stack.service.drop_warehouse(experiment)
