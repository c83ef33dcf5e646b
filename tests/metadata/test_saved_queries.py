"""Saved queries: create or replace by name, read, list by name, delete; gone with their
experiment. Over SQLite and PostgreSQL, through HTTP."""

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest

from dwsim_shared.contracts.api import SavedQueryBody
from dwsim_shared.metadata_client import MetadataClient, NotFoundError
from tests.metadata.conftest import make_experiment

ORDERS = "SELECT status, COUNT(*) FROM orders GROUP BY 1"


def test_put_creates_then_replaces_keeping_created_at(client: MetadataClient, experiment) -> None:
    body = SavedQueryBody(sql=ORDERS, description="orders by status")
    created, was_new = client.put_saved_query(experiment.name, "by status", body)
    assert was_new is True
    assert (created.experiment, created.name, created.sql) == (experiment.name, "by status", ORDERS)
    assert created.description == "orders by status"
    assert created.updated_at == created.created_at

    again, was_new = client.put_saved_query(
        experiment.name, "by status", SavedQueryBody(sql="SELECT 1")
    )
    assert was_new is False
    assert (again.sql, again.description) == ("SELECT 1", None)  # the body replaces it whole
    assert again.created_at == created.created_at
    assert again.updated_at > created.updated_at
    assert client.get_saved_query(experiment.name, "by status") == again


def test_put_answers_201_when_created_and_200_when_replaced(
    client: MetadataClient, experiment
) -> None:
    url = f"{client.base_url}/experiments/{experiment.name}/queries/daily"
    first = httpx.put(url, json={"sql": "SELECT 1"})
    second = httpx.put(url, json={"sql": "SELECT 2"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["sql"] == "SELECT 2"


def test_list_is_by_name_and_only_the_experiments_own(client: MetadataClient) -> None:
    one, other = make_experiment(), make_experiment()
    client.create_experiment(one)
    client.create_experiment(other)
    for name in ("beta", "Alpha", "alpha 2", "0 first"):
        client.put_saved_query(one.name, name, SavedQueryBody(sql=f"SELECT '{name}'"))
    client.put_saved_query(other.name, "beta", SavedQueryBody(sql="SELECT 'other'"))

    assert [q.name for q in client.list_saved_queries(one.name)] == [
        "0 first",
        "Alpha",
        "alpha 2",
        "beta",
    ]
    assert [(q.name, q.sql) for q in client.list_saved_queries(other.name)] == [
        ("beta", "SELECT 'other'")
    ]


def test_delete_removes_it_and_a_second_delete_is_404(client: MetadataClient, experiment) -> None:
    client.put_saved_query(experiment.name, "gone", SavedQueryBody(sql="SELECT 1"))
    client.delete_saved_query(experiment.name, "gone")
    assert client.list_saved_queries(experiment.name) == []
    with pytest.raises(
        NotFoundError, match=f"experiment {experiment.name} has no saved query 'gone'"
    ):
        client.get_saved_query(experiment.name, "gone")
    with pytest.raises(NotFoundError, match="no saved query 'gone'"):
        client.delete_saved_query(experiment.name, "gone")


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.list_saved_queries("nosuch_exp"),
        lambda c: c.get_saved_query("nosuch_exp", "q"),
        lambda c: c.put_saved_query("nosuch_exp", "q", SavedQueryBody(sql="SELECT 1")),
        lambda c: c.delete_saved_query("nosuch_exp", "q"),
    ],
    ids=["list", "get", "put", "delete"],
)
def test_unknown_experiment_is_404_naming_it(client: MetadataClient, call) -> None:
    with pytest.raises(NotFoundError, match="experiment nosuch_exp not found"):
        call(client)


@pytest.mark.parametrize("name", [" lead", "-dash", "x" * 101, "semi;colon", "tab\there"])
def test_a_name_outside_the_pattern_is_422(client: MetadataClient, experiment, name) -> None:
    url = f"{client.base_url}/experiments/{experiment.name}/queries/{quote(name, safe='')}"
    response = httpx.put(url, json={"sql": "SELECT 1"})
    assert response.status_code == 422
    assert f"saved query name {name!r} is not valid" in response.json()["detail"]
    assert client.list_saved_queries(experiment.name) == []


@pytest.mark.parametrize("field", ["sql", "description"])
def test_a_nul_character_is_422_naming_the_field(client: MetadataClient, experiment, field) -> None:
    """PostgreSQL cannot store NUL in text: it was a 500 there (found fuzzing the API)."""
    body = {"sql": "SELECT 1", field: "SELECT '\x00'"}
    url = f"{client.base_url}/experiments/{experiment.name}/queries/q"
    response = httpx.put(url, json=body)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", field]
    assert "NUL character" in error["msg"]
    assert client.list_saved_queries(experiment.name) == []


def test_the_experiments_queries_go_with_it(client: MetadataClient, experiment) -> None:
    client.put_saved_query(experiment.name, "kept", SavedQueryBody(sql="SELECT 1"))
    client.delete_experiment(experiment.name)
    with pytest.raises(NotFoundError):
        client.list_saved_queries(experiment.name)
    client.create_experiment(experiment)  # the same name again starts with none
    assert client.list_saved_queries(experiment.name) == []


def test_racing_creates_of_one_name_make_one_query(client: MetadataClient, experiment) -> None:
    def put(n: int) -> bool:
        with MetadataClient(client.base_url) as own:
            body = SavedQueryBody(sql=f"SELECT {n}")
            return own.put_saved_query(experiment.name, "raced", body)[1]

    with ThreadPoolExecutor(8) as pool:
        created = list(pool.map(put, range(8)))
    assert created.count(True) == 1
    [saved] = client.list_saved_queries(experiment.name)
    assert saved.sql in {f"SELECT {n}" for n in range(8)}
