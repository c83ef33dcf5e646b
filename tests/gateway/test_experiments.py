"""Creating, reading, patching and dropping experiments through the public API."""

import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from dwsim_shared.contracts.enums import JobKind, JobStatus
from dwsim_shared.contracts.tasks import Queue, TaskName
from tests.gateway.conftest import DDL, Task, new_name

LEGACY = {
    "name": "ignored_by_the_request_name",
    "target_warehouse": "snowflake",
    "tables": [
        {
            "name": "customers",
            "target_rows": 250,
            "columns": [
                {"name": "customer_id", "data_type": "INT", "required": True, "unique": True},
                {"name": "email", "data_type": "VARCHAR", "faker_rule": "email"},
            ],
        },
        {
            "name": "orders",
            "target_rows": 900,
            "columns": [
                {"name": "order_id", "data_type": "INT", "required": True, "unique": True},
                {
                    "name": "customer_id",
                    "data_type": "INT",
                    "foreign_key": {
                        "references_table": "customers",
                        "references_column": "customer_id",
                    },
                },
                {"name": "amount", "data_type": "FLOAT", "min_value": 1, "max_value": 500},
            ],
        },
    ],
}


def test_create_from_ddl_stores_the_schema_and_queues_materialize(
    api: TestClient, queued: Callable[[Queue], list[Task]]
) -> None:
    name = new_name()
    response = api.post("/api/experiments", json={"name": name, "ddl": DDL, "dialect": "redshift"})

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == name
    assert body["warehouse"] == "redshift"
    tables = {t["name"]: t for t in body["schema"]["tables"]}
    assert set(tables) == {"customers", "orders"}
    assert tables["customers"]["warehouse"]["distkey"] == "id"
    assert all(c["rule"] for t in tables.values() for c in t["columns"])  # a rule per column
    [grant] = body["schema"]["warnings"]
    assert (grant["line"], grant["message"][:25]) == (12, "skipped 1 GRANT statement")
    assert response.headers["location"] == f"/api/experiments/{name}"

    job_id = response.headers["x-job-id"]
    assert queued(Queue.LOADER) == [
        Task(TaskName.MATERIALIZE.value, {"job_id": job_id, "experiment": name})
    ]
    job = api.get(f"/api/jobs/{job_id}").json()
    assert (job["kind"], job["status"]) == (JobKind.MATERIALIZE, JobStatus.QUEUED)
    assert api.get(f"/api/experiments/{name}").json()["schema"] == body["schema"]


def test_import_warnings_name_their_ddl_line(api: TestClient) -> None:
    name = new_name()
    ddl = "CREATE TABLE stores (\n    id INT PRIMARY KEY,\n    area GEOGRAPHY\n);\nGRANT SELECT ON stores TO x;\n"
    response = api.post("/api/experiments", json={"name": name, "ddl": ddl, "dialect": "redshift"})

    assert response.status_code == 201, response.text
    warnings = response.json()["schema"]["warnings"]
    assert [(w["line"], w["table"], w["column"]) for w in warnings] == [
        (3, "stores", "area"),
        (5, None, None),
    ]
    assert warnings[0]["message"].startswith("type GEOGRAPHY is not supported")
    assert warnings[1]["message"].startswith("skipped 1 GRANT statement")
    assert api.get(f"/api/experiments/{name}").json()["schema"]["warnings"] == warnings


def test_create_from_legacy_json_with_overrides(api: TestClient) -> None:
    name = new_name()
    response = api.post("/api/experiments", json={"name": name, "schema": LEGACY})

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == name  # the request's name wins over the schema's
    assert body["warehouse"] == "snowflake"  # from the schema's target_warehouse
    tables = {t["name"]: t for t in body["schema"]["tables"]}
    assert tables["orders"]["rows"] == 900
    assert tables["orders"]["foreign_keys"][0]["references_table"] == "customers"
    email = next(c for c in tables["customers"]["columns"] if c["name"] == "email")
    assert email["rule"]["provider"] == "email"


def test_request_warehouse_overrides_the_schema(api: TestClient) -> None:
    response = api.post(
        "/api/experiments", json={"name": new_name(), "warehouse": "sqlite", "schema": LEGACY}
    )
    assert response.status_code == 201, response.text
    assert response.json()["warehouse"] == "sqlite"


def test_bad_ddl_is_400_naming_line_and_column(api: TestClient) -> None:
    ddl = "CREATE TABLE t (\n  id BIGINT,\n  name VARCHAR(10) BOGUS\n);"
    response = api.post(
        "/api/experiments", json={"name": new_name(), "ddl": ddl, "dialect": "redshift"}
    )
    assert response.status_code == 400
    assert "line 3, column" in response.json()["detail"]
    assert "BOGUS" in response.json()["detail"]


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        pytest.param(
            {"tables": [{"name": "t", "columns": [{"name": "id", "type": "NOTATYPE(("}]}]},
            ["body", "schema", "tables", 0, "columns", 0],  # the message names the type
            id="bad-type",
        ),
        pytest.param(
            {"tables": [{"name": "t", "columns": [{"name": "id", "type": "int"}], "rows": -1}]},
            ["body", "schema", "tables", 0, "rows"],
            id="negative-rows",
        ),
        pytest.param({"tables": []}, ["body", "schema", "tables"], id="no-tables"),
    ],
)
def test_invalid_schema_is_422_naming_the_field(api: TestClient, schema: dict, path: list) -> None:
    response = api.post("/api/experiments", json={"name": new_name(), "schema": schema})
    assert response.status_code == 422, response.text
    assert path in [error["loc"] for error in response.json()["detail"]]


def test_invalid_name_is_422(api: TestClient) -> None:
    response = api.post("/api/experiments", json={"name": "a/b", "schema": LEGACY})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_ddl_and_schema_together_is_422(api: TestClient) -> None:
    response = api.post(
        "/api/experiments",
        json={"name": new_name(), "ddl": DDL, "dialect": "redshift", "schema": LEGACY},
    )
    assert response.status_code == 422
    assert "either ddl" in str(response.json()["detail"])


def test_duplicate_name_is_409(api: TestClient, experiment: str) -> None:
    response = api.post(
        "/api/experiments", json={"name": experiment, "ddl": DDL, "dialect": "redshift"}
    )
    assert response.status_code == 409
    assert experiment in response.json()["detail"]


@pytest.mark.parametrize(
    ("first", "second"),
    [("Shop", "SHOP"), ("Été", "été"), ("STRASSE", "straße")],
    ids=["ascii", "accent", "sharp_s"],
)
def test_a_name_differing_only_in_case_is_409_naming_the_existing_one(
    api: TestClient, first: str, second: str
) -> None:
    suffix = uuid.uuid4().hex[:8]
    existing, twin = f"{first}_{suffix}", f"{second}_{suffix}"
    created = api.post(
        "/api/experiments", json={"name": existing, "ddl": DDL, "dialect": "redshift"}
    )
    assert created.status_code == 201, created.text
    response = api.post("/api/experiments", json={"name": twin, "ddl": DDL, "dialect": "redshift"})
    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"experiment {twin} differs only in case from the existing experiment {existing}; "
        "experiment names are compared ignoring case"
    )


def test_list_has_a_summary_per_experiment(api: TestClient, experiment: str) -> None:
    response = api.get("/api/experiments")
    assert response.status_code == 200
    summary = next(s for s in response.json() if s["name"] == experiment)
    assert summary["tables"] == 2
    assert summary["warehouse"] == "redshift"


def test_patch_sets_rows_and_rules(api: TestClient, experiment: str) -> None:
    patch = {
        "tables": {
            "orders": {
                "rows": 5000,
                "columns": {"amount": {"kind": "range", "min": 10, "max": 20}},
            },
            "CUSTOMERS": {"rows": 40},  # table names are matched ignoring case
        }
    }
    response = api.patch(f"/api/experiments/{experiment}", json=patch)

    assert response.status_code == 200, response.text
    stored = api.get(f"/api/experiments/{experiment}").json()["schema"]
    tables = {t["name"]: t for t in stored["tables"]}
    assert (tables["orders"]["rows"], tables["customers"]["rows"]) == (5000, 40)
    amount = next(c for c in tables["orders"]["columns"] if c["name"] == "amount")
    assert amount["rule"] == {**amount["rule"], "kind": "range", "min": 10, "max": 20}
    assert amount["rule"]["source"] == "user"


def test_patch_while_a_run_is_generated_is_a_conflict(api: TestClient, experiment: str) -> None:
    """Chunks read the experiment as it is: a change mid-run would mix two versions of it."""
    job_id = api.post(f"/api/experiments/{experiment}/generate", json={}).json()["job_id"]
    response = api.patch(f"/api/experiments/{experiment}", json={"tables": {"orders": {"rows": 9}}})
    assert response.status_code == 409
    assert job_id in response.json()["detail"]
    api.post(f"/api/jobs/{job_id}/cancel")
    response = api.patch(f"/api/experiments/{experiment}", json={"tables": {"orders": {"rows": 9}}})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("patch", "named"),
    [
        pytest.param({"tables": {"nosuch": {"rows": 1}}}, "nosuch", id="table"),
        pytest.param(
            {"tables": {"orders": {"columns": {"nosuch": {"kind": "uuid"}}}}},
            "nosuch",
            id="column",
        ),
    ],
)
def test_patch_unknown_name_is_400(
    api: TestClient, experiment: str, patch: dict, named: str
) -> None:
    response = api.patch(f"/api/experiments/{experiment}", json=patch)
    assert response.status_code == 400
    assert named in response.json()["detail"]


def test_patch_with_an_invalid_rule_is_422(api: TestClient, experiment: str) -> None:
    patch = {"tables": {"customers": {"columns": {"email": {"kind": "faker"}}}}}
    response = api.patch(f"/api/experiments/{experiment}", json=patch)
    assert response.status_code == 422
    assert "provider" in str(response.json()["detail"])


def test_delete_queues_a_drop_job(
    api: TestClient, experiment: str, queued: Callable[[Queue], list[Task]]
) -> None:
    response = api.delete(f"/api/experiments/{experiment}")

    assert response.status_code == 202, response.text
    job = response.json()
    assert (job["kind"], job["status"], job["experiment"]) == ("drop", "queued", experiment)
    assert queued(Queue.LOADER)[-1] == Task(
        TaskName.DROP.value, {"job_id": job["id"], "experiment": experiment}
    )
    # a drop is exclusive: a second one waits for the first
    again = api.delete(f"/api/experiments/{experiment}")
    assert again.status_code == 409
    assert job["id"] in again.json()["detail"]
