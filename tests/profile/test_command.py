"""``dwsim profile`` as a user runs it: what it refuses (and says why), and starting from an
experiment whose rules it overrides."""

import json

import pytest

from dwsim_cli.main import main
from dwsim_shared.contracts.enums import RuleKind, RuleSource
from dwsim_shared.contracts.schema import Experiment
from tests.fixtures.postgres import fresh_database
from tests.fixtures.servers import free_port
from tests.generator.helpers import check_integrity, generate

psycopg2 = pytest.importorskip("psycopg2")

SHOP = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id integer PRIMARY KEY, tier text NOT NULL, note text)
    WITH (autovacuum_enabled = false);
CREATE TABLE shop.orders (id integer PRIMARY KEY, customer_id integer REFERENCES shop.customers,
    placed date NOT NULL, total numeric(10, 2)) WITH (autovacuum_enabled = false);
CREATE TABLE shop.lines (order_id integer REFERENCES shop.orders, line_no smallint,
    sku varchar(6) NOT NULL, PRIMARY KEY (order_id, line_no)) WITH (autovacuum_enabled = false);
CREATE TABLE shop.audit (id integer) WITH (autovacuum_enabled = false);
INSERT INTO shop.customers SELECT g, CASE WHEN g % 4 = 0 THEN 'gold' ELSE 'basic' END,
    CASE WHEN g % 2 = 0 THEN 'n' || g END FROM generate_series(1, 500) g;
INSERT INTO shop.orders SELECT g, 1 + g % 100, DATE '2024-01-01' + g % 366, g % 90 + 0.5
    FROM generate_series(1, 3000) g;
INSERT INTO shop.lines SELECT 1 + g % 3000, 1 + g / 3000, 'SKU' || (g % 40)
    FROM generate_series(0, 5999) g;
"""


def _run(sql: str, url: str) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        for statement in (s for s in sql.split(";") if s.strip()):
            cur.execute(statement)
    conn.close()


@pytest.fixture(scope="module")
def shop_url():
    with fresh_database("dwsim_profile") as url:
        _run(SHOP, url)
        yield url


def _profile(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["profile", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_unreachable_database_is_named(capsys):
    port = free_port()
    code, _, err = _profile(capsys, f"postgresql://postgres@127.0.0.1:{port}/nowhere")
    assert code == 2
    assert f"cannot connect to 127.0.0.1:{port}/nowhere" in err


def test_tables_without_statistics_are_refused_with_the_analyze_to_run(capsys, shop_url):
    code, out, err = _profile(capsys, shop_url, "--schema", "shop", "--tables", "customers")
    assert code == 2
    assert out == ""
    assert "no statistics for table customers in schema shop" in err
    assert 'ANALYZE "shop"."customers"' in err


def test_unknown_tables_and_empty_schemas_are_refused(capsys, shop_url):
    code, _, err = _profile(capsys, shop_url, "--schema", "shop", "--tables", "orders,refunds")
    assert code == 2
    assert "no table refunds in schema shop (tables: audit, customers, lines, orders)" in err
    code, _, err = _profile(capsys, shop_url, "--schema", "nothing_here")
    assert code == 2
    assert "schema nothing_here" in err
    assert "has no tables" in err


def test_an_experiment_keeps_what_the_user_wrote_and_takes_the_rest_from_statistics(
    capsys, shop_url, tmp_path
):
    _run("ANALYZE shop.customers; ANALYZE shop.orders", shop_url)
    base = {
        "name": "shop",
        "warehouse": "snowflake",
        "tables": [
            {"name": "CUSTOMERS", "rows": 10, "columns": [
                {"name": "ID", "type": "integer", "nullable": False},
                {"name": "TIER", "type": "varchar(8)", "nullable": False,
                 "rule": {"kind": "categorical", "values": ["gold", "basic"],
                          "source": "inferred"}},
                {"name": "NOTE", "type": "varchar(20)",
                 "rule": {"kind": "constant", "value": "kept"}},
            ], "primary_key": ["ID"]},
            {"name": "PROSPECTS", "rows": 5, "columns": [{"name": "ID", "type": "integer"}]},
        ],
    }  # fmt: skip
    path = tmp_path / "shop.json"
    path.write_text(json.dumps(base))
    out = tmp_path / "profiled.json"
    code, _, err = _profile(capsys, shop_url, "--schema", "shop", "--experiment", str(path),
                            "-o", str(out))  # fmt: skip
    assert code == 0, err
    experiment = Experiment.model_validate_json(out.read_text())
    assert experiment.warehouse.value == "snowflake"
    customers = experiment.table("CUSTOMERS")
    assert customers.rows == 500
    tier = customers.column("TIER").rule
    assert tier.source == RuleSource.PROFILED
    assert dict(zip(tier.values, tier.weights, strict=True)) == {
        "basic": pytest.approx(0.75, abs=0.01),
        "gold": pytest.approx(0.25, abs=0.01),
    }
    note = customers.column("NOTE").rule  # written by the user: kept, with the measured NULLs
    assert (note.kind, note.value, note.source) == (RuleKind.CONSTANT, "kept", RuleSource.USER)
    assert note.null_ratio == pytest.approx(0.5, abs=0.01)
    assert experiment.table("PROSPECTS").rows == 5
    assert "PROSPECTS: not in schema shop" in err
    assert "profiled 1 tables (CUSTOMERS 500)" in err


def test_a_schema_from_the_catalog_gets_keys_sizes_and_fanout(capsys, shop_url):
    _run("ANALYZE shop.customers; ANALYZE shop.orders; ANALYZE shop.lines", shop_url)
    tables = "customers,orders,lines"
    code, out, err = _profile(capsys, shop_url, "--schema", "shop", "--tables", tables)
    assert code == 0, err
    experiment = Experiment.model_validate(json.loads(out))
    assert experiment.name == "shop"
    orders = experiment.table("orders")
    assert orders.primary_key == ["id"]
    (fk,) = orders.foreign_keys
    assert fk.references_table == "customers"
    # 100 customers have 30 orders each (all in customer_id's common values), 400 none
    assert sorted(fk.fanout.values) == list(range(1, 101))
    assert fk.fanout.weights == pytest.approx([0.01] * 100, abs=1e-5)
    assert max(fk.fanout.bounds) <= 1
    placed = orders.column("placed").rule
    assert placed.kind == RuleKind.HISTOGRAM
    assert placed.bounds[0] >= "2024-01-01"
    assert placed.bounds[-1] <= "2024-12-31"
    assert "column rules from statistics" in err
    # the composite key keeps rules that make it unique; the rows generate with every key
    lines = experiment.table("lines")
    assert lines.primary_key == ["order_id", "line_no"]
    sku = lines.column("sku").rule
    assert (sku.kind, len(sku.values)) == (RuleKind.CATEGORICAL, 40)
    data = generate(experiment, seed=3)
    assert data["lines"].num_rows == 6000
    check_integrity(experiment, data)
