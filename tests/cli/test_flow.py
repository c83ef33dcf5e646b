"""The ``dwsim`` command end to end on the whole running stack (``stack`` fixture), as a user
types it: create from DDL, generate with --watch, query, CSV, reset, delete."""

import csv
import json
import re
import uuid
from pathlib import Path

import pytest

from tests.cli.conftest import runner

SHOP = Path(__file__).parents[1] / "e2e" / "shop.sql"
ROWS = {"customers": 300, "orders": 1200, "order_lines": 4000}

pytestmark = pytest.mark.slow


def test_create_generate_watch_query_csv_reset_delete(
    stack, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dwsim = runner(stack.gateway_url, capsys, monkeypatch)
    name = f"cli_shop_{uuid.uuid4().hex[:8]}"

    created = dwsim(
        "experiment", "create", name, "--warehouse", "redshift", "--ddl", str(SHOP), "--watch"
    )
    assert created.code == 0, created.err
    assert f"created experiment {name} (redshift): 3 tables" in created.out
    assert re.search(rf"materialize job [0-9a-f-]{{36}} on {name} succeeded in", created.out)

    rows = [arg for table, n in ROWS.items() for arg in ("--rows", f"{table}={n}")]
    generated = dwsim(
        "experiment", "generate", name, "--seed", "7", *rows, "--watch", "--interval", "0.2"
    )
    assert generated.code == 0, generated.err
    assert "generating run r" in generated.out
    assert "5,500 rows" in generated.out.splitlines()[0]
    bars = {line.split()[0]: line for line in generated.out.splitlines() if "━" in line}
    for table, n in ROWS.items():
        assert f"{n:,}/{n:,} rows" in bars[table]
    outcome = generated.out.splitlines()[-1]
    assert re.match(rf"generate job [0-9a-f-]{{36}} on {name} succeeded in", outcome)
    assert "· 5,500 rows ·" in outcome

    counted = dwsim("query", "run", name, "select count(*) as n from order_lines")
    assert counted.code == 0, counted.err
    assert counted.out.splitlines()[2].strip() == "4000"
    assert counted.out.splitlines()[-1].startswith("1 row in ")

    top = dwsim(
        "query", "run", name,
        "select customer_id, count(*) as orders from orders group by 1 order by 2 desc, 1",
        "--limit", "3",
    )  # fmt: skip
    assert top.code == 0, top.err
    assert "3 rows in" in top.out
    assert "truncated" in top.out

    target = tmp_path / "lines.csv"
    streamed = dwsim(
        "query", "run", name, "select * from order_lines order by order_id, line_no",
        "--csv", str(target),
    )  # fmt: skip
    assert streamed.code == 0, streamed.err
    assert streamed.err.startswith("wrote 4,000 rows (")
    with target.open(newline="") as f:
        records = list(csv.reader(f))
    assert records[0] == ["order_id", "line_no", "sku", "qty"]
    assert len(records) == 4001

    runs = json.loads(dwsim("experiment", "runs", name, "--json").out)
    assert [(r["status"], r["rows"]) for r in runs] == [("completed", ROWS)]

    reset = dwsim("experiment", "reset", name, "--watch")
    assert reset.code == 0, reset.err
    assert "reset job " in reset.out.splitlines()[-1]
    empty = json.loads(dwsim("query", "run", name, "select count(*) from orders", "--json").out)
    assert empty["rows"] == [[0]]

    deleted = dwsim("experiment", "delete", name, "--yes", "--watch")
    assert deleted.code == 0, deleted.err
    assert "drop job " in deleted.out.splitlines()[-1]
    assert dwsim("experiment", "show", name).code == 3
