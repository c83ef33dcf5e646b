"""The query service as a real uvicorn subprocess (the launcher's command line), over the
session's metadata service, Redshift and Snowflake emulators, moto's S3 and a SQLite dir.

``loaded`` is an experiment per warehouse, registered in the metadata service, materialized
and loaded with the adapters directly (the data of ``tests.adapters.staging``); ``profiled``
the same, but for a column whose non-NULL values are all one value (for column profiles).
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyarrow as pa
import pytest

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.metadata_client import MetadataClient
from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses import get_adapter
from tests.adapters.staging import experiment, stage_run
from tests.fixtures.metadata import wait_for_health
from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.s3 import S3Server
from tests.fixtures.servers import bin_path, free_port, server_process
from tests.fixtures.snowflake import SnowflakeEmulator

ROWS = {"customers": 45, "orders": 30, "all_types": 6, "employees": 3}
CSV_BATCH_ROWS = 500
WAREHOUSES = [Warehouse.REDSHIFT, Warehouse.SNOWFLAKE, Warehouse.SQLITE]

# statements that run well past the tests' timeouts (the Snowflake one ends by itself after
# a minute or so, should the emulator not cancel it)
SLOW_SQL = {
    Warehouse.SQLITE: (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c"
    ),
    Warehouse.SNOWFLAKE: (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000000) "
        "SELECT COUNT(*) FROM c"
    ),
    Warehouse.REDSHIFT: "SELECT pg_sleep(30)",
}


@dataclass(frozen=True)
class QueryService:
    url: str
    env: dict[str, str]
    pid: int

    def settings(self) -> DwsimSettings:
        """The settings the service runs with (for adapters that set up its data)."""
        return DwsimSettings(**{k[6:].lower(): v for k, v in self.env.items() if k[:6] == "DWSIM_"})

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=kwargs.pop("timeout", 60.0), **kwargs)


def service_env(
    metadata_url: str,
    redshift: RedshiftEmulator,
    snowflake: SnowflakeEmulator,
    s3: S3Server,
    data_dir: Path,
) -> dict[str, str]:
    return {
        **s3.env(),
        "DWSIM_METADATA_URL": metadata_url,
        "DWSIM_REDSHIFT_HOST": redshift.host,
        "DWSIM_REDSHIFT_PORT": str(redshift.port),
        "DWSIM_REDSHIFT_USER": redshift.user,
        "DWSIM_REDSHIFT_PASSWORD": redshift.password,
        "DWSIM_SNOWFLAKE_HOST": snowflake.host,
        "DWSIM_SNOWFLAKE_PORT": str(snowflake.port),
        "DWSIM_DATA_DIR": str(data_dir),
        "DWSIM_CSV_BATCH_ROWS": str(CSV_BATCH_ROWS),
        "DWSIM_LOG_LEVEL": os.environ.get("DWSIM_QUERY_LOG_LEVEL", "INFO"),
    }


def query_service_command(port: int) -> list[str]:
    """The command line the launcher uses (``dwsim up``), on ``port``."""
    return [
        bin_path("uvicorn"),
        "--factory",
        "dwsim_query.main:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]


@contextmanager
def running_query_service(env: dict[str, str]) -> Iterator[QueryService]:
    """The service, run with ``env`` until the block ends."""
    port = free_port()
    with server_process(query_service_command(port), port, env=env, log_name="query") as proc:
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url)
        yield QueryService(url=url, env=env, pid=proc.pid)


@pytest.fixture(scope="session")
def query_service(
    metadata_url: str,
    redshift_emulator: RedshiftEmulator,
    snowflake_emulator: SnowflakeEmulator,
    s3_server: S3Server,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[QueryService]:
    env = service_env(
        metadata_url,
        redshift_emulator,
        snowflake_emulator,
        s3_server,
        tmp_path_factory.mktemp("query-service"),
    )
    with running_query_service(env) as service:
        yield service


@pytest.fixture(scope="session")
def metadata(metadata_url: str) -> Iterator[MetadataClient]:
    with MetadataClient(metadata_url) as client:
        yield client


@pytest.fixture(scope="module", params=WAREHOUSES, ids=str)
def loaded(
    request: pytest.FixtureRequest,
    query_service: QueryService,
    metadata: MetadataClient,
    s3_server: S3Server,
) -> Iterator[Experiment]:
    """An experiment on each warehouse, known to the metadata service, with data loaded."""
    warehouse: Warehouse = request.param
    exp = experiment(f"qs_{uuid.uuid4().hex[:8]}", warehouse)
    metadata.create_experiment(exp)
    bucket = f"dwsim-qs-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=bucket)
    run = stage_run(s3_server.client(), bucket, exp, ROWS, chunk_rows=16)
    with get_adapter(warehouse, query_service.settings()) as adapter:
        adapter.materialize(exp)
        adapter.load_run(exp, run.manifest, run.layout, run.bucket)
        try:
            yield exp
        finally:
            adapter.drop(exp)
            metadata.delete_experiment(exp.name)


# employees: the manager of both non-root employees is employee 0 (min == max)
EMPLOYEES = pa.table(
    {"emp_id": pa.array([0, 1, 2], pa.int32()), "manager_id": pa.array([None, 0, 0], pa.int32())}
)


@pytest.fixture(scope="module", params=WAREHOUSES, ids=str)
def profiled(
    request: pytest.FixtureRequest,
    query_service: QueryService,
    metadata_url: str,
    s3_server: S3Server,
) -> Iterator[Experiment]:
    """An experiment on each warehouse with the data of ``loaded`` but ``EMPLOYEES`` (the
    gateway's tests use it too, so it needs no fixture of this folder but ``query_service``)."""
    warehouse: Warehouse = request.param
    exp = experiment(f"qp_{uuid.uuid4().hex[:8]}", warehouse)
    bucket = f"dwsim-qp-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=bucket)
    tables = {"employees": EMPLOYEES}
    run = stage_run(s3_server.client(), bucket, exp, ROWS, chunk_rows=16, tables=tables)
    with (
        MetadataClient(metadata_url) as metadata,
        get_adapter(warehouse, query_service.settings()) as adapter,
    ):
        metadata.create_experiment(exp)
        adapter.materialize(exp)
        adapter.load_run(exp, run.manifest, run.layout, run.bucket)
        try:
            yield exp
        finally:
            adapter.drop(exp)
            metadata.delete_experiment(exp.name)
