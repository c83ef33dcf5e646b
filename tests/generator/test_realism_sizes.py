"""A shop pasted as DDL, with no rules written, looks like a business: lookups small, several
lines per order with a spread, skewed statuses and flags, log-normal prices, some NULLs where
NULLs belong, random-looking UUIDs; and sizes follow --scale / --rows TOTAL."""

import json
import re

import numpy as np
import pyarrow.compute as pc
import pytest

from dwsim_cli.main import main
from dwsim_generator.engine import plan_run
from dwsim_shared.contracts.enums import Dialect
from dwsim_shared.ddl import import_ddl
from tests.generator.helpers import check_integrity, generate, plain
from tests.generator.shop_ddl import SHOP_DDL

STATUSES = {"pending", "processing", "shipped", "delivered", "cancelled", "returned"}


@pytest.fixture(scope="module")
def shop():
    return import_ddl(SHOP_DDL, dialect=Dialect.POSTGRES, name="shop")


@pytest.fixture(scope="module")
def data(shop):
    return {name: plain(t) for name, t in generate(shop, seed=4).items()}


def _per_parent(data, table, column):
    return np.asarray(pc.value_counts(data[table].column(column)).field("counts"))


def test_schema_import_shows_each_tables_size_and_fanout(tmp_path, capsys):
    ddl = tmp_path / "shop.sql"
    ddl.write_text(SHOP_DDL)
    assert main(["schema", "import", str(ddl), "--dialect", "postgres"]) == 0
    tables = {t["name"]: t for t in json.loads(capsys.readouterr().out)["tables"]}
    sizes = {name: (t["rows"], t["sizing"]["role"]) for name, t in tables.items()}
    assert sizes == {
        "countries": (249, "lookup"),  # each ISO 3166-1 country once
        "order_statuses": (6, "lookup"),  # one row per status the name suggests
        "customers": (1000, "entity"),
        "products": (500, "entity"),
        "orders": (5000, "event"),
        "order_lines": (17500, "line"),
    }
    assert all(t["sizing"]["source"] == "inferred" for t in tables.values())
    assert tables["order_statuses"]["sizing"]["scales"] is False
    assert tables["order_lines"]["sizing"] == {
        "role": "line", "source": "inferred", "scales": True, "parent": "orders", "per_parent": 3.5,
    }  # fmt: skip
    fanout = tables["order_lines"]["foreign_keys"][0]["fanout"]
    assert fanout["source"] == "inferred"
    assert fanout["params"]["min"] == 1


def test_lookups_are_small_and_hold_each_value_once(data):
    assert data["countries"].num_rows == 249
    assert set(data["order_statuses"].column("name").to_pylist()) == STATUSES
    assert data["order_statuses"].num_rows == len(STATUSES)


def test_children_outnumber_parents_with_a_spread_per_parent(data):
    rows = {name: t.num_rows for name, t in data.items()}
    assert rows["order_lines"] > rows["orders"] > rows["customers"] > rows["order_statuses"]
    lines = _per_parent(data, "order_lines", "order_id")
    assert len(lines) == rows["orders"]  # every order has at least one line
    assert lines.min() >= 1
    assert lines.max() <= 14
    assert 3.0 <= lines.mean() <= 4.0
    assert len(set(lines.tolist())) >= 6  # a spread, not the same count everywhere
    orders = _per_parent(data, "orders", "customer_id")
    assert len(orders) < rows["customers"]  # some customers never ordered
    assert orders.max() >= 4 * orders.mean()  # and a few order a lot
    line_no = data["order_lines"].column("line_no").to_numpy()
    assert line_no.min() == 1
    assert line_no.max() == lines.max()


def test_keys_hold(shop, data):
    check_integrity(shop, data)


def _shares(array):
    counts = pc.value_counts(array.drop_null())
    total = sum(counts.field("counts").to_pylist())
    return {v: c / total for v, c in zip(*(counts.field(f).to_pylist() for f in ("values", "counts")), strict=True)}  # fmt: skip


def test_statuses_and_flags_are_skewed(data):
    status = _shares(data["orders"].column("order_status"))
    assert max(status, key=status.get) == "delivered"
    assert status["delivered"] > 0.6
    assert status["cancelled"] < 0.1
    assert status["returned"] < 0.1
    category = sorted(_shares(data["products"].column("category")).values(), reverse=True)
    assert category[0] > 2 * category[-1]  # Zipf-like, not uniform
    fk_status = sorted(_shares(data["orders"].column("status_id")).values(), reverse=True)
    assert fk_status[0] > 2 * fk_status[-1]  # foreign keys to a lookup are skewed too
    customers = data["customers"]
    assert 0.8 < _shares(customers.column("is_active"))[True] < 0.9
    assert _shares(customers.column("is_deleted"))[True] < 0.1


def test_money_is_log_normal_within_its_range(shop, data):
    rule = shop.table("products").column("price").rule
    assert (rule.kind.value, rule.distribution.value, rule.source.value) == (
        "distribution", "lognormal", "inferred",
    )  # fmt: skip
    price = data["products"].column("price").to_numpy().astype(float)
    assert price.min() >= 1
    assert price.max() <= 1000
    assert np.median(price) < np.mean(price) < 250  # right-skewed, not uniform over 1..1000
    assert np.median(price) < 100


def test_nullable_columns_have_some_nulls_and_keys_none(data):
    customers, orders = data["customers"], data["orders"]

    def ratio(table, column):
        return table.column(column).null_count / table.num_rows

    assert 0.4 < ratio(customers, "middle_name") < 0.75
    assert 0.8 < ratio(customers, "deleted_at") < 0.97
    assert 0.45 < ratio(customers, "notes") < 0.75
    assert 0.03 < ratio(customers, "phone") < 0.2
    assert 0.0 < ratio(customers, "is_deleted") < 0.06
    assert 0.05 < ratio(orders, "shipped_at") < 0.3
    # keys and foreign keys are never made NULL, even when the DDL allows it
    assert customers.column("country_code").null_count == 0
    for table, column in [("customers", "customer_id"), ("orders", "customer_id"),
                          ("order_lines", "order_id"), ("customers", "public_id")]:  # fmt: skip
        assert data[table].column(column).null_count == 0


def test_uuids_are_random_looking_version_4_and_distinct(data):
    values = data["customers"].column("public_id").to_pylist()
    assert len(set(values)) == len(values)
    assert all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", v)
               for v in values)  # fmt: skip
    digits = [v.replace("-", "") for v in values]
    # 4+ zero hex digits in a row: ~27/65536 per UUID by chance, so ~0.4 in 1,000
    assert sum("0000" in d for d in digits) <= 4
    assert "0000" not in digits[0]
    # every hex digit about equally common in the random positions
    random_part = "".join(d[:12] + d[13:16] + d[17:] for d in digits)
    counts = np.array([random_part.count(h) for h in "0123456789abcdef"])
    assert counts.min() > 0.85 * counts.mean()
    assert counts.max() < 1.15 * counts.mean()


def test_unique_uuids_at_scale_stay_distinct_and_fill_every_position():
    from tests.generator.helpers import col, experiment, table

    exp = experiment(table("t", 150_000, [col("id", "UUID", nullable=False)], primary_key=["id"]))
    ids = generate(exp, seed=9, chunk_rows=40_000)["t"].column("id")
    assert pc.count_distinct(ids).as_py() == 150_000
    first = ids[0].as_py().replace("-", "")
    assert "000000" not in first


def test_the_same_rows_whatever_the_chunking(shop, data):
    again = generate(shop, seed=4, chunk_rows=7_777)
    for name, table in again.items():
        assert plain(table).equals(data[name]), name


def test_scale_multiplies_all_but_lookups_and_per_table_rows_win(shop):
    plan = plan_run(shop, scale=2, rows={"products": 77}, check_keys=False)
    assert plan.rows == {
        "countries": 249, "order_statuses": 6, "customers": 2000, "products": 77,
        "orders": 10_000, "order_lines": 35_000,
    }  # fmt: skip


def test_rows_total_splits_the_schema_as_a_whole(shop, tmp_path, capsys):
    plan = plan_run(shop, total=100_000, check_keys=False)
    assert abs(sum(plan.rows.values()) - 100_000) <= len(plan.rows)
    assert plan.rows["countries"] == 249
    assert plan.rows["order_statuses"] == 6
    assert plan.rows["order_lines"] == pytest.approx(3.5 * plan.rows["orders"], rel=0.01)
    ddl = tmp_path / "shop.sql"
    ddl.write_text(SHOP_DDL)
    out = tmp_path / "run"
    args = ["generate", str(ddl), "--dialect", "postgres", "--out", str(out)]
    assert main([*args, "--rows", "3000", "customers=100"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    counts = {name: t["rows"] for name, t in manifest["tables"].items()}
    assert counts["customers"] == 100  # per-table rows win
    assert abs(sum(counts.values()) - 3000) <= len(counts)
    assert counts["order_lines"] > counts["orders"] > counts["products"] > counts["order_statuses"]
    assert counts["countries"] == 249  # a lookup keeps its rows


@pytest.mark.parametrize(("children", "least"), [(250, 2), (120, 1), (60, 0)])
def test_fanout_min_gives_every_parent_that_many_children_when_rows_allow(children, least):
    from tests.generator.helpers import col, experiment, table

    fanout = {"distribution": "lognormal", "params": {"sigma": 1.5, "min": 2}}
    exp = experiment(
        table("p", 100, [col("id", "INTEGER", nullable=False)], primary_key=["id"]),
        table("c", children, [col("p_id", "INTEGER", nullable=False)],
              foreign_keys=[{"columns": ["p_id"], "references_table": "p",
                             "references_columns": ["id"], "fanout": fanout}]),
    )  # fmt: skip
    counts = pc.value_counts(generate(exp, seed=1)["c"].column("p_id")).field("counts")
    per_parent = np.asarray(counts)
    assert per_parent.sum() == children
    if least:
        assert len(per_parent) == 100
        assert per_parent.min() >= least
    assert per_parent.max() > 2 * per_parent.mean()  # the rest still follows the skew


def test_a_negative_fanout_min_is_refused():
    from dwsim_generator.engine.errors import GenerationError
    from tests.generator.helpers import col, experiment, table

    exp = experiment(
        table("p", 10, [col("id", "INTEGER", nullable=False)], primary_key=["id"]),
        table("c", 30, [col("p_id", "INTEGER", nullable=False)],
              foreign_keys=[{"columns": ["p_id"], "references_table": "p",
                             "references_columns": ["id"],
                             "fanout": {"distribution": "poisson", "params": {"min": -1}}}]),
    )  # fmt: skip
    with pytest.raises(GenerationError, match=r"min .* must be >= 0"):
        plan_run(exp)
