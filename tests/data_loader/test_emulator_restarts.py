"""A warehouse emulator stopped (SIGTERM: an operator's restart; SIGKILL: a crash) while a load
job is inside its transaction, its first table copied: started again before the load's next
statement, or still down then. The job never stays ``running``, and the warehouse never holds
part of the run. With the emulator back, the loader's retry (``DWSIM_LOADER_LOST_CONNECTION_
RETRIES``) loads the run whole and the job succeeds; with it still down once the retries run
out, the job fails with an error that names the warehouse, its address, the table, how many
times it was tried and what to do, every table as it was, and the run loads fine afterwards.

The load is held between two tables by ``held_loader.py`` (not paced by sleeps), so which of
the two the load meets, a restarted emulator or none, is the test's choice."""

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from dwsim_shared.contracts.enums import JobKind, JobStatus, Warehouse
from dwsim_shared.contracts.tasks import TaskName
from tests.data_loader.conftest import ROWS
from tests.data_loader.holds import wait_for
from tests.data_loader.restartable import (
    RestartableServer,
    redshift_server,
    running,
    snowflake_server,
)
from tests.data_loader.stack import Stack, loader_stack
from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.snowflake import SnowflakeEmulator

SERVERS: dict[Warehouse, RestartableServer] = {}
ADDRESS = {Warehouse.REDSHIFT: "redshift://", Warehouse.SNOWFLAKE: "http://"}
RETRIES, RETRY_S = 2, 0.5  # the loader's retries of a load that lost its warehouse


@pytest.fixture(scope="module")
def redshift_emulator(postgres_url, s3_server, tmp_path_factory) -> Iterator[RedshiftEmulator]:
    """An emulator of this module's own: the session's stays untouched."""
    emulator, server = redshift_server(postgres_url, s3_server, tmp_path_factory.mktemp("rs"))
    with running(server):
        SERVERS[Warehouse.REDSHIFT] = server
        yield emulator


@pytest.fixture(scope="module")
def snowflake_emulator(s3_server, tmp_path_factory) -> Iterator[SnowflakeEmulator]:
    emulator, server = snowflake_server(s3_server, tmp_path_factory.mktemp("sf"))
    with running(server):
        SERVERS[Warehouse.SNOWFLAKE] = server
        yield emulator


@pytest.fixture(scope="module")
def markers(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hold-markers")


@pytest.fixture(scope="module")
def stack(request, markers) -> Iterator[Stack]:
    """One loader worker that holds an armed load after its first table."""
    hold = {
        "DWSIM_TEST_HOLD_MARKERS": str(markers),
        "DWSIM_LOADER_LOST_CONNECTION_RETRIES": str(RETRIES),
        "DWSIM_LOADER_LOST_CONNECTION_RETRY_S": str(RETRY_S),
    }
    with loader_stack(request, "restarts", hold, app="tests.data_loader.held_loader") as running:
        yield running


FAULTS = [
    pytest.param(signal.SIGTERM, True, id="restarted"),
    pytest.param(signal.SIGKILL, True, id="crashed-and-restarted"),
    pytest.param(signal.SIGKILL, False, id="crashed-still-down"),
]


@pytest.mark.parametrize(("sig", "back_before_next_statement"), FAULTS)
@pytest.mark.parametrize("warehouse", [Warehouse.REDSHIFT, Warehouse.SNOWFLAKE], ids=str)
def test_an_emulator_stopped_mid_load_never_leaves_a_partial_load(
    stack: Stack,
    markers: Path,
    warehouse: Warehouse,
    sig: signal.Signals,
    back_before_next_statement: bool,
) -> None:
    experiment = stack.materialized(warehouse)
    run_id = stack.stage(experiment)
    server = SERVERS[warehouse]

    (markers / "armed").write_text("")
    job = stack.start_load(experiment, run_id)
    wait_for(markers / "held")  # customers copied, inside the load's transaction
    (markers / "held").unlink()
    assert stack.metadata.get_job(job.id).progress.tables["customers"].rows_loaded == 40

    server.stop(sig)
    if back_before_next_statement:
        server.start()
    (markers / "resume").write_text("")
    done = stack.jobs.wait(job.id)
    if not back_before_next_statement:
        server.start()
    lost = stack.events(job.id, "loader.warehouse_lost")
    assert lost, "the load met no lost warehouse"
    assert ", table orders: " in lost[0]["error"], lost  # the next table met the lost server

    if back_before_next_statement:  # the retry loaded the run whole
        assert done.status == JobStatus.SUCCEEDED, done.error
        assert len(lost) == 1
        assert stack.service.count_rows(experiment) == ROWS
        stack.service.drop_warehouse(experiment)
        return

    assert done.status == JobStatus.FAILED, done.error  # never left running
    assert len(lost) == RETRIES
    error = done.error or ""
    assert error.startswith(f"{warehouse.value}"), error  # the last try did not connect
    said = ["emulator", f"{ADDRESS[warehouse]}", f":{server.port}",
            f"tried {RETRIES + 1} times", "load the run again"]  # fmt: skip
    assert [words for words in said if words not in error] == [], error
    assert stack.service.count_rows(experiment) == dict.fromkeys(ROWS, 0)  # as before the load

    again = stack.jobs.run(TaskName.LOAD_RUN, JobKind.LOAD, experiment.name, run_id=run_id)
    assert again.status == JobStatus.SUCCEEDED, again.error
    assert stack.service.count_rows(experiment) == ROWS
    stack.service.drop_warehouse(experiment)
