"""``POST /api/experiments/{name}/check-sql`` through the gateway, made by the real query service
on each emulator, with the experiment's schema as the default for unqualified names."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from dwsim_gateway.config import Settings
from dwsim_shared.contracts.enums import Warehouse
from tests.query_service.conftest import ROWS

EMULATORS = [Warehouse.REDSHIFT, Warehouse.SNOWFLAKE]
UNKNOWN_COLUMN = {
    Warehouse.REDSHIFT: 'column "nope" does not exist',
    Warehouse.SNOWFLAKE: "invalid identifier 'NOPE'",
}
HOST_FILE = {  # statements the query service never sends to a warehouse
    Warehouse.REDSHIFT: ("select pg_read_file('/etc/passwd')", "reading or writing the server's"),
    Warehouse.SNOWFLAKE: ("select * from read_csv('/etc/passwd')", "reading files with DuckDB's"),
}


@pytest.fixture
def api(settings: Settings, make_client: Callable[[Settings], TestClient], query_service):
    return make_client(settings.model_copy(update={"query_url": query_service.url}))


def _check(api: TestClient, experiment: str, **body):
    return api.post(f"/api/experiments/{experiment}/check-sql", json=body)


@pytest.mark.parametrize("loaded", EMULATORS, indirect=True, ids=str)
def test_a_report_on_the_experiments_tables_that_changes_nothing(api, loaded):
    host_sql, refusal = HOST_FILE[loaded.warehouse]
    sql = (
        "select customer_id, region from orders where amount > 1;\n"
        "select order_id,\n  nope from orders;\n"
        f"delete from orders;\n{host_sql};\n"
    )
    response = _check(api, loaded.name, sql=sql, file="daily.sql")
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["warehouse"], report["schema"]) == (loaded.warehouse.value, loaded.name)
    statements = report["statements"]
    assert [(s["file"], s["line"], s["status"]) for s in statements] == [
        ("daily.sql", 1, "faithful"),
        ("daily.sql", 2, "error"),
        ("daily.sql", 4, "faithful"),
        ("daily.sql", 5, "unsupported"),
    ]
    error = statements[1]
    assert UNKNOWN_COLUMN[loaded.warehouse] in error["reason"]
    assert (error["error_line"], error["error_column"]) == (3, 3)
    refused = statements[3]
    assert refused["reason"].startswith(refusal)
    assert refused["executed"] is False
    assert report["summary"] == {
        "total": 4,
        "counts": {"faithful": 2, "rewritten": 0, "unsupported": 1, "error": 1},
        "passed": 2,
        "pass_rate": 0.5,
    }
    count = api.post(
        f"/api/experiments/{loaded.name}/query", json={"sql": "select count(*) from orders"}
    )
    assert count.json()["rows"] == [[ROWS["orders"]]]


@pytest.mark.parametrize("loaded", [Warehouse.REDSHIFT], indirect=True, ids=str)
def test_a_query_log_with_one_statement_per_line_and_named_rewrites(api, loaded):
    log = "select count(*) from orders\nselect dateadd(month, 1, '2024-01-31'::date) as d\n"
    response = _check(api, loaded.name, sql=log, per_line=True)
    assert response.status_code == 200, response.text
    first, second = response.json()["statements"]
    assert (first["file"], first["line"], first["status"]) == (None, 1, "faithful")
    assert (second["line"], second["status"]) == (2, "rewritten")
    assert second["rewrites"] == ["functions (dwsim_rs.dateadd)"]


@pytest.mark.parametrize("loaded", [Warehouse.SQLITE], indirect=True, ids=str)
def test_what_cannot_be_checked_is_refused(api, loaded):
    sqlite = _check(api, loaded.name, sql="select 1")
    assert sqlite.status_code == 400
    assert (
        "is on sqlite: check-sql checks SQL against the Redshift and Snowflake"
        in (sqlite.json()["detail"])
    )
    assert _check(api, "no_such_experiment", sql="select 1").status_code == 404
    assert _check(api, loaded.name, sql="").status_code == 422
    assert _check(api, loaded.name, sql="select 1", timeout_s=0).status_code == 422


@pytest.mark.parametrize("loaded", [Warehouse.SNOWFLAKE], indirect=True, ids=str)
def test_text_without_a_statement_is_refused(api, loaded):
    response = _check(api, loaded.name, sql="-- only a comment\n;\n")
    assert response.status_code == 400
    assert response.json()["detail"] == "no SQL statement in sql (only blanks or comments)"
