"""The database itself: migrations match the models, the one-active-job index, restarts."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError

from dwsim_metadata import migrate
from dwsim_metadata.config import Settings
from dwsim_metadata.db import make_engine
from dwsim_metadata.models import Base, JobRow
from dwsim_shared.metadata_client import MetadataClient
from tests.fixtures.metadata import metadata_server
from tests.fixtures.postgres import fresh_database
from tests.metadata.conftest import BACKENDS, make_experiment


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    with fresh_database("dwsim_meta") as url:
        yield url


def test_migrations_build_exactly_the_models(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url, Settings())
    try:
        migrate.upgrade(engine)
        migrate.upgrade(engine)  # a second start changes nothing
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        indexes = {i["name"]: i for i in inspect(engine).get_indexes("jobs")}
        assert indexes["ix_jobs_one_active"]["unique"]
    finally:
        engine.dispose()


def test_the_index_refuses_a_second_active_exclusive_job(empty_db_url: str) -> None:
    """Not the service's check: the database itself refuses the row."""
    engine = make_engine(empty_db_url, Settings())
    migrate.upgrade(engine)

    def job(kind: str, status: str = "queued") -> dict[str, object]:
        now = datetime.now(UTC)
        return {"id": uuid.uuid4(), "kind": kind, "experiment": "e", "status": status,
                "timings": {}, "created_at": now}  # fmt: skip

    try:
        with engine.begin() as conn:
            conn.execute(insert(JobRow), [job("generate"), job("materialize")])
            conn.execute(insert(JobRow), [job("load", "succeeded"), job("drop", "cancelled")])
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert(JobRow), [job("reset", "running")])
    finally:
        engine.dispose()


def test_default_database_is_a_file_under_the_data_dir(tmp_path: Path) -> None:
    exp = make_experiment()
    with metadata_server(None, data_dir=tmp_path) as url, MetadataClient(url) as client:
        assert client.health()["database"] == "sqlite"
        client.create_experiment(exp)
    assert (tmp_path / "metadata.db").is_file()
    # a restart over the same file keeps what was stored
    with metadata_server(None, data_dir=tmp_path) as url, MetadataClient(url) as client:
        assert client.get_experiment(exp.name).schema_ == exp
