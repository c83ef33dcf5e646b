"""A drop job and a cancel. A drop cannot be undone (a DROP SCHEMA, a file removed, staged
objects deleted), so it takes the job's commit mark before its first statement: a cancel that
comes first wins and nothing is dropped; once the drop has the mark, a cancel is refused (409,
saying why) and the drop completes. Before, the cancel was taken while the drop went on, and a
job could end ``cancelled`` with its experiment gone.

The worker is ``held_mark.py``: it holds an armed job right before or right after its mark.
"""

import time
from pathlib import Path

import pytest

from dwsim_shared.contracts.enums import JobStatus, Warehouse
from dwsim_shared.contracts.tasks import TaskName
from dwsim_shared.metadata_client import ConflictError, NotFoundError
from tests.data_loader.conftest import ROWS, WAREHOUSES
from tests.data_loader.stack import Stack


@pytest.fixture(scope="module")
def stack(mark_stack: Stack) -> Stack:
    return mark_stack  # conftest: a worker holding an armed job at its commit mark


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_a_drop_cancelled_before_its_mark_drops_nothing(
    stack: Stack, markers: Path, warehouse: Warehouse
) -> None:
    experiment = stack.materialized(warehouse)
    job = stack.held_job(markers, TaskName.DROP, experiment.name, "before")
    assert job.status == JobStatus.RUNNING

    assert stack.metadata.transition(job.id, JobStatus.CANCELLED).status == JobStatus.CANCELLED
    (markers / "resume").write_text("")
    deadline = time.monotonic() + 30  # its mark is refused: the task stops, nothing dropped
    while not stack.events(job.id, "loader.task_stopped"):
        assert time.monotonic() < deadline, "the drop's task never stopped"
        time.sleep(0.1)

    stopped = stack.metadata.get_job(job.id)
    assert (stopped.status, stopped.error) == (JobStatus.CANCELLED, None)
    assert stack.metadata.get_experiment(experiment.name).name == experiment.name
    assert stack.service.count_rows(experiment) == dict.fromkeys(ROWS, 0)  # its tables are there
    stack.service.drop_warehouse(experiment)


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_a_cancel_after_the_drop_took_its_mark_is_refused_and_the_drop_completes(
    stack: Stack, markers: Path, warehouse: Warehouse
) -> None:
    experiment = stack.materialized(warehouse)
    job = stack.held_job(markers, TaskName.DROP, experiment.name, "after")

    with pytest.raises(ConflictError, match=r"is dropping the experiment .*; it can no longer be "
                       r"cancelled and ends in a moment") as refused:  # fmt: skip
        stack.metadata.transition(job.id, JobStatus.CANCELLED)
    assert refused.value.status == 409
    (markers / "resume").write_text("")

    done = stack.jobs.wait(job.id)
    assert done.status == JobStatus.SUCCEEDED, done.error
    with pytest.raises(NotFoundError):
        stack.metadata.get_experiment(experiment.name)
