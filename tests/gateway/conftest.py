"""The gateway in-process (FastAPI's TestClient) over the real metadata service and Redis.

Enqueued tasks are read back from Redis: each queue is a Redis list of kombu messages whose
body is the task's ``[args, kwargs, embed]``.
"""

import base64
import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from dwsim_gateway.config import Settings
from dwsim_gateway.main import create_app
from dwsim_shared.contracts.tasks import Queue
from dwsim_shared.metadata_client import MetadataClient
from tests.fixtures.metadata import wait_for_health
from tests.fixtures.servers import REPO, bin_path, free_port, server_process
from tests.query_service.conftest import profiled, query_service  # noqa: F401 - column profiles

LOG_DIR = Path(os.environ.get("DWSIM_TEST_LOG_DIR", REPO / ".dwsim" / "test-logs"))

DDL = """CREATE TABLE customers (
    id BIGINT PRIMARY KEY,
    email VARCHAR(200) NOT NULL,
    region VARCHAR(20) ENCODE zstd
) DISTKEY(id);
CREATE TABLE orders (
    id BIGINT IDENTITY(1, 1) PRIMARY KEY,
    customer_id BIGINT REFERENCES customers (id),
    amount DECIMAL(12, 2),
    created_at TIMESTAMP
);
GRANT SELECT ON customers TO analyst;
"""


@dataclass(frozen=True)
class Task:
    name: str
    payload: dict[str, Any]


def closed_url(scheme: str = "http") -> str:
    """An address nothing listens on."""
    return f"{scheme}://127.0.0.1:{free_port()}"


def new_name() -> str:
    return f"exp_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def settings(metadata_url: str, redis_url: str) -> Settings:
    return Settings(
        metadata_url=metadata_url,
        redis_url=redis_url,
        query_url=closed_url(),
        s3_endpoint_url=closed_url(),
        redshift_port=free_port(),
        snowflake_port=free_port(),
        metadata_timeout_s=5.0,
        log_json=True,
    )


@pytest.fixture
def make_client() -> Iterator[Callable[[Settings], TestClient]]:
    clients: list[TestClient] = []

    def make(settings: Settings) -> TestClient:
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def api(settings: Settings, make_client: Callable[[Settings], TestClient]) -> TestClient:
    return make_client(settings)


@pytest.fixture
def metadata(metadata_url: str) -> Iterator[MetadataClient]:
    with MetadataClient(metadata_url) as client:
        yield client


@pytest.fixture
def queued(redis_url: str) -> Iterator[Callable[[Queue], list[Task]]]:
    """The tasks waiting in a queue, oldest first."""
    client = redis.Redis.from_url(redis_url)

    def read(queue: Queue) -> list[Task]:
        tasks = []
        for raw in reversed(client.lrange(queue.value, 0, -1)):  # LPUSHed: newest first
            message = json.loads(raw)
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            tasks.append(Task(message["headers"]["task"], args[0]))
        return tasks

    yield read
    client.close()


@pytest.fixture
def experiment(api: TestClient) -> str:
    """An experiment created from DDL (its materialize task is queued)."""
    name = new_name()
    response = api.post("/api/experiments", json={"name": name, "ddl": DDL, "dialect": "redshift"})
    assert response.status_code == 201, response.text
    return name


@dataclass(frozen=True)
class QueryServer:
    url: str
    data_dir: Path  # its DWSIM_DATA_DIR: SQLite warehouses live under it
    log: Path  # its JSON log lines


@pytest.fixture(scope="module")
def query_server(
    metadata_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[QueryServer]:
    """The real query service (the launcher's command line) over the session's metadata."""
    data_dir = tmp_path_factory.mktemp("gateway-query")
    port = free_port()
    args = [bin_path("uvicorn"), "--factory", "dwsim_query.main:create_app"]
    args += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    env = {"DWSIM_METADATA_URL": metadata_url, "DWSIM_DATA_DIR": str(data_dir)}
    with server_process(args, port, env=env, log_name="gateway-query"):
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url)
        yield QueryServer(url, data_dir, LOG_DIR / f"gateway-query-{port}.log")


@contextmanager
def gateway_process(
    settings: Settings, log_name: str, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, Path]]:
    """The gateway as the launcher runs it: uvicorn, its factory, our settings as DWSIM_*
    (and ``extra_env``); its URL and log file once it answers."""
    port = free_port()
    args = [bin_path("uvicorn"), "--factory", "dwsim_gateway.main:create_app"]
    args += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    fields = ("metadata_url", "redis_url", "query_url")
    env = {f"DWSIM_{f.upper()}": str(getattr(settings, f)) for f in fields}
    with server_process(args, port, env=env | (extra_env or {}), log_name=log_name):
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url)
        yield url, LOG_DIR / f"{log_name}-{port}.log"


@pytest.fixture
def gateway_url(settings: Settings) -> Iterator[str]:
    """The gateway as the launcher runs it: uvicorn, its factory, our settings as DWSIM_*."""
    with gateway_process(settings, "gateway") as (url, _):
        yield url
