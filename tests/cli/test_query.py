"""``dwsim query run`` through the gateway to the real query service, on a SQLite experiment."""

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Result

Dwsim = Callable[..., Result]
CSV = 'id,name,score\n1,ada,9.25\n2,grace,\n3,"edsger ""ewd""",7.25\n4,"bar,\nbaz",1\n'


def test_a_result_prints_as_a_table_with_its_row_count_and_time(dwsim: Dwsim, people: str) -> None:
    result = dwsim("query", "run", people, "select id, name, score from people order by id")

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["id", "name", "score"]
    assert lines[2].split() == ["1", "ada", "9.25"]
    assert lines[3].split() == ["2", "grace", "NULL"]
    assert lines[-1].startswith("4 rows in ")
    assert lines[-1].endswith(" ms")


def test_a_limit_says_the_result_was_truncated(dwsim: Dwsim, people: str) -> None:
    result = dwsim("query", "run", people, "select id from people order by id", "--limit", "2")

    assert result.code == 0, result.err
    assert [line.strip() for line in result.out.splitlines()[2:4]] == ["1", "2"]
    assert "2 rows in" in result.out
    assert "truncated: the query returned more rows than --limit 2" in result.out


def test_json_is_the_api_answer(dwsim: Dwsim, people: str, tmp_path: Path) -> None:
    sql = tmp_path / "q.sql"
    sql.write_text("select name from people where id = 2")

    result = dwsim("query", "run", people, "--file", str(sql), "--json")

    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert body["rows"] == [["grace"]]
    assert (body["row_count"], body["truncated"]) == (1, False)
    assert [c["name"] for c in body["columns"]] == ["name"]


def test_csv_streams_every_row_to_a_file(dwsim: Dwsim, people: str, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "people.csv"

    result = dwsim(
        "query", "run", people, "select * from people order by id", "--limit", "1",
        "--csv", str(target),
    )  # fmt: skip

    assert result.code == 0, result.err
    assert target.read_text() == CSV  # every row: --limit is for the printed table
    assert result.err.startswith(f"wrote 4 rows ({len(CSV)} B) to {target} in ")
    assert list(target.parent.iterdir()) == [target]


def test_csv_to_standard_output(dwsim: Dwsim, people: str) -> None:
    result = dwsim("query", "run", people, "select * from people order by id", "--csv", "-")
    assert result.code == 0, result.err
    assert result.out == CSV


def test_a_query_the_warehouse_refuses_is_exit_1_with_its_message(
    dwsim: Dwsim, people: str, tmp_path: Path
) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "result.csv"

    printed = dwsim("query", "run", people, "select nope from people")
    streamed = dwsim("query", "run", people, "select nope from people", "--csv", str(target))

    assert printed.code == 1
    assert printed.err.startswith("dwsim query run: error: the query failed: ")
    assert "nope" in printed.err
    assert streamed.code == 1
    assert "nope" in streamed.err
    assert list(target.parent.iterdir()) == []  # no half-written file


def test_unknown_experiment_and_bad_usage(dwsim: Dwsim, people: str) -> None:
    unknown = dwsim("query", "run", "no_such_experiment", "select 1")
    neither = dwsim("query", "run", people)
    both = dwsim("query", "run", people, "select 1", "--file", "x.sql")
    negative = dwsim("query", "run", people, "select 1", "--limit", "-1")

    assert unknown.code == 3
    assert "experiment no_such_experiment not found" in unknown.err
    assert neither.code == 2
    assert "give exactly one of SQL, --file or --saved" in neither.err
    assert both.code == 2
    assert negative.code == 2
    assert "limit: Input should be greater than or equal to 0" in negative.err
