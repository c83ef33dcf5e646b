"""The database itself: migrations match the models, the one-active-job index, restarts."""

import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import JSON, Engine, Text, column, insert, inspect, select, table, text
from sqlalchemy.exc import IntegrityError

from dwsim_metadata import migrate
from dwsim_metadata.config import Settings
from dwsim_metadata.db import make_engine
from dwsim_metadata.models import Base, ExperimentRow, JobRow, UTCDateTime
from dwsim_shared.contracts.identifiers import fold_name
from dwsim_shared.metadata_client import MetadataClient
from tests.fixtures.metadata import metadata_server
from tests.fixtures.postgres import fresh_database
from tests.metadata.conftest import BACKENDS, make_experiment


@contextmanager
def _empty_db(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    with fresh_database("dwsim_meta") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with _empty_db(request.param, tmp_path) as url:
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


# the experiments and saved_queries tables as migration 0006 left them (no name_folded)
_EXPERIMENTS_0006 = table(
    "experiments",
    column("name", Text),
    column("warehouse", Text),
    column("schema", JSON),
    column("created_at", UTCDateTime()),
    column("updated_at", UTCDateTime()),
)
_SAVED_QUERIES_0006 = table(
    "saved_queries",
    column("experiment", Text),
    column("name", Text),
    column("sql", Text),
    column("created_at", UTCDateTime()),
    column("updated_at", UTCDateTime()),
)


def _store_at_0006(engine: Engine, names: list[str]) -> None:
    """A database migrated to 0006 holding experiments ``names``, each with a saved query."""
    migrate.upgrade(engine, "0006")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for name in names:
            conn.execute(
                insert(_EXPERIMENTS_0006).values(
                    name=name, warehouse="sqlite", schema={}, created_at=now, updated_at=now
                )
            )
            conn.execute(
                insert(_SAVED_QUERIES_0006).values(
                    experiment=name, name="q", sql="SELECT 1", created_at=now, updated_at=now
                )
            )


def test_migration_0007_folds_the_names_already_stored(empty_db_url: str) -> None:
    names = ["Été_a", "STRASSE_b", "E\u0301te\u0301_c", "plain_D"]
    engine = make_engine(empty_db_url, Settings())
    try:
        _store_at_0006(engine, names)
        migrate.upgrade(engine)
        with engine.connect() as conn:
            stored = dict(conn.execute(select(ExperimentRow.name, ExperimentRow.name_folded)).all())
            kept = conn.execute(select(_SAVED_QUERIES_0006.c.experiment)).scalars().all()
        assert stored == {name: fold_name(name) for name in names}
        assert stored["Été_a"] == "été_a"
        assert stored["STRASSE_b"] == "strasse_b"
        assert stored["E\u0301te\u0301_c"] == unicodedata.normalize("NFC", "été_c")
        assert sorted(kept) == sorted(names)  # the table was altered, not rebuilt
        # the new index refuses a name folding like a stored one, whatever lower() makes of it
        now = datetime.now(UTC)
        twin = {"warehouse": "sqlite", "schema": {}, "created_at": now, "updated_at": now}
        for name in ("été_A", "straße_b", "Été_c"):
            row = {**twin, "name": name, "name_folded": fold_name(name)}
            with pytest.raises(IntegrityError), engine.begin() as conn:
                conn.execute(insert(ExperimentRow).values(**row))
        # the downgrade takes the column off and puts the lower(name) index back; the upgrade
        # runs again over the same rows
        _downgrade(engine, "0006")
        assert "name_folded" not in {c["name"] for c in inspect(engine).get_columns("experiments")}
        migrate.upgrade(engine)
        with engine.connect() as conn:
            stored = dict(conn.execute(select(ExperimentRow.name, ExperimentRow.name_folded)).all())
        assert stored == {name: fold_name(name) for name in names}
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("backend", "twins"),
    [
        ("sqlite", ["Été", "été"]),  # PostgreSQL's lower() folds É: 0005 refused the pair there
        ("sqlite", ["STRASSE", "straße"]),
        ("postgresql", ["STRASSE", "straße"]),
        ("sqlite", ["\u00c9t\u00e9", "E\u0301te\u0301"]),
        ("postgresql", ["\u00c9t\u00e9", "E\u0301te\u0301"]),
    ],
    ids=["sqlite-accent", "sqlite-sharp_s", "pg-sharp_s", "sqlite-decomposed", "pg-decomposed"],
)
def test_migration_0007_refuses_names_that_fold_alike(
    backend: str, twins: list[str], tmp_path: Path
) -> None:
    """Names 0005's lower(name) index let in but that fold alike: the upgrade stops, names
    them, and leaves the database as it was (at 0006, the rows untouched)."""
    with _empty_db(backend, tmp_path) as url:
        engine = make_engine(url, Settings())
        try:
            _store_at_0006(engine, [*twins, "unrelated"])
            with pytest.raises(RuntimeError) as refused:
                migrate.upgrade(engine)
            message = str(refused.value)
            assert "differ only in case" in message
            assert " and ".join(sorted(twins)) in message
            assert "unrelated" not in message
            with engine.connect() as conn:
                version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                names = conn.execute(select(_EXPERIMENTS_0006.c.name)).scalars().all()
            assert version == "0006"
            assert sorted(names) == sorted([*twins, "unrelated"])
            columns = {c["name"] for c in inspect(engine).get_columns("experiments")}
            assert "name_folded" not in columns
        finally:
            engine.dispose()


def _downgrade(engine: Engine, revision: str) -> None:
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_default_database_is_a_file_under_the_data_dir(tmp_path: Path) -> None:
    exp = make_experiment()
    with metadata_server(None, data_dir=tmp_path) as url, MetadataClient(url) as client:
        assert client.health()["database"] == "sqlite"
        client.create_experiment(exp)
    assert (tmp_path / "metadata.db").is_file()
    # a restart over the same file keeps what was stored
    with metadata_server(None, data_dir=tmp_path) as url, MetadataClient(url) as client:
        assert client.get_experiment(exp.name).schema_ == exp
