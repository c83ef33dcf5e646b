"""The whole product through its public HTTP API, against the running stack (``stack`` fixture):
create from DDL, generate with auto-load, poll, query, CSV, reset, delete — per warehouse."""

import csv
import io
import uuid
from pathlib import Path

import pytest

from tests.e2e.helpers import (
    assert_staged_parts_identical,
    generate_in_one_process,
    query,
    scalar,
    wait_job,
)

SHOP = (Path(__file__).parent / "shop.sql").read_text()
ROWS = {"customers": 300, "orders": 1200, "order_lines": 4000}
FOREIGN_KEYS = [  # (child, column, parent, column)
    ("orders", "customer_id", "customers", "customer_id"),
    ("order_lines", "order_id", "orders", "order_id"),
]

pytestmark = pytest.mark.slow


def _name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def _staged_keys(stack, experiment: str) -> list[str]:
    from dwsim_shared.s3 import s3_client

    settings = stack.settings
    client = s3_client(settings)
    listing = client.list_objects_v2(Bucket=settings.s3_bucket, Prefix=f"experiments/{experiment}/")
    return [o["Key"] for o in listing.get("Contents", [])]


@pytest.mark.parametrize("warehouse", ["redshift", "snowflake", "sqlite"])
def test_create_generate_load_query_reset_delete(stack, warehouse):
    name = _name(f"shop_{warehouse}")
    with stack.client() as http:
        created = http.post(
            "/api/experiments",
            json={"name": name, "warehouse": warehouse, "ddl": SHOP, "dialect": "redshift"},
        )
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["warehouse"] == warehouse
        assert [t["name"] for t in body["schema"]["tables"]] == list(ROWS)

        accepted = http.post(f"/api/experiments/{name}/generate", json={"rows": ROWS, "seed": 7})
        assert accepted.status_code == 202, accepted.text
        assert accepted.json()["rows_total"] == sum(ROWS.values())
        assert accepted.json()["bytes_estimate"] > 0  # shown before anything runs
        job = wait_job(http, accepted.json()["job_id"])
        assert job["status"] == "succeeded", job
        assert job["run_id"] == accepted.json()["run_id"]
        assert job["progress"]["rows_done"] == sum(ROWS.values())
        assert job["progress"]["bytes_total"] == job["progress"]["bytes"] > 0
        assert {"generate", "load"} <= set(job["progress"]["timings"])
        loaded = {t: p["rows_loaded"] for t, p in job["progress"]["tables"].items()}
        assert loaded == ROWS

        # the warehouse holds exactly the requested rows, and every foreign key holds there
        for table, rows in ROWS.items():
            assert scalar(http, name, f"select count(*) from {table}") == rows
        for child, ccol, parent, pcol in FOREIGN_KEYS:
            orphans = scalar(
                http,
                name,
                f"select count(*) from {child} c left join {parent} p on c.{ccol} = p.{pcol} "
                f"where p.{pcol} is null",
            )
            assert orphans == 0, f"{child}.{ccol} has orphans"

        # typed results: names and types per column, decimals exact, dates ISO
        result = query(
            http,
            name,
            "select o.order_id, o.amount, o.ordered_on, c.email from orders o "
            "join customers c on c.customer_id = o.customer_id order by o.order_id",
            limit=5,
        )
        assert [c["name"].lower() for c in result["columns"]] == [
            "order_id", "amount", "ordered_on", "email",
        ]  # fmt: skip
        assert result["row_count"] == 5
        assert result["truncated"] is True
        order_id, amount, ordered_on, email = result["rows"][0]
        assert isinstance(order_id, int)
        if warehouse == "sqlite":  # SQLite keeps DECIMAL with NUMERIC affinity: a float
            assert round(amount, 2) == amount
        else:  # exact, as text with the column's scale
            assert isinstance(amount, str)
            assert len(amount.split(".")[1]) == 2
        assert len(ordered_on) == 10
        assert ordered_on[4] == "-"
        assert "@" in email

        # CSV: the full result, not the JSON limit
        response = http.post(
            f"/api/experiments/{name}/query",
            params={"format": "csv"},
            json={"sql": "select order_id, line_no from order_lines", "limit": 10},
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        lines = list(csv.reader(io.StringIO(response.text)))
        assert [h.lower() for h in lines[0]] == ["order_id", "line_no"]
        assert len(lines) - 1 == ROWS["order_lines"]

        runs = http.get(f"/api/experiments/{name}/runs").json()
        assert runs[0]["id"] == job["run_id"]
        assert runs[0]["status"] == "completed"
        assert runs[0]["rows"] == ROWS
        assert _staged_keys(stack, name)

        # reset empties every table and keeps the schema
        reset = http.post(f"/api/experiments/{name}/reset")
        assert reset.status_code == 202, reset.text
        assert wait_job(http, reset.json()["id"])["status"] == "succeeded"
        for table in ROWS:
            assert scalar(http, name, f"select count(*) from {table}") == 0

        # load the same run again: exactly the rows once, twice over (no duplicates)
        for _ in range(2):
            load = http.post(f"/api/experiments/{name}/load", json={})
            assert load.status_code == 202, load.text
            assert wait_job(http, load.json()["id"])["status"] == "succeeded"
        assert scalar(http, name, "select count(*) from order_lines") == ROWS["order_lines"]

        # delete removes the tables, the staged objects and the experiment
        deleted = http.delete(f"/api/experiments/{name}")
        assert deleted.status_code == 202, deleted.text
        assert wait_job(http, deleted.json()["id"])["status"] == "succeeded"
        assert http.get(f"/api/experiments/{name}").status_code == 404
        assert _staged_keys(stack, name) == []


def test_second_generate_while_one_runs_is_a_conflict(stack):
    name = _name("busy")
    with stack.client() as http:
        created = http.post(
            "/api/experiments",
            json={"name": name, "warehouse": "sqlite", "ddl": SHOP, "dialect": "redshift"},
        )
        assert created.status_code == 201, created.text
        first = http.post(f"/api/experiments/{name}/generate", json={"rows": ROWS})
        assert first.status_code == 202
        second = http.post(f"/api/experiments/{name}/generate", json={"rows": ROWS})
        assert second.status_code == 409
        assert first.json()["job_id"] in second.json()["detail"]
        assert wait_job(http, first.json()["job_id"])["status"] == "succeeded"
        again = http.post(f"/api/experiments/{name}/generate", json={"rows": ROWS})
        assert again.status_code == 202  # the first one ended: a new one may start
        wait_job(http, again.json()["job_id"])


def test_bad_requests_name_what_was_wrong(stack):
    with stack.client() as http:
        bad_ddl = http.post(
            "/api/experiments",
            json={
                "name": _name("bad"),
                "warehouse": "redshift",
                "ddl": "CREATE TABLE t (\n  id INTEGER,\n  x VARCHAR(\n);",
                "dialect": "redshift",
            },
        )
        assert bad_ddl.status_code == 400
        assert "line 4, column 2" in bad_ddl.json()["detail"]

        missing = http.get("/api/experiments/no_such_experiment")
        assert missing.status_code == 404
        assert "no_such_experiment" in missing.json()["detail"]

        invalid = http.post("/api/experiments", json={"name": "x", "warehouse": "oracle"})
        assert invalid.status_code == 422

        name = _name("rows")
        http.post(
            "/api/experiments",
            json={"name": name, "warehouse": "sqlite", "ddl": SHOP, "dialect": "redshift"},
        ).raise_for_status()
        unknown_table = http.post(f"/api/experiments/{name}/generate", json={"rows": {"nope": 5}})
        assert unknown_table.status_code == 400
        assert "nope" in unknown_table.json()["detail"]
        too_many = http.post(f"/api/experiments/{name}/generate", json={"rows": {"orders": 10**14}})
        assert too_many.status_code == 400
        assert "DWSIM_MAX_ROWS" in too_many.json()["detail"]

        bad_sql = http.post(f"/api/experiments/{name}/query", json={"sql": "selec 1"})
        assert bad_sql.status_code == 400
        assert bad_sql.json()["detail"]


def test_a_load_the_warehouse_rejects_ends_failed_with_its_message(stack):
    """A staged part removed behind the stack's back: the load fails, naming it, never hangs."""
    from dwsim_shared.s3 import s3_client

    name = _name("broken")
    with stack.client() as http:
        http.post(
            "/api/experiments",
            json={"name": name, "warehouse": "redshift", "ddl": SHOP, "dialect": "redshift"},
        ).raise_for_status()
        accepted = http.post(
            f"/api/experiments/{name}/generate", json={"rows": ROWS, "load": False}
        )
        job = wait_job(http, accepted.json()["job_id"])
        assert job["status"] == "succeeded"
        assert job["progress"]["tables"]["orders"]["rows_loaded"] is None

        part = next(k for k in _staged_keys(stack, name) if "/order_lines/part-" in k)
        s3_client(stack.settings).delete_object(Bucket=stack.settings.s3_bucket, Key=part)

        load = http.post(f"/api/experiments/{name}/load", json={"run_id": job["run_id"]})
        assert load.status_code == 202
        failed = wait_job(http, load.json()["id"])
        assert failed["status"] == "failed"
        assert "order_lines" in failed["error"]
        assert "traceback" not in failed
        # a run loads in one transaction: the tables loaded before it (parents first) are
        # rolled back with it, so every table is as it was before the load (empty)
        for table in ROWS:
            assert scalar(http, name, f"select count(*) from {table}") == 0, table


def test_staged_files_equal_a_one_process_run(stack, tmp_path):
    """The stack's generator runs two worker processes; its parts must be byte-identical to
    ``dwsim generate`` in one process with the same seed, rows and chunking."""
    from dwsim_shared.s3 import s3_client

    name = _name("same")
    chunk_rows = 500  # several chunks per table, shared by both worker processes
    with stack.client() as http:
        created = http.post(
            "/api/experiments",
            json={"name": name, "warehouse": "sqlite", "ddl": SHOP, "dialect": "redshift"},
        )
        schema = created.json()["schema"]
        accepted = http.post(
            f"/api/experiments/{name}/generate",
            json={"rows": ROWS, "seed": 11, "load": False, "chunk_rows": chunk_rows},
        )
        job = wait_job(http, accepted.json()["job_id"])
        assert job["status"] == "succeeded", job

    out = tmp_path / "local"
    generate_in_one_process(schema, out, ROWS, seed=11, chunk_rows=chunk_rows)
    prefix = f"experiments/{name}/runs/{job['run_id']}/"
    client = s3_client(stack.settings)
    parts = assert_staged_parts_identical(client, stack.settings.s3_bucket, prefix, out)
    assert parts > len(ROWS)
