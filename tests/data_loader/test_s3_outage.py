"""The S3 server unreachable for a while during a load job: the warehouses read the staged run
through a TCP proxy in front of moto's S3 server (tests/fixtures/tcp_proxy.py), which the test
cuts and restores while the load runs; the S3 server itself keeps its objects.

- A short outage (3 s, connections refused and reset) is waited out: the S3 clients retry with
  backoff (botocore's, DWSIM_S3_MAX_ATTEMPTS), and the job succeeds with every row.
- A long one (S3 accepts connections and never answers) fails the job within a bounded time,
  its error naming S3, the endpoint and the object; every table is as it was (empty), the run
  stays whole, and loading it again once S3 is back succeeds.

Redshift's COPY and Snowflake's COPY INTO read S3 in the emulators (each started here with its
S3 behind the proxy); the SQLite warehouse is read by the loader itself.
"""

import sys
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from dwsim_loader.service import LoaderService
from dwsim_shared.contracts.enums import JobKind, JobStatus, Warehouse
from dwsim_shared.contracts.tasks import TaskName
from tests.data_loader.conftest import ROWS, WAREHOUSES
from tests.data_loader.stack import Stack, loader_stack
from tests.fixtures.postgres import fresh_database
from tests.fixtures.s3 import S3Server
from tests.fixtures.servers import free_port, server_process
from tests.fixtures.snowflake import running_snowflake_emulator
from tests.fixtures.tcp_proxy import Outage, TcpProxy, tcp_proxy

PAUSE_S = 1.0  # after each table: the outage starts between two tables' COPY
SHORT_OUTAGE_S = 3.0
# Every S3 client of the test (loader, both emulators). The short outage: a request that gets
# no answer gives up after 2 s, and is tried 6 times (the default) in all, as in use. The long
# one: 1 s and 2 tries, so that it fails in seconds (the bound is then per try, not per default).
SHORT_S3_SETTINGS = {"DWSIM_S3_CONNECT_TIMEOUT_S": "2", "DWSIM_S3_READ_TIMEOUT_S": "2"}
LONG_S3_SETTINGS = {"DWSIM_S3_CONNECT_TIMEOUT_S": "1", "DWSIM_S3_READ_TIMEOUT_S": "1",
                    "DWSIM_S3_MAX_ATTEMPTS": "2"}  # fmt: skip
LONG_OUTAGE_BOUND_S = 60  # a few S3 requests of 2 tries of 1 s and a backoff of at most 1 s


@pytest.fixture(scope="module")
def proxy(s3_server: S3Server) -> Iterator[TcpProxy]:
    with tcp_proxy(urlparse(s3_server.endpoint_url).port) as running:
        yield running


@pytest.fixture(scope="class")
def ports(
    proxy: TcpProxy, s3_settings: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """A Redshift and a Snowflake emulator reading S3 through the proxy."""
    behind = S3Server(endpoint_url=proxy.url)
    tmp = tmp_path_factory.mktemp("s3outage-emulators")
    redshift_port = free_port()
    with fresh_database() as postgres_url:
        env = {**behind.env(), **s3_settings, "DWSIM_REDSHIFT_HOST": "127.0.0.1",
               "DWSIM_REDSHIFT_PORT": str(redshift_port), "DWSIM_POSTGRES_URL": postgres_url,
               "DWSIM_DATA_DIR": str(tmp / "redshift")}  # fmt: skip
        with (
            server_process(
                [sys.executable, "-m", "dwsim_redshift.main"],
                redshift_port,
                env=env,
                log_name="redshift-s3outage",
            ),
            running_snowflake_emulator(tmp / "snowflake", behind, env=s3_settings) as snowflake,
        ):
            yield {"DWSIM_REDSHIFT_PORT": str(redshift_port),
                   "DWSIM_SNOWFLAKE_PORT": str(snowflake.port)}  # fmt: skip


@pytest.fixture(scope="class")
def stack(
    request, proxy: TcpProxy, ports: dict[str, str], s3_settings: dict[str, str]
) -> Iterator[Stack]:
    """A loader worker pausing after each table, its S3 and its warehouses behind the proxy;
    ``stack.service`` checks the same warehouses, reading S3 directly."""
    env = {**ports, **s3_settings, "DWSIM_S3_ENDPOINT_URL": proxy.url,
           "DWSIM_TEST_TABLE_PAUSE_S": str(PAUSE_S)}  # fmt: skip
    with loader_stack(request, "s3outage", env, app="tests.data_loader.paced_loader") as running:
        settings = running.settings.model_copy(update={
            "redshift_port": int(ports["DWSIM_REDSHIFT_PORT"]),
            "snowflake_port": int(ports["DWSIM_SNOWFLAKE_PORT"])})  # fmt: skip
        running.service = LoaderService(settings)
        yield running


def _start_load(stack: Stack, warehouse: Warehouse):
    experiment = stack.materialized(warehouse)
    run_id = stack.stage(experiment)
    job = stack.start_load(experiment, run_id)
    return experiment, run_id, job


def _wait_first_table(stack: Stack, job_id) -> None:
    deadline = time.monotonic() + 60
    while not any(p.rows_loaded for p in stack.metadata.get_job(job_id).progress.tables.values()):
        assert time.monotonic() < deadline, "no table was ever reported loaded"
        time.sleep(0.05)


class TestShortOutage:
    @pytest.fixture(scope="class")
    def s3_settings(self) -> dict[str, str]:
        return SHORT_S3_SETTINGS

    @pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
    def test_a_short_s3_outage_during_a_load_is_waited_out(
        self, stack: Stack, proxy: TcpProxy, warehouse: Warehouse
    ) -> None:
        experiment, _run_id, job = _start_load(stack, warehouse)
        _wait_first_table(stack, job.id)
        proxy.cut(Outage.REFUSE)  # the next table's reads start within PAUSE_S, in the outage
        try:
            time.sleep(SHORT_OUTAGE_S)
            during = stack.metadata.get_job(job.id)
        finally:
            proxy.restore()
        assert during.status == JobStatus.RUNNING  # waiting for S3, not failed
        done = stack.jobs.wait(job.id, timeout=120)
        assert done.status == JobStatus.SUCCEEDED, done.error
        assert stack.service.count_rows(experiment) == ROWS
        stack.service.drop_warehouse(experiment)


class TestLongOutage:
    @pytest.fixture(scope="class")
    def s3_settings(self) -> dict[str, str]:
        return LONG_S3_SETTINGS

    @pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
    def test_a_long_s3_outage_fails_the_load_naming_s3_and_leaves_the_tables_as_they_were(
        self, stack: Stack, proxy: TcpProxy, warehouse: Warehouse
    ) -> None:
        experiment, run_id, job = _start_load(stack, warehouse)
        _wait_first_table(stack, job.id)
        proxy.cut(Outage.BLACKHOLE)  # connections accepted, nothing ever answered
        cut_at = time.monotonic()
        try:
            done = stack.jobs.wait(job.id, timeout=LONG_OUTAGE_BOUND_S + 30)
            took = time.monotonic() - cut_at
        finally:
            proxy.restore()
        assert done.status == JobStatus.FAILED
        error = done.error or ""
        assert "S3 at " + proxy.url in error, error
        assert "DWSIM_S3_ENDPOINT_URL" in error, error
        assert f"{stack.settings.s3_bucket}/experiments/{experiment.name}/runs/{run_id}/" in error
        assert took < LONG_OUTAGE_BOUND_S, f"the job failed {took:.0f} s after the outage began"
        assert stack.service.count_rows(experiment) == dict.fromkeys(ROWS, 0)  # as before

        # the run is whole: once S3 is back, loading it again loads every row
        again = stack.jobs.run(TaskName.LOAD_RUN, JobKind.LOAD, experiment.name, run_id=run_id)
        assert again.status == JobStatus.SUCCEEDED, again.error
        assert stack.service.count_rows(experiment) == ROWS
        stack.service.drop_warehouse(experiment)
