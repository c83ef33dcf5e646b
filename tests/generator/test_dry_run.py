"""``dwsim generate --dry-run``: the cost model's rows, seconds and bytes per table, printed
without writing anything, and the refusals of a real run."""

from pathlib import Path

import pytest

from dwsim_cli.main import main
from dwsim_generator.engine import DEFAULT_CHUNK_ROWS, plan_run
from dwsim_shared.cost import predict as model
from tests.generator.schemas import SHOP


@pytest.fixture
def schema(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    path.write_text(SHOP.model_dump_json())
    return path


def test_dry_run_prints_every_table_and_writes_nothing(schema, tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["generate", str(schema), "--out", str(out), "--rows", "orders=100000", "--dry-run",
                 "--workers", "2"])  # fmt: skip
    assert code == 0
    assert not out.exists()
    printed = capsys.readouterr().out
    rows = plan_run(SHOP, rows={"orders": 100_000}).rows
    assert printed.strip() == model.format_estimate(model.predict(SHOP, rows, workers=2))
    lines = printed.splitlines()
    for table, count in rows.items():
        [line] = [line for line in lines if line.split()[0] == table]
        assert line.split()[1] == f"{count:,}"
    assert lines[-1].startswith("about ")
    assert " on 2 processes " in lines[-1]


def test_dry_run_needs_no_out_folder_and_a_larger_run_predicts_more(schema, capsys):
    assert main(["generate", str(schema), "--dry-run", "--rows", "orders=1000"]) == 0
    small = capsys.readouterr().out.splitlines()[-1]
    assert main(["generate", str(schema), "--dry-run", "--rows", "orders=5000000"]) == 0
    large = capsys.readouterr().out.splitlines()[-1]
    seconds = [float(line.split()[1].replace(",", "")) for line in (small, large)]
    assert seconds[1] > seconds[0]


def test_dry_run_refuses_unknown_tables_and_rows_over_the_limit(schema, monkeypatch, capsys):
    assert main(["generate", str(schema), "--dry-run", "--rows", "nosuch=5"]) == 2
    assert "rows given for unknown table 'nosuch'" in capsys.readouterr().err
    monkeypatch.setenv("DWSIM_MAX_ROWS", "50000")
    assert main(["generate", str(schema), "--dry-run", "--scale", "1"]) == 2
    err = capsys.readouterr().err
    assert "orders: 60,000 rows were requested, above the limit of 50,000" in err
    assert "DWSIM_MAX_ROWS" in err


def test_a_real_run_still_needs_its_out_folder(schema, capsys):
    assert main(["generate", str(schema)]) == 2
    assert "give --out DIR" in capsys.readouterr().err


def test_the_model_splits_runs_into_the_engines_parts():
    assert model.CHUNK_ROWS == DEFAULT_CHUNK_ROWS
