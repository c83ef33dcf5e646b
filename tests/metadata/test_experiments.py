"""Experiments: create, read, replace, list with summaries, delete (jobs stay)."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from dwsim_shared.contracts.enums import JobKind, JobStatus, RunStatus, Warehouse
from dwsim_shared.contracts.metadata import RunCreate
from dwsim_shared.metadata_client import ConflictError, MetadataClient, NotFoundError
from tests.metadata.conftest import make_experiment


def test_health_names_the_database(client: MetadataClient, backend: tuple[str, str]) -> None:
    assert client.health() == {"status": "ok", "database": backend[0]}


def test_create_get_replace(client: MetadataClient) -> None:
    exp = make_experiment({"a": 10})
    created = client.create_experiment(exp)
    assert created.name == exp.name
    assert created.schema_ == exp
    assert created.warehouse == Warehouse.SQLITE

    got = client.get_experiment(exp.name)
    assert got.schema_ == exp
    assert got.created_at == created.created_at

    changed = make_experiment({"a": 10, "b": 20}, name=exp.name).model_copy(
        update={"warehouse": Warehouse.SNOWFLAKE}
    )
    replaced = client.replace_experiment(changed)
    assert replaced.warehouse == Warehouse.SNOWFLAKE
    assert [t.name for t in replaced.schema_.tables] == ["a", "b"]
    assert replaced.created_at == created.created_at
    assert replaced.updated_at >= created.updated_at
    assert client.get_experiment(exp.name).schema_ == changed


def test_duplicate_is_409(client: MetadataClient) -> None:
    exp = make_experiment()
    client.create_experiment(exp)
    with pytest.raises(ConflictError, match=f"experiment {exp.name} already exists"):
        client.create_experiment(exp)


def test_names_equal_but_for_case_are_one_experiment(client: MetadataClient) -> None:
    """Redshift folds even quoted names to lower case, so Shop and shop would share a schema:
    the database refuses the second, however many create at once."""
    base = f"Exp_{uuid.uuid4().hex[:8]}"
    variants = [base, base.lower(), base.upper(), base.swapcase()]
    with ThreadPoolExecutor(len(variants)) as pool:
        outcomes = list(pool.map(lambda n: _try_create(client, n), variants))
    created = [name for name, error in outcomes if error is None]
    assert len(created) == 1
    for name, error in outcomes:
        if error is not None:
            assert isinstance(error, ConflictError), error
            assert f"experiment {name} differs only in case" in str(error)
            assert created[0] in str(error)
    names = [e.name for e in client.list_experiments()]
    assert [n for n in names if n.lower() == base.lower()] == created


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Été", "été"),  # SQLite's lower() folds ASCII letters only
        ("STRASSE", "straße"),  # case folding, not lower(): ß folds to ss
        ("\u00c9t\u00e9", "E\u0301te\u0301"),  # É as one character and as E + accent
    ],
    ids=["accent", "sharp_s", "decomposed"],
)
def test_names_equal_but_for_the_case_of_any_letter_are_one_experiment(
    client: MetadataClient, first: str, second: str
) -> None:
    """The service itself, no gateway check before it: the database's unique index on the
    Python-folded name refuses the second of two simultaneous creates, on SQLite too."""
    suffix = uuid.uuid4().hex[:8]
    variants = [f"{first}_{suffix}", f"{second}_{suffix}"]
    with ThreadPoolExecutor(len(variants)) as pool:
        outcomes = list(pool.map(lambda n: _try_create(client, n), variants))
    created = [name for name, error in outcomes if error is None]
    assert len(created) == 1
    name, error = next(o for o in outcomes if o[1] is not None)
    assert isinstance(error, ConflictError), error
    assert error.status == 409
    assert str(error) == (
        f"experiment {name} differs only in case from the existing experiment {created[0]}; "
        "experiment names are compared ignoring case"
    )
    # one after the other too: only the database stands between the two
    with pytest.raises(ConflictError, match="differs only in case"):
        client.create_experiment(make_experiment(name=name))
    assert [e.name for e in client.list_experiments() if e.name in variants] == created


def _try_create(client: MetadataClient, name: str) -> tuple[str, Exception | None]:
    try:
        client.create_experiment(make_experiment(name=name))
    except Exception as exc:  # returned to the test, which checks its kind
        return name, exc
    return name, None


@pytest.mark.parametrize(
    "call",
    [
        lambda c, n: c.get_experiment(n),
        lambda c, n: c.delete_experiment(n),
        lambda c, n: c.replace_experiment(make_experiment(name=n)),
        lambda c, n: c.list_runs(n),
        lambda c, n: c.list_jobs(n),
    ],
    ids=["get", "delete", "replace", "runs", "jobs"],
)
def test_unknown_experiment_is_404_naming_it(client: MetadataClient, call) -> None:
    with pytest.raises(NotFoundError, match="experiment nosuch_exp not found"):
        call(client, "nosuch_exp")


def test_replace_with_another_name_is_422(client: MetadataClient, experiment) -> None:
    body = {"experiment": make_experiment(name="other_name").model_dump(mode="json")}
    response = httpx.put(f"{client.base_url}/experiments/{experiment.name}", json=body)
    assert response.status_code == 422
    assert "other_name" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/experiments", {"experiment": {"name": "x"}}),
        ("POST", "/experiments", {"nope": 1}),
        ("POST", "/jobs", {"kind": "explode", "experiment": "x"}),
        ("POST", "/runs", {"id": "r"}),
    ],
)
def test_invalid_bodies_are_422(client: MetadataClient, method, path, body) -> None:
    response = httpx.request(method, f"{client.base_url}{path}", json=body)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_list_summarises(client: MetadataClient) -> None:
    exp = make_experiment({"a": 10, "b": 20, "c": 5})
    client.create_experiment(exp)
    summary = next(s for s in client.list_experiments() if s.name == exp.name)
    assert (summary.tables, summary.total_rows) == (3, 35)
    assert summary.last_run_id is None

    for run_id in ("r1", "r2"):
        client.create_run(_run(exp.name, f"{exp.name}_{run_id}"))
    client.update_run(f"{exp.name}_r2", status=RunStatus.COMPLETED, finished=True)
    summary = next(s for s in client.list_experiments() if s.name == exp.name)
    assert summary.last_run_id == f"{exp.name}_r2"
    assert summary.last_run_status == RunStatus.COMPLETED
    assert summary.last_run_at is not None


def test_delete_removes_runs_and_keeps_jobs(client: MetadataClient, experiment) -> None:
    run_id = f"{experiment.name}_run"
    client.create_run(_run(experiment.name, run_id))
    job = client.create_job(JobKind.DROP, experiment.name, run_id=run_id)

    client.delete_experiment(experiment.name)

    with pytest.raises(NotFoundError):
        client.get_experiment(experiment.name)
    with pytest.raises(NotFoundError, match=f"run {run_id} not found"):
        client.get_run(run_id)
    assert experiment.name not in [s.name for s in client.list_experiments()]
    # the drop job can still be polled and finished
    assert client.get_job(job.id).status == JobStatus.QUEUED
    client.transition(job.id, JobStatus.RUNNING)
    assert client.transition(job.id, JobStatus.SUCCEEDED).status == JobStatus.SUCCEEDED
    assert [j.id for j in client.list_jobs(experiment.name)] == [job.id]
    # the name is free again
    client.create_experiment(experiment)
    assert client.list_runs(experiment.name) == []


def _run(experiment: str, run_id: str) -> RunCreate:
    return RunCreate(
        id=run_id,
        experiment=experiment,
        seed=1,
        chunk_rows=100,
        rows_requested={"a": 10},
        prefix=f"s3://b/experiments/{experiment}/runs/{run_id}/",
    )
