"""The ``dwsim`` command against real services: a gateway (uvicorn, as the launcher runs it)
over the session's metadata service, the test Redis database and a real query service.

No worker runs here: jobs stay queued unless a test plays the worker through the metadata
service. The whole stack (``stack`` fixture) is for the end-to-end test only.
"""

import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from dwsim_cli.main import main
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses import get_adapter
from tests.fixtures.metadata import wait_for_health
from tests.fixtures.redis import REDIS_URL
from tests.fixtures.servers import bin_path, free_port, server_process

DDL = """CREATE TABLE customers (
    id BIGINT PRIMARY KEY,
    email VARCHAR(200) NOT NULL UNIQUE,
    region VARCHAR(20) ENCODE zstd
) DISTKEY(id);
CREATE TABLE orders (
    id BIGINT IDENTITY(1, 1) PRIMARY KEY,
    customer_id BIGINT REFERENCES customers (id),
    status VARCHAR(10) CHECK (status IN ('new', 'paid')),
    amount DECIMAL(12, 2),
    created_at TIMESTAMP
);
GRANT SELECT ON customers TO analyst;
"""
PEOPLE_SCHEMA = {
    "warehouse": "sqlite",
    "tables": [
        {
            "name": "people",
            "rows": 4,
            "columns": [
                {"name": "id", "type": "bigint"},
                {"name": "name", "type": "varchar(40)"},
                {"name": "score", "type": "decimal(6,2)"},
            ],
        }
    ],
}
PEOPLE = [
    (1, "ada", "9.25"),
    (2, "grace", None),
    (3, 'edsger "ewd"', "7.25"),
    (4, "bar,\nbaz", "1"),
]


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Services:
    gateway_url: str
    metadata_url: str
    query_data_dir: Path  # the query service's DWSIM_DATA_DIR (SQLite warehouses live there)
    query_url: str  # the query service behind the gateway (its running queries, by id)


def new_name() -> str:
    return f"cli_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def services(metadata_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """A query service and a gateway for the whole session (the tests use unique names)."""
    pytest.importorskip("redis")
    data_dir = tmp_path_factory.mktemp("cli-query")
    query_port, gateway_port = free_port(), free_port()
    uvicorn = [bin_path("uvicorn"), "--factory", "--host", "127.0.0.1", "--no-access-log"]
    query_env = {"DWSIM_METADATA_URL": metadata_url, "DWSIM_DATA_DIR": str(data_dir)}
    gateway_env = {
        "DWSIM_METADATA_URL": metadata_url,
        "DWSIM_REDIS_URL": REDIS_URL,
        "DWSIM_QUERY_URL": f"http://127.0.0.1:{query_port}",
    }
    query_args = [*uvicorn, "dwsim_query.main:create_app", "--port", str(query_port)]
    gateway_args = [*uvicorn, "dwsim_gateway.main:create_app", "--port", str(gateway_port)]
    with (
        server_process(query_args, query_port, env=query_env, log_name="cli-query"),
        server_process(gateway_args, gateway_port, env=gateway_env, log_name="cli-gateway"),
    ):
        gateway_url = f"http://127.0.0.1:{gateway_port}"
        wait_for_health(f"http://127.0.0.1:{query_port}")
        wait_for_health(gateway_url)
        try:
            yield Services(gateway_url, metadata_url, data_dir, f"http://127.0.0.1:{query_port}")
        finally:
            client = redis.Redis.from_url(REDIS_URL)  # the tasks nobody ran
            client.flushdb()
            client.close()


def runner(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """``dwsim ARGS`` run in-process against the gateway at ``url``: its code, stdout, stderr."""
    for key in list(os.environ):
        if key.startswith("DWSIM_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("DWSIM_API_URL", url)
    monkeypatch.setenv("COLUMNS", "200")  # wide tables: nothing wrapped in the assertions

    def run(*argv: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def dwsim(
    services: Services, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    return runner(services.gateway_url, capsys, monkeypatch)


@pytest.fixture
def experiment(dwsim: Callable[..., Result], tmp_path: Path) -> str:
    """A Redshift experiment created from DDL through the command (its tables never made)."""
    name = new_name()
    ddl = tmp_path / "shop.sql"
    ddl.write_text(DDL)
    result = dwsim("experiment", "create", name, "--warehouse", "redshift", "--ddl", str(ddl))
    assert result.code == 0, result.err
    return name


@pytest.fixture
def people(dwsim: Callable[..., Result], services: Services, tmp_path: Path) -> str:
    """A SQLite experiment made through the command, its table created and filled here."""
    name = new_name()
    schema = tmp_path / "people.json"
    schema.write_text(json.dumps(PEOPLE_SCHEMA))
    result = dwsim("experiment", "create", name, "--schema", str(schema), "--json")
    assert result.code == 0, result.err
    experiment = Experiment.model_validate(json.loads(result.out)["schema"])
    settings = DwsimSettings(data_dir=str(services.query_data_dir))
    with get_adapter(experiment.warehouse, settings) as adapter:
        adapter.materialize(experiment)
        path = adapter.path(experiment)
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO people VALUES (?, ?, ?)", PEOPLE)
    return name
