"""Columns derived from other rows, on a shop imported with no rules written by hand: totals
are the sums of their lines to the cent, prices the products' prices, e-mails the people's
names; the same bytes whatever the chunking or workers; bad rules refused by name."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from pydantic import ValidationError

from dwsim_generator.engine import plan_run
from dwsim_generator.engine.errors import GenerationError
from dwsim_generator.engine.parallel import RunRequest, WorkerPool, run_chunks
from dwsim_shared.contracts.enums import RuleKind, RuleSource
from dwsim_shared.contracts.rules import GenerationRule
from tests.generator.helpers import col, experiment, generate, plain, table
from tests.generator.shop import SHOP_DDL, scalar, shop, to_sqlite


def fk(columns, parent, parent_columns, **extra):
    return {"columns": columns, "references_table": parent,
            "references_columns": parent_columns, **extra}  # fmt: skip


@pytest.fixture(scope="module")
def data():
    return generate(shop(), seed=11, chunk_rows=4_000, scale=3)


@pytest.fixture(scope="module")
def db(data):
    return to_sqlite(data)


def test_inferred_relations_are_in_the_imported_schema_marked_inferred():
    exp = shop()
    expected = {
        ("order_lines", "unit_price"): (RuleKind.LOOKUP, "products.price"),
        ("orders", "total"): (RuleKind.AGGREGATE, "order_lines.line_total"),
        ("orders", "item_count"): (RuleKind.AGGREGATE, "order_lines"),
        ("order_lines", "line_total"): (RuleKind.EXPRESSION, None),
        ("customers", "email"): (RuleKind.EXPRESSION, None),
        ("customers", "full_name"): (RuleKind.EXPRESSION, None),
        ("payments", "amount"): (RuleKind.LOOKUP, "orders.total"),
    }
    for (name, column), (kind, ref) in expected.items():
        rule = exp.table(name).column(column).rule
        assert (rule.kind, rule.ref, rule.source) == (kind, ref, RuleSource.INFERRED), column
    assert (
        exp.table("order_lines").column("line_total").rule.expression == '"quantity" * "unit_price"'
    )
    assert exp.table("orders").column("item_count").rule.function == "count"


def test_schema_import_prints_the_inferred_rules(tmp_path):
    ddl = tmp_path / "shop.sql"
    ddl.write_text(SHOP_DDL)
    dwsim = Path(sys.executable).with_name("dwsim")
    out = subprocess.run([str(dwsim), "schema", "import", str(ddl), "--dialect", "postgres"],
                         capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    tables = {t["name"]: t for t in json.loads(out.stdout)["tables"]}
    total = next(c for c in tables["orders"]["columns"] if c["name"] == "total")["rule"]
    assert total["kind"] == "aggregate"
    assert total["source"] == "inferred"
    assert total["function"] == "sum"
    assert total["ref"] == "order_lines.line_total"


def test_each_order_total_is_the_sum_of_its_lines_to_the_cent(db):
    assert scalar(db, "SELECT count(*) FROM orders") > 1000
    wrong = scalar(
        db,
        """
        SELECT count(*) FROM orders o LEFT JOIN (
            SELECT order_id, sum(quantity * unit_price) AS total, count(*) AS n
            FROM order_lines GROUP BY order_id) l USING (order_id)
        WHERE coalesce(l.total, 0) <> o.total OR coalesce(l.n, 0) <> o.item_count""",
    )
    assert wrong == 0
    assert scalar(db, "SELECT count(DISTINCT item_count) FROM orders") > 3  # a spread of lines


def test_each_line_has_its_products_price_and_its_total(db):
    assert scalar(db, """SELECT count(*) FROM order_lines l JOIN products p USING (product_id)
                         WHERE l.unit_price <> p.price""") == 0  # fmt: skip
    assert (
        scalar(db, "SELECT count(*) FROM order_lines WHERE line_total <> quantity * unit_price")
        == 0
    )
    assert scalar(db, "SELECT count(DISTINCT unit_price) FROM order_lines") > 100


def test_a_payment_is_for_its_orders_total(db):
    """A lookup of an aggregate: the order's total at any order, computed from its lines."""
    assert scalar(db, """SELECT count(*) FROM payments p JOIN orders o USING (order_id)
                         WHERE p.amount <> o.total""") == 0  # fmt: skip


def test_email_and_full_name_are_made_from_the_persons_names(db):
    rows = db.execute("SELECT first_name, last_name, full_name, email FROM customers").fetchall()
    assert len({r[3] for r in rows}) == len(rows)  # the UNIQUE constraint holds
    for first, last, full, email in rows:
        assert full == f"{first} {last}"
        local, _, domain = email.partition("@")
        clean = "".join(ch for ch in last.lower() if ch.isascii() and ch.isalnum())
        assert clean in local, email
        assert "." in domain, email


def test_same_bytes_whatever_the_chunking_and_the_workers(tmp_path, data):
    exp = shop()
    for rows in (1_000, 65_536):
        again = generate(exp, seed=11, chunk_rows=rows, scale=3)
        for name, got in again.items():
            assert plain(got).equals(plain(data[name])), (name, rows)
    digests = []
    for workers, method in ((1, None), (2, "fork"), (2, "spawn")):
        out = tmp_path / f"w{workers}{method}"
        plan = plan_run(exp, seed=11, chunk_rows=4_000, scale=3)
        with WorkerPool(workers, method) as pool:
            run_chunks(plan, RunRequest.for_plan(plan, out), pool)
        digests.append({str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted(out.rglob("*.parquet"))})  # fmt: skip
    assert digests[0] == digests[1] == digests[2]
    assert len(digests[0]) > 10


def _shop(order_rules=None, line_rules=None, lines_fks=None):
    orders = {"total": {"kind": "range", "min": 1, "max": 9}, **(order_rules or {})}
    lines = {"price": {"kind": "range", "min": 1, "max": 9}, **(line_rules or {})}
    return experiment(
        table("products", 50, [col("id", "INTEGER", nullable=False),
                               col("price", "DECIMAL(10,2)", {"kind": "range", "min": 1, "max": 99}),
                               col("name", "VARCHAR(20)")], primary_key=["id"]),
        table("orders", 200, [col("id", "INTEGER", nullable=False),
                              col("total", "DECIMAL(12,2)", orders["total"]),
                              col("cheapest", "DECIMAL(10,2)", orders.get("cheapest")),
                              col("placed_at", "TIMESTAMP")], primary_key=["id"]),
        table("lines", 700, [col("order_id", "INTEGER", nullable=False), col("line_no", "SMALLINT", nullable=False),
                             col("product_id", "INTEGER", nullable=False),
                             col("qty", "INTEGER", {"kind": "range", "min": 1, "max": 4}),
                             col("price", "DECIMAL(10,2)", lines["price"])],
              primary_key=["order_id", "line_no"],
              foreign_keys=lines_fks or [fk(["order_id"], "orders", ["id"],
                                            fanout={"distribution": "poisson", "params": {"lam": 3}}),
                                         fk(["product_id"], "products", ["id"])]),
    )  # fmt: skip


def test_user_rules_noise_min_max_and_sums_of_expressions():
    exp = _shop(
        order_rules={
            "total": {"kind": "aggregate", "function": "sum", "ref": "lines",
                      "expression": "round(qty * price * 1.1, 2)"},
            "cheapest": {"kind": "aggregate", "function": "min", "ref": "lines.price"},
        },
        line_rules={"price": {"kind": "lookup", "ref": "products.price", "noise": 0.1}},
    )  # fmt: skip
    db = to_sqlite(generate(exp, seed=2, chunk_rows=64))
    off = db.execute("""SELECT min(1.0 * l.price / p.price), max(1.0 * l.price / p.price),
                               sum(l.price <> p.price)
                        FROM lines l JOIN products p ON p.id = l.product_id""").fetchone()  # fmt: skip
    assert 0.899 <= off[0] < 0.95
    assert 1.05 < off[1] <= 1.101
    assert off[2] > 300
    sums = db.execute("""SELECT count(*) FROM orders o JOIN (
                             SELECT order_id, min(price) AS low, count(*) AS n,
                                    sum(round(qty * price * 1.1 / 100.0, 2)) AS total
                             FROM lines GROUP BY order_id) l ON l.order_id = o.id
                         WHERE o.cheapest <> l.low OR abs(o.total / 100.0 - l.total) > 0.001""")
    assert sums.fetchone()[0] == 0
    # an order without lines: a sum of nothing is 0, a minimum of nothing is NULL
    empty = db.execute("""SELECT total, cheapest FROM orders
                          WHERE id NOT IN (SELECT order_id FROM lines)""").fetchall()  # fmt: skip
    assert empty
    assert all(row == (0, None) for row in empty)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"line_rules": {"price": {"kind": "lookup", "ref": "orders.total"}},
          "order_rules": {"total": {"kind": "aggregate", "function": "sum", "ref": "lines.price"}}},
         "derived columns form a cycle: orders.total -> lines.price -> orders.total"),
        ({"line_rules": {"price": {"kind": "lookup", "ref": "products.cost"}}},
         "lines.price: lookup rule: products has no column cost"),
        ({"order_rules": {"total": {"kind": "lookup", "ref": "products.price"}}},
         "orders.total: lookup rule: orders has no foreign key to products"),
        ({"line_rules": {"price": {"kind": "lookup", "ref": "products.name"}}},
         "lines.price: lookup rule: products.name (VARCHAR(20)) gives text values, which a "
         "DECIMAL(10,2) column cannot hold"),
        ({"line_rules": {"price": {"kind": "expression", "expression": "qty * "}}},
         "lines.price: expression rule: expression 'qty * ': 'qty * ' ends early"),
        ({"line_rules": {"price": {"kind": "expression", "expression": "qty || 'x'"}}},
         "lines.price: expression rule: expression \"qty || 'x'\" gives text values"),
        ({"order_rules": {"total": {"kind": "aggregate", "function": "sum", "ref": "lines.nope"}}},
         "orders.total: aggregate rule: lines has no column nope"),
        ({"order_rules": {"total": {"kind": "aggregate", "function": "sum", "ref": "products"}}},
         "orders.total: aggregate rule: products has no foreign key to orders"),
        ({"line_rules": {"price": {"kind": "expression", "expression": "price + 1"}}},
         "derived columns form a cycle: lines.price -> lines.price"),
    ],
)  # fmt: skip
def test_rules_that_cannot_be_computed_are_refused_naming_table_and_column(rules, message):
    with pytest.raises(ValidationError) as caught:
        _shop(**rules)
    assert message in str(caught.value)


def test_the_engine_refuses_what_the_key_layout_or_nulls_cannot_give():
    # lines are laid out order by order (contiguous per order), so not product by product
    exp = _shop(order_rules={"total": {"kind": "aggregate", "function": "sum", "ref": "lines.qty"}})
    exp.tables[0].columns[1].rule = GenerationRule(
        kind="aggregate", function="sum", ref="lines.qty"
    )
    with pytest.raises(GenerationError, match=r"products.price: an aggregate over lines needs its"):
        plan_run(exp)
    nullable = _shop(line_rules={"price": {"kind": "lookup", "ref": "products.price"}})
    nullable.tables[0].columns[1].rule.null_ratio = 0.2
    nullable.tables[2].columns[4].nullable = False
    with pytest.raises(GenerationError, match=r"lines.price: is NOT NULL, but its rule reads"):
        plan_run(nullable)


def test_a_lookup_reads_any_column_type_of_its_parent():
    exp = experiment(
        table("customers", 300, [col("id", "INTEGER", nullable=False),
                                 col("name", "VARCHAR(30)", {"kind": "faker", "provider": "name"}),
                                 col("vip", "BOOLEAN"), col("since", "DATE")], primary_key=["id"]),
        table("orders", 2000, [col("id", "INTEGER", nullable=False), col("customer_id", "INTEGER"),
                               col("customer_name", "VARCHAR(12)", {"kind": "lookup", "ref": "customers.name"}),
                               col("vip", "BOOLEAN", {"kind": "lookup", "ref": "customers.vip"}),
                               col("since", "TIMESTAMP", {"kind": "lookup", "ref": "customers.since"})],
              primary_key=["id"], foreign_keys=[fk(["customer_id"], "customers", ["id"])]),
    )  # fmt: skip
    data = {k: plain(v) for k, v in generate(exp, seed=4, chunk_rows=700).items()}
    customers = {r["id"]: r for r in data["customers"].to_pylist()}
    for row in data["orders"].to_pylist():
        parent = customers[row["customer_id"]]
        assert row["customer_name"] == parent["name"][:12]
        assert row["vip"] == parent["vip"]
        assert row["since"].date() == parent["since"]
    assert data["orders"].schema.field("since").type == pa.timestamp("us")


def test_inspect_checks_every_derived_column_and_flags_a_tampered_one(tmp_path, capsys):
    from dwsim_cli.main import main
    from dwsim_generator.inspection import inspect_run

    ddl = tmp_path / "shop.sql"
    ddl.write_text(SHOP_DDL)
    out = tmp_path / "run"
    assert main(["generate", str(ddl), "--dialect", "postgres", "--out", str(out),
                 "--seed", "4", "--chunk-rows", "3000"]) == 0  # fmt: skip
    report = inspect_run(out)
    derived = {(c.kind, c.table, c.columns[0]) for c in report.checks
               if c.kind in ("lookup", "aggregate", "expression", "after")}  # fmt: skip
    assert {("lookup", "order_lines", "unit_price"), ("aggregate", "orders", "total"),
            ("aggregate", "orders", "item_count"), ("expression", "order_lines", "line_total"),
            ("after", "orders", "ordered_at"), ("after", "shipments", "delivered_at"),
            ("lookup", "payments", "amount")} <= derived  # fmt: skip
    assert report.ok, [c.message for c in report.failed]
    _bump(out / "order_lines" / "part-00000.parquet", "unit_price")
    failed = {(c.kind, c.table, c.columns[0]): c.violations for c in inspect_run(out).failed}
    # one line no longer at its product's price, nor at quantity x price
    assert failed == {("lookup", "order_lines", "unit_price"): 1,
                      ("expression", "order_lines", "line_total"): 1}  # fmt: skip
    _bump(out / "orders" / "part-00000.parquet", "total")
    failed = {(c.kind, c.table, c.columns[0]): c.violations for c in inspect_run(out).failed}
    # an order no longer the sum of its lines, nor what its payment paid
    assert {k: v for k, v in failed.items() if k[1] != "order_lines"} == {
        ("aggregate", "orders", "total"): 1, ("lookup", "payments", "amount"): 1}  # fmt: skip


def _bump(part: Path, column: str) -> None:
    """Add one unit to the first value of ``column`` in a Parquet part."""
    import pyarrow.parquet as pq

    data = pq.read_table(part)
    values = data.column(column).to_pylist()
    values[0] += 1
    index = data.column_names.index(column)
    kind = data.schema.field(column).type
    pq.write_table(data.set_column(index, column, pa.array(values, kind)), part)


@pytest.mark.parametrize(
    "rows",
    [{"order_lines": 0}, {"orders": 0, "order_lines": 0, "shipments": 0, "payments": 0},
     {"orders": 1, "order_lines": 1}, {"products": 1}],
)  # fmt: skip
def test_empty_and_tiny_tables(rows):
    data = {k: plain(v) for k, v in generate(shop(), seed=1, rows=rows, chunk_rows=7).items()}
    db = to_sqlite(data)
    assert (
        scalar(
            db,
            """SELECT count(*) FROM orders o LEFT JOIN (
        SELECT order_id, sum(line_total) AS total, count(*) AS n FROM order_lines
        GROUP BY order_id) l USING (order_id)
        WHERE coalesce(l.total, 0) <> o.total OR coalesce(l.n, 0) <> o.item_count""",
        )
        == 0
    )
    assert scalar(db, "SELECT count(*) FROM orders") == rows.get("orders", 5000)
