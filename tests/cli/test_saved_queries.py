"""Saved queries, an experiment's jobs, generate sized by scale or total rows: the command over
the gateway routes of issue 11's API half (skipped until those routes are in the gateway)."""

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Result

Dwsim = Callable[..., Result]


def test_save_list_show_run_and_delete_a_query(dwsim: Dwsim, people: str, tmp_path: Path) -> None:
    sql = tmp_path / "top.sql"
    sql.write_text("select name from people\nwhere score is not null\norder by score desc")

    saved = dwsim("query", "save", people, "top scores", "--file", str(sql), "-d", "best first")
    again = dwsim("query", "save", people, "count", "select count(*) as n from people", "--json")
    listed = dwsim("query", "list", people)
    listed_json = json.loads(dwsim("query", "list", people, "--json").out)
    shown = dwsim("query", "show", people, "top scores")
    ran = dwsim("query", "run", people, "--saved", "top scores", "--json")

    assert saved.code == 0, saved.err
    assert saved.out == f"saved query top scores on {people}\n"
    assert again.code == 0
    assert json.loads(again.out)["sql"] == "select count(*) as n from people"
    assert listed.code == 0
    rows = {line.split("  ")[0]: line for line in listed.out.splitlines()[1:]}
    assert set(rows) == {"top scores", "count"}
    assert "best first" in rows["top scores"]
    assert {q["name"]: q["description"] for q in listed_json} == {
        "top scores": "best first",
        "count": None,
    }
    assert shown.out.endswith(sql.read_text() + "\n")  # the SQL as saved, to copy or pipe
    assert json.loads(ran.out)["rows"] == [["ada"], ['edsger "ewd"'], ["bar,\nbaz"]]

    deleted = dwsim("query", "delete", people, "count")
    assert deleted.code == 0
    assert dwsim("query", "show", people, "count").code == 3
    assert dwsim("query", "run", people, "--saved", "count").code == 3
    assert [q["name"] for q in json.loads(dwsim("query", "list", people, "--json").out)] == [
        "top scores"
    ]


def test_saving_replaces_a_query_of_the_same_name(dwsim: Dwsim, people: str) -> None:
    dwsim("query", "save", people, "q", "select 1")
    dwsim("query", "save", people, "q", "select 2 as two")

    ran = json.loads(dwsim("query", "run", people, "--saved", "q", "--json").out)

    assert ran["rows"] == [[2]]


def test_saved_queries_of_an_unknown_experiment_are_exit_3(dwsim: Dwsim) -> None:
    assert dwsim("query", "save", "no_such_experiment", "q", "select 1").code == 3
    assert dwsim("query", "list", "no_such_experiment").code == 3


def test_job_list_shows_an_experiment_s_jobs_and_the_active_ones(
    dwsim: Dwsim, experiment: str
) -> None:
    job_id = json.loads(dwsim("experiment", "generate", experiment, "--json").out)["job_id"]
    dwsim("job", "cancel", str(job_id))

    every = json.loads(dwsim("job", "list", experiment, "--json").out)
    active = json.loads(dwsim("job", "list", experiment, "--active", "--json").out)
    table = dwsim("job", "list", experiment)

    assert [(j["kind"], j["status"]) for j in every] == [
        ("generate", "cancelled"),
        ("materialize", "queued"),
    ]
    assert [j["kind"] for j in active] == ["materialize"]
    assert str(job_id) in table.out


def test_generate_sized_by_scale_or_total(dwsim: Dwsim, experiment: str) -> None:
    scaled = json.loads(dwsim("experiment", "generate", experiment, "--scale", "2", "--json").out)
    dwsim("job", "cancel", str(scaled["job_id"]))
    total = dwsim("experiment", "generate", experiment, "--total", "3000", "--json")
    both = dwsim("experiment", "generate", experiment, "--scale", "2", "--total", "5")

    assert scaled["rows_total"] == 12000  # customers 2,000 and orders 10,000
    assert total.code == 0, total.err
    assert 2700 <= json.loads(total.out)["rows_total"] <= 3300
    assert both.code == 2  # one or the other
