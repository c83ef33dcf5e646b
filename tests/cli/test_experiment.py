"""``dwsim experiment create|import-sql|list|show|edit|delete`` against a real gateway."""

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import DDL, Result, new_name

Dwsim = Callable[..., Result]


def test_create_from_ddl_prints_tables_rows_warnings_and_the_job(
    dwsim: Dwsim, tmp_path: Path
) -> None:
    name = new_name()
    ddl = tmp_path / "shop.sql"
    ddl.write_text(DDL)

    result = dwsim("experiment", "create", name, "--warehouse", "redshift", "--ddl", str(ddl))

    assert result.code == 0, result.err
    assert f"created experiment {name} (redshift): 2 tables" in result.out
    lines = {line.split()[0]: line.split()[1:] for line in result.out.splitlines() if line}
    assert lines["customers"][:2] == ["3", "1,000"]  # columns, rows
    assert lines["orders"][0] == "5"
    assert "line 13" in result.out
    assert "GRANT" in result.out
    job_id = result.out.split("by job ")[1].split()[0]
    job = dwsim("job", "show", job_id, "--json")
    assert json.loads(job.out)["kind"] == "materialize"


def test_import_sql_reads_standard_input_and_defaults_the_dialect_to_the_warehouse(
    dwsim: Dwsim, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = new_name()
    monkeypatch.setattr(sys, "stdin", io.StringIO(DDL))

    result = dwsim("experiment", "import-sql", "-", "--name", name, "--warehouse", "snowflake")

    assert result.code == 0, result.err
    shown = json.loads(dwsim("experiment", "show", name, "--json").out)
    assert shown["warehouse"] == "snowflake"
    assert shown["schema"]["dialect"] == "snowflake"
    assert [t["name"] for t in shown["schema"]["tables"]] == ["customers", "orders"]


def test_create_from_an_experiment_json(dwsim: Dwsim, tmp_path: Path) -> None:
    name = new_name()
    schema = tmp_path / "exp.json"
    schema.write_text(
        json.dumps(
            {
                "name": "ignored",
                "target_warehouse": "snowflake",
                "tables": [
                    {
                        "name": "events",
                        "target_rows": 250,
                        "columns": [{"name": "id", "data_type": "INT", "required": True}],
                    }
                ],
            }
        )
    )

    result = dwsim("experiment", "create", name, "--schema", str(schema), "--json")

    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert (body["name"], body["warehouse"]) == (name, "snowflake")
    assert body["schema"]["tables"][0]["rows"] == 250


def test_bad_ddl_is_exit_2_naming_the_line(dwsim: Dwsim, tmp_path: Path) -> None:
    ddl = tmp_path / "bad.sql"
    ddl.write_text("CREATE TABLE a (id INT);\nCREATE TABLE b (id INT,, x INT);\n")

    result = dwsim("experiment", "create", new_name(), "--ddl", str(ddl), "--dialect", "redshift")

    assert result.code == 2
    assert result.err.startswith("dwsim experiment create: error: invalid DDL: line 2")


def test_an_invalid_schema_is_exit_2_with_each_field_as_loc_and_message(
    dwsim: Dwsim, tmp_path: Path
) -> None:
    schema = tmp_path / "exp.json"
    schema.write_text(json.dumps({"tables": [{"name": "t", "rows": -1, "columns": []}]}))

    result = dwsim("experiment", "create", new_name(), "--schema", str(schema))

    assert result.code == 2
    assert "schema.tables.0.columns: List should have at least 1 item" in result.err
    assert "schema.tables.0.rows: Input should be greater than or equal to 0" in result.err


def test_a_name_taken_is_exit_4(dwsim: Dwsim, experiment: str, tmp_path: Path) -> None:
    ddl = tmp_path / "again.sql"
    ddl.write_text(DDL)
    result = dwsim("experiment", "create", experiment, "--ddl", str(ddl), "--dialect", "redshift")
    assert result.code == 4
    assert f"experiment {experiment} already exists" in result.err


def test_ddl_without_a_dialect_or_warehouse_is_refused_before_sending(
    dwsim: Dwsim, tmp_path: Path
) -> None:
    ddl = tmp_path / "x.sql"
    ddl.write_text(DDL)
    result = dwsim("experiment", "create", new_name(), "--ddl", str(ddl))
    assert result.code == 2
    assert "--dialect is needed with --ddl" in result.err


def test_list_shows_each_experiment_and_json_is_the_api_answer(
    dwsim: Dwsim, experiment: str
) -> None:
    table = dwsim("experiment", "list")
    listed = json.loads(dwsim("experiment", "list", "--json").out)

    assert table.code == 0
    row = next(line for line in table.out.splitlines() if line.startswith(experiment))
    assert row.split()[1:4] == ["redshift", "2", "6,000"]  # warehouse, tables, rows
    mine = next(e for e in listed if e["name"] == experiment)
    assert (mine["tables"], mine["total_rows"], mine["last_run_id"]) == (2, 6000, None)


def test_show_lists_columns_types_keys_rules_and_warnings(dwsim: Dwsim, experiment: str) -> None:
    result = dwsim("experiment", "show", experiment)

    assert result.code == 0, result.err
    rows = {line.split()[0]: line for line in result.out.splitlines() if line.strip()}
    assert "BIGINT" in rows["id"]
    assert "PK" in rows["id"]
    assert "VARCHAR(200)" in rows["email"]
    assert "UNIQUE" in rows["email"]
    assert "FK -> customers.id" in rows["customer_id"]
    assert 'categorical values=["new", "paid"]' in rows["status"]
    assert "(ddl)" in rows["status"]
    assert "orders · 5,000 rows (event, ~5 per customers)" in result.out
    assert "1 import warning" in result.out
    assert "line 13" in result.out


def test_an_unknown_experiment_is_exit_3(dwsim: Dwsim) -> None:
    result = dwsim("experiment", "show", "no_such_experiment")
    assert result.code == 3
    assert result.err == ("dwsim experiment show: error: experiment no_such_experiment not found\n")


def test_edit_rows_and_rules_from_the_command_line(dwsim: Dwsim, experiment: str) -> None:
    rule = '{"kind": "categorical", "values": ["new", "paid"], "weights": [0.25, 0.75]}'

    result = dwsim(
        "experiment", "edit", experiment, "--rows", "orders=12000", "--rows", "customers=300",
        "--rule", f"orders.status={rule}",
    )  # fmt: skip

    assert result.code == 0, result.err
    assert "orders: rows 5,000 -> 12,000" in result.out
    assert "customers: rows 1,000 -> 300" in result.out
    assert "orders.status: categorical" in result.out
    assert "(user)" in result.out
    tables = {
        t["name"]: t
        for t in json.loads(dwsim("experiment", "show", experiment, "--json").out)["schema"][
            "tables"
        ]
    }
    assert (tables["orders"]["rows"], tables["customers"]["rows"]) == (12000, 300)
    status = next(c for c in tables["orders"]["columns"] if c["name"] == "status")
    assert status["rule"]["weights"] == [0.25, 0.75]


def test_edit_from_a_patch_file(dwsim: Dwsim, experiment: str, tmp_path: Path) -> None:
    patch = tmp_path / "patch.json"
    patch.write_text(json.dumps({"tables": {"customers": {"rows": 42}}}))

    result = dwsim("experiment", "edit", experiment, "--file", str(patch), "--json")

    assert result.code == 0, result.err
    assert json.loads(result.out)["schema"]["tables"][0]["rows"] == 42


def test_edit_in_the_editor_sends_only_what_changed(
    dwsim: Dwsim, experiment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import json, sys\n"
        "doc = json.load(open(sys.argv[1]))\n"
        "doc['tables']['orders']['rows'] = 777\n"
        "doc['tables']['customers']['columns']['region'] = {'kind': 'constant', 'value': 'EU'}\n"
        "json.dump(doc, open(sys.argv[1], 'w'))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")

    result = dwsim("experiment", "edit", experiment, "--editor")

    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "customers.region: constant value=EU (user)",
        "orders: rows 5,000 -> 777",
    ]


def test_an_edit_the_gateway_refuses_is_exit_2_with_its_reason(
    dwsim: Dwsim, experiment: str
) -> None:
    unknown = dwsim("experiment", "edit", experiment, "--rows", "nope=3")
    bad_rule = dwsim("experiment", "edit", experiment, "--rule", 'orders.status={"kind": "x"}')
    malformed = dwsim("experiment", "edit", experiment, "--rows", "orders=many")

    assert unknown.code == 2
    assert f"experiment {experiment} has no table nope (known: customers, orders)" in unknown.err
    assert bad_rule.code == 2
    assert "tables.orders.columns.status.kind: Input should be 'faker'" in bad_rule.err
    assert malformed.code == 2
    assert "--rows 'orders=many': expected TABLE=N" in malformed.err


def test_delete_without_a_terminal_needs_yes(dwsim: Dwsim, experiment: str) -> None:
    refused = dwsim("experiment", "delete", experiment)

    assert refused.code == 2
    assert "pass --yes" in refused.err
    assert dwsim("experiment", "show", experiment).code == 0  # still there

    deleted = dwsim("experiment", "delete", experiment, "--yes", "--json")
    assert deleted.code == 0, deleted.err
    job = json.loads(deleted.out)
    assert (job["kind"], job["status"], job["experiment"]) == ("drop", "queued", experiment)


def test_delete_asks_on_a_terminal(
    dwsim: Dwsim, experiment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["n", "y"])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))

    kept = dwsim("experiment", "delete", experiment)
    deleted = dwsim("experiment", "delete", experiment)

    assert kept.code == 1
    assert "not deleted" in kept.err
    assert deleted.code == 0
    assert "drop job" in deleted.out
