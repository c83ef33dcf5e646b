"""``dwsim inspect RUN_DIR``: per-column profiles of a generated run, and checks that its keys
and relationships hold, which fail loudly on a tampered run."""

import json
import shutil

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from dwsim_cli.main import main
from dwsim_generator.inspection import checks, inspect_run
from dwsim_shared.contracts.inspection import CheckResult, RunInspection
from tests.generator.shop_ddl import SHOP_DDL


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("inspect")
    ddl = root / "shop.sql"
    ddl.write_text(SHOP_DDL)
    out = root / "run"
    args = ["generate", str(ddl), "--dialect", "postgres", "--out", str(out), "--seed", "3"]
    assert main([*args, "--chunk-rows", "4000"]) == 0
    return out


@pytest.fixture
def tampered(run_dir, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    return copy


def _rewrite(path, column, change):
    """Rewrite one Parquet part with ``change(values)`` applied to one column (same rows)."""
    data = pq.read_table(path)
    values = data.column(column).to_pylist()
    change(values)
    index = data.column_names.index(column)
    data = data.set_column(index, column, pa.array(values, data.schema.field(column).type))
    pq.write_table(data, path)


def _inspect_json(path, capsys, *extra):
    code = main(["inspect", str(path), "--json", *extra])
    return code, RunInspection.model_validate_json(capsys.readouterr().out)


def test_reports_rows_nulls_distinct_ranges_top_values_and_histograms(run_dir, capsys):
    code, report = _inspect_json(run_dir, capsys)
    assert code == 0
    assert report.ok
    manifest = json.loads((run_dir / "manifest.json").read_text())
    tables = {t.name: t for t in report.tables}
    assert {n: t.rows for n, t in tables.items()} == {
        n: t["rows"] for n, t in manifest["tables"].items()
    }
    customers = {c.name: c for c in tables["customers"].columns}
    ids = customers["customer_id"]
    assert (ids.nulls, ids.distinct, ids.min, ids.max) == (0, 1000, 1, 1000)
    assert ids.top == []  # every value distinct: nothing is common
    assert sum(ids.histogram.counts) == 1000
    assert len(ids.histogram.counts) == 10
    assert 0 < customers["middle_name"].nulls < 1000
    assert customers["is_active"].distinct == 2
    status = {c.name: c for c in tables["orders"].columns}["order_status"]
    assert status.top[0].value == "delivered"
    assert status.top[0].count > 0.6 * status.rows
    created = customers["created_at"]
    assert created.min < created.max
    assert created.min.startswith("20")
    assert sum(created.histogram.counts) == 1000
    price = {c.name: c for c in tables["products"].columns}["price"]
    assert 1 <= price.min < price.max <= 1000
    assert price.histogram.counts[0] > price.histogram.counts[-1]


def test_checks_cover_every_declared_relationship(run_dir, capsys):
    _, report = _inspect_json(run_dir, capsys)
    kinds = {(c.kind, c.table, tuple(c.columns)) for c in report.checks}
    assert ("foreign_key", "order_lines", ("order_id",)) in kinds
    assert ("foreign_key", "orders", ("status_id",)) in kinds
    assert ("primary_key", "order_lines", ("order_id", "line_no")) in kinds
    assert ("unique", "customers", ("public_id",)) in kinds
    assert ("not_null", "orders", ("order_id", "customer_id", "status_id", "order_status",
                                   "ordered_at")) in kinds  # fmt: skip
    assert {c.table for c in report.checks if c.kind == "manifest_rows"} == {
        t.name for t in report.tables
    }
    fk = next(c for c in report.checks if c.kind == "foreign_key" and c.table == "order_lines")
    assert fk.target == "orders(order_id)"
    assert fk.rows_checked == {t.name: t.rows for t in report.tables}["order_lines"]


def test_text_report_is_a_readable_table(run_dir, capsys):
    assert main(["inspect", str(run_dir), "--table", "orders", "order_statuses"]) == 0
    out = capsys.readouterr().out
    assert "orders: 5,000 rows" in out
    assert "order_statuses: 6 rows" in out
    assert "customers:" not in out  # only the tables asked for
    assert "delivered" in out
    assert "checks:" in out
    assert "0 failed" in out
    header = next(line for line in out.splitlines() if line.strip().startswith("column"))
    assert header.split() == ["column", "type", "nulls", "distinct", "min", "max", "values"]


def test_a_broken_foreign_key_and_a_duplicated_key_are_flagged(tampered, capsys):
    def orphan(values):
        values[10] = 10**12  # no such order

    _rewrite(tampered / "order_lines" / "part-00001.parquet", "order_id", orphan)

    def duplicate(values):
        values[1] = values[0]

    _rewrite(tampered / "orders" / "part-00000.parquet", "order_id", duplicate)
    code, report = _inspect_json(tampered, capsys)
    assert code == 1
    assert not report.ok
    failed = {(c.kind, c.table): c for c in report.failed}
    # the line moved to no order leaves its order's total short of the sum of its lines
    assert set(failed) == {
        ("foreign_key", "order_lines"),
        ("primary_key", "orders"),
        ("aggregate", "orders"),
    }
    fk = failed[("foreign_key", "order_lines")]
    # the orphan, and the lines of the order whose id was overwritten by the duplicate
    assert fk.violations > 1
    assert 10**12 in fk.examples
    pk = failed[("primary_key", "orders")]
    assert pk.violations == 1
    assert "appear more than once" in pk.message
    assert main(["inspect", str(tampered)]) == 1
    text = capsys.readouterr().out
    assert "FAIL  foreign key    order_lines(order_id) -> orders(order_id)" in text
    failure = next(line for line in text.splitlines() if line.startswith("  FAIL  foreign key"))
    assert "1000000000000" in failure.partition("e.g. ")[2]


def test_a_run_with_a_missing_manifest_or_an_unknown_table_is_named(tampered, capsys):
    (tampered / "manifest.json").unlink()
    code, report = _inspect_json(tampered, capsys)
    assert code == 1
    assert {c.kind for c in report.failed} == {"manifest_rows"}
    assert main(["inspect", str(tampered), "--table", "nope"]) == 2
    assert "the run has no table 'nope'" in capsys.readouterr().err
    assert main(["inspect", str(tampered / "orders")]) == 2
    assert "is not a generated run" in capsys.readouterr().err


def test_checks_are_extensible_and_a_failing_check_does_not_hide_the_others(run_dir, monkeypatch):
    registry = dict(checks.CHECKS)

    def lines_cost_something(run):
        prices = run.column("order_lines", "unit_price")
        bad = pc.sum(pc.less_equal(prices, 0)).as_py()
        yield CheckResult(kind="positive_price", table="order_lines", columns=["unit_price"],
                          rows_checked=len(prices), violations=bad)  # fmt: skip

    def broken(run):
        raise RuntimeError("no such rule")

    monkeypatch.setattr(checks, "CHECKS", registry)
    checks.register_check("positive_price")(lines_cost_something)
    checks.register_check("broken")(broken)
    report = inspect_run(run_dir)
    extra = next(c for c in report.checks if c.kind == "positive_price")
    assert extra.ok
    assert extra.rows_checked > 0
    error = next(c for c in report.checks if c.kind == "broken")
    assert error.error
    assert "no such rule" in error.message
    assert not report.ok
    assert sum(c.kind == "foreign_key" for c in report.checks) == 5  # the others still ran
