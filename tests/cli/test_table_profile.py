"""``dwsim experiment profile NAME TABLE`` through the gateway and the real query service,
on the ``people`` SQLite table (4 rows; one NULL score)."""

import json
import re
import sqlite3
from collections.abc import Callable

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses import get_adapter
from tests.cli.conftest import Result, Services

Dwsim = Callable[..., Result]
BIN = re.compile(r"^(\S+) \u2013 (\S+)\s+(\d+)\s*(█*)")


def test_every_column_with_its_nulls_distinct_range_and_chart(dwsim: Dwsim, people: str) -> None:
    result = dwsim("experiment", "profile", people, "people", "--bins", "3")

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert re.fullmatch(rf"{people}\.people: 4 rows, 3 columns profiled in [\d.,]+ ms", lines[0])
    assert lines[1].split() == ["column", "type", "rows", "nulls", "distinct", "min", "max"]
    rows = {line.split()[0]: line.split() for line in lines[2:5]}
    assert rows["id"] == ["id", "bigint", "4", "0", "(0.0%)", "4", "1", "4"]
    assert rows["score"] == ["score", "decimal(6,2)", "4", "1", "(25.0%)", "3", "1", "9.25"]
    assert rows["name"][:6] == ["name", "varchar(40)", "4", "0", "(0.0%)", "4"]
    # the numbers' histograms: 3 bins, the counts add up to the non-NULL rows
    assert "id: histogram (3 bins)" in result.out
    assert "score: histogram (3 bins)" in result.out
    chart = result.out.split("score: histogram (3 bins)")[1].splitlines()[2:5]
    bins = [BIN.match(line).groups() for line in chart]
    assert (bins[0][0], bins[-1][1]) == ("1.0", "9.25")  # min to max
    assert sum(int(b[2]) for b in bins) == 3
    longest = max(bins, key=lambda b: int(b[2]))
    assert len(longest[3]) == 30  # the fullest bin fills the bar


def test_columns_and_top_values(dwsim: Dwsim, people: str) -> None:
    result = dwsim(
        "experiment", "profile", people, "people", "--columns", "name", "--top", "2", "--json"
    )

    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert (body["experiment"], body["table"], body["rows"]) == (people, "people", 4)
    assert [c["name"] for c in body["columns"]] == ["name"]
    assert body["columns"][0]["top_values"] == []  # every name is distinct
    assert body["columns"][0]["distinct"] == 4
    text = dwsim("experiment", "profile", people, "people", "--columns", "name,score", "--top", "2")
    assert text.code == 0, text.err
    assert "2 columns profiled" in text.out
    assert "name: every value is distinct" in text.out
    assert "id" not in text.out.split()


def test_repeated_values_are_charted_most_frequent_first(
    dwsim: Dwsim, people: str, services: Services
) -> None:
    settings = DwsimSettings(data_dir=str(services.query_data_dir))
    with get_adapter(Warehouse.SQLITE, settings) as adapter:
        record = json.loads(dwsim("experiment", "show", people, "--json").out)
        path = adapter.path(Experiment.model_validate(record["schema"]))
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO people VALUES (?, ?, ?)", [(5, "ada", 1), (6, "ada", 2)])

    result = dwsim("experiment", "profile", people, "people", "--columns", "name", "--top", "2")

    assert result.code == 0, result.err
    chart = result.out.split("name: most frequent values")[1].splitlines()[2:]
    top = [line.split() for line in chart if line.strip()]
    assert top[0][:2] == ["ada", "3"]
    assert len(top[0][2]) == 30  # the most frequent fills the bar
    assert len(top) == 2  # --top 2; a value's line break shows as \n, on its one line
    assert top[1][1] == "1"


def test_unknown_table_column_and_bad_options(dwsim: Dwsim, people: str) -> None:
    table = dwsim("experiment", "profile", people, "nobody")
    column = dwsim("experiment", "profile", people, "people", "--columns", "id,nope")
    bins = dwsim("experiment", "profile", people, "people", "--bins", "0")
    experiment = dwsim("experiment", "profile", "no_such_experiment", "people")

    assert table.code == 2
    assert f"experiment {people} has no table nobody (known: people)" in table.err
    assert column.code == 2
    assert "table people has no column nope (known: id, name, score)" in column.err
    assert bins.code == 2
    assert "--bins must be between 1 and 100, not 0" in bins.err
    assert experiment.code == 3
    assert "no_such_experiment" in experiment.err
