"""Every metadata test runs against the service over SQLite and over PostgreSQL, through HTTP."""

import uuid
from collections.abc import Callable, Iterator

import pytest

from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.metadata_client import MetadataClient
from tests.fixtures.metadata import metadata_server
from tests.fixtures.postgres import fresh_database

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def metadata_pg_db_url() -> Iterator[str]:
    """A fresh PostgreSQL database for the metadata service, dropped at the end."""
    with fresh_database("dwsim_meta") as url:
        yield url


@pytest.fixture(scope="session")
def metadata_pg_url(metadata_pg_db_url: str) -> Iterator[str]:
    with metadata_server(metadata_pg_db_url) as url:
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(database kind, service URL)."""
    fixture = "metadata_url" if request.param == "sqlite" else "metadata_pg_url"
    return request.param, request.getfixturevalue(fixture)


@pytest.fixture
def client(backend: tuple[str, str]) -> Iterator[MetadataClient]:
    with MetadataClient(backend[1]) as client:
        yield client


def make_experiment(rows: dict[str, int] | None = None, name: str | None = None) -> Experiment:
    rows = rows or {"customers": 100, "orders": 500}
    return Experiment.model_validate(
        {
            "name": name or f"exp_{uuid.uuid4().hex[:10]}",
            "warehouse": "sqlite",
            "tables": [
                {"name": table, "columns": [{"name": "id", "type": "bigint"}], "rows": n}
                for table, n in rows.items()
            ],
        }
    )


@pytest.fixture
def new_experiment() -> Callable[..., Experiment]:
    return make_experiment


@pytest.fixture
def experiment(client: MetadataClient) -> Experiment:
    """A stored experiment with a unique name: customers (100 rows) and orders (500)."""
    exp = make_experiment()
    client.create_experiment(exp)
    return exp
