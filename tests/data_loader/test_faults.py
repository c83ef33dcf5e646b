"""A loader worker process killed (SIGKILL) in the middle of a table's load: the half-done load
leaves nothing behind, Celery redelivers the task (acks_late, reject_on_worker_lost), and the job
succeeds with exactly the run's rows in every table, none duplicated.

On Snowflake the killed session's transaction stays open, holding its tables' locks; the
redelivered load's DELETE waits for them until the emulator aborts the transaction as detached,
once it has blocked the DELETE and been idle for DWSIM_SNOWFLAKE_DETACHED_IDLE_SECONDS (here
DETACHED_IDLE_S; Snowflake's 5 minutes by default). So this module runs its own emulator."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from dwsim_shared.contracts.enums import JobKind, JobStatus, Warehouse
from dwsim_shared.contracts.jobs import JobDetail
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.tasks import TaskName
from tests.data_loader.checks import foreign_key_checks, scalar
from tests.data_loader.conftest import ROWS, WAREHOUSES
from tests.data_loader.holds import wait_for
from tests.data_loader.stack import Stack, loader_stack
from tests.fixtures.snowflake import SnowflakeEmulator, running_snowflake_emulator

KILLED_TABLE = "orders"  # the second table in load order
DETACHED_IDLE_S = 2
KEYS = {
    "customers": "customer_id",
    "orders": "order_id",
    "order_lines": "order_id * 1000 + line_no",
    "employees": "emp_id",
}


@pytest.fixture(scope="module")
def markers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kill-markers")


@pytest.fixture(scope="module")
def snowflake_emulator(s3_server, tmp_path_factory) -> Iterator[SnowflakeEmulator]:
    """The emulator the stack loads into, aborting a detached transaction after DETACHED_IDLE_S."""
    env = {"DWSIM_SNOWFLAKE_DETACHED_IDLE_SECONDS": str(DETACHED_IDLE_S)}
    data_dir = tmp_path_factory.mktemp("snowflake-faults")
    with running_snowflake_emulator(data_dir, s3_server, env=env) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def stack(request, markers) -> Iterator[Stack]:
    """One loader worker that kills its process once per warehouse, mid-load of KILLED_TABLE."""
    kill = {"DWSIM_TEST_KILL_TABLE": KILLED_TABLE, "DWSIM_TEST_KILL_MARKERS": str(markers)}
    with loader_stack(request, "faults", kill, app="tests.data_loader.killed_loader") as running:
        yield running


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_a_load_killed_midway_is_redelivered_and_loads_each_row_once(
    stack: Stack, markers: Path, warehouse: Warehouse
) -> None:
    experiment = stack.materialized(warehouse)
    run_id = stack.stage(experiment)

    # the load is one transaction: the table loaded before the kill is not committed either
    job = killed_load(stack, markers, experiment, run_id, during=dict.fromkeys(ROWS, 0))

    assert_loaded_once(stack, experiment, job)


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_a_reload_killed_midway_keeps_the_old_rows_until_it_commits(
    stack: Stack, markers: Path, warehouse: Warehouse
) -> None:
    experiment = stack.materialized(warehouse)
    run_id = stack.stage(experiment)
    first = stack.jobs.run(TaskName.LOAD_RUN, JobKind.LOAD, experiment.name, run_id=run_id)
    assert first.status == JobStatus.SUCCEEDED, first.error

    # the same run again, into full tables: the half-done table keeps its rows meanwhile
    job = killed_load(stack, markers, experiment, run_id, during=ROWS)

    assert_loaded_once(stack, experiment, job)


def assert_loaded_once(stack: Stack, experiment: Experiment, job: JobDetail) -> None:
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert {t: p.rows_loaded for t, p in job.progress.tables.items()} == ROWS
    assert stack.service.count_rows(experiment) == ROWS
    distinct = {t: scalar(stack.service, experiment, f"SELECT COUNT(DISTINCT {key}) FROM {t}")
                for t, key in KEYS.items()}  # fmt: skip
    assert distinct == ROWS  # no row twice
    assert all(
        orphans == 0 for _, orphans in foreign_key_checks(stack.service, experiment).values()
    )
    stack.service.drop_warehouse(experiment)


def killed_load(
    stack: Stack, markers: Path, experiment: Experiment, run_id: str, during: dict[str, int]
) -> JobDetail:
    """A load job whose worker process is killed mid-load of KILLED_TABLE; the tables hold
    ``during`` while its redelivered task waits; the job once it has ended."""
    (markers / "armed").write_text("")
    job = stack.start_load(experiment, run_id)
    wait_for(markers / "paused")  # killed mid-load, delivered again, waiting for us
    assert not (markers / "armed").exists()
    assert stack.metadata.get_job(job.id).status == JobStatus.RUNNING
    assert stack.service.count_rows(experiment) == during
    (markers / "paused").unlink()
    (markers / "resume").write_text("")
    return stack.jobs.wait(job.id)
