"""Keys: unique columns and tuples, foreign-key integrity by anti-join, fan-out, grids, cycles."""

from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from dwsim_generator.engine import GenerationError
from tests.generator.helpers import col, experiment, generate, table, values
from tests.generator.schemas import SHOP, fk


@pytest.fixture(scope="module")
def shop():
    return generate(SHOP, seed=11, chunk_rows=25_000)


def assert_unique(data: pa.Table, columns: list[str]) -> None:
    tuples = list(zip(*(values(data, c) for c in columns), strict=True))
    assert len(set(tuples)) == len(tuples) == data.num_rows


def assert_references(child: pa.Table, cols: list[str], parent: pa.Table, pcols: list[str]) -> None:
    """Anti-join: no non-null child key is missing from the parent."""
    if len(cols) == 1:
        present = child.column(cols[0]).drop_null()
        missing = pc.invert(pc.is_in(present, value_set=parent.column(pcols[0])))
        assert pc.sum(missing).as_py() in (0, None)
        return
    keys = set(zip(*(values(parent, c) for c in pcols), strict=True))
    rows = zip(*(values(child, c) for c in cols), strict=True)
    assert all(r in keys for r in rows if None not in r)


@pytest.mark.parametrize(
    ("name", "columns"),
    [("customers", ["id"]), ("customers", ["email"]), ("promos", ["code"]), ("orders", ["order_id"]),
     ("order_lines", ["order_id", "line_no"]), ("partsupp", ["part_id", "supp_id"]),
     ("employees", ["emp_id"]), ("accounts", ["region", "account_no"]), ("profiles", ["customer_id"])],
)  # fmt: skip
def test_keys_are_unique(shop, name, columns):
    assert_unique(shop[name], columns)


@pytest.mark.parametrize(
    ("child", "cols", "parent", "pcols"),
    [("orders", ["customer_id"], "customers", ["id"]), ("orders", ["promo_code"], "promos", ["code"]),
     ("order_lines", ["order_id"], "orders", ["order_id"]), ("partsupp", ["part_id"], "parts", ["part_id"]),
     ("partsupp", ["supp_id"], "suppliers", ["supp_id"]),
     ("shipments", ["part_id", "supp_id"], "partsupp", ["part_id", "supp_id"]),
     ("departments", ["head_id"], "employees", ["emp_id"]),
     ("employees", ["dept_id"], "departments", ["dept_id"]),
     ("employees", ["manager_id"], "employees", ["emp_id"]), ("profiles", ["customer_id"], "customers", ["id"])],
)  # fmt: skip
def test_every_foreign_key_exists_in_its_parent(shop, child, cols, parent, pcols):
    assert shop[child].num_rows > 0
    assert_references(shop[child], cols, shop[parent], pcols)


def test_nullable_foreign_keys_get_nulls_at_their_ratio(shop):
    assert abs(shop["orders"].column("promo_code").null_count / 60_000 - 0.3) < 0.01
    assert abs(shop["employees"].column("manager_id").null_count / 5000 - 0.1) < 0.02
    assert shop["orders"].column("customer_id").null_count == 0


def test_zipf_fanout_gives_few_parents_many_children(shop):
    counts = Counter(values(shop["orders"], "customer_id"))
    per_parent = np.array(sorted((counts.get(i, 0) for i in range(1, 20_001)), reverse=True))
    assert per_parent.sum() == 60_000
    assert per_parent[:200].sum() > 0.3 * 60_000  # top 1% of customers: over 30% of orders
    assert np.median(per_parent) <= 1  # most customers have at most one order


def test_children_are_numbered_within_each_parent(shop):
    lines = shop["order_lines"]
    by_order: dict[int, list[int]] = {}
    for order, line in zip(values(lines, "order_id"), values(lines, "line_no"), strict=True):
        by_order.setdefault(order, []).append(line)
    assert all(sorted(v) == list(range(1, len(v) + 1)) for v in by_order.values())
    sizes = np.array([len(v) for v in by_order.values()])
    assert sizes.max() >= 8  # poisson(2.5) spread, not a constant fan-out


def test_uniform_fanout_spreads_children_evenly():
    exp = experiment(
        table("p", 1000, [col("id", "INTEGER", nullable=False)], primary_key=["id"]),
        table("c", 7500, [col("pid", "INTEGER", nullable=False)],
              foreign_keys=[fk(["pid"], "p", ["id"], fanout={"distribution": "uniform"})]),
    )  # fmt: skip
    counts = Counter(values(generate(exp)["c"], "pid"))
    assert set(counts.values()) == {7, 8}
    assert len(counts) == 1000


def test_grid_of_two_parents_can_be_filled_completely(shop):
    tuples = set(
        zip(values(shop["partsupp"], "part_id"), values(shop["partsupp"], "supp_id"), strict=True)
    )
    assert len(tuples) == 300 * 40


def test_one_to_one_foreign_key_uses_each_parent_once(shop):
    ids = values(shop["profiles"], "customer_id")
    assert len(set(ids)) == 15_000


def test_string_primary_keys_follow_their_pattern(shop):
    assert all(v.startswith("P-") and len(v) == 6 for v in values(shop["promos"], "code"))


def test_uniform_fanout_with_bounds_varies_children_per_parent():
    exp = experiment(
        table("p", 2000, [col("id", "INTEGER", nullable=False)], primary_key=["id"]),
        table("c", 8000, [col("pid", "INTEGER", nullable=False), col("n", "SMALLINT", nullable=False)],
              primary_key=["pid", "n"],
              foreign_keys=[fk(["pid"], "p", ["id"],
                               fanout={"distribution": "uniform", "params": {"low": 1, "high": 7}})]),
    )  # fmt: skip
    counts = np.array(sorted(Counter(values(generate(exp)["c"], "pid")).values()))
    assert counts.sum() == 8000
    assert counts.min() >= 1
    assert counts.max() <= 7
    assert len(set(counts)) >= 5


def test_unique_integers_without_a_rule_are_numbered_past_the_default_range():
    exp = experiment(
        table("t", 20_000, [col("n", "SMALLINT", nullable=False)], unique=[{"columns": ["n"]}])
    )
    assert sorted(values(generate(exp)["t"], "n")) == list(range(1, 20_001))


def test_an_inferred_rule_too_narrow_for_a_key_is_widened_but_a_users_rule_is_not():
    inferred = {"kind": "range", "min": 1, "max": 1000, "source": "inferred"}
    exp = experiment(table("t", 5000, [col("n", "INTEGER", inferred)], unique=[{"columns": ["n"]}]))
    assert len(set(values(generate(exp)["t"], "n"))) == 5000
    user = {**inferred, "source": "user"}
    exp = experiment(table("t", 5000, [col("n", "INTEGER", user)], unique=[{"columns": ["n"]}]))
    with pytest.raises(GenerationError, match="can make only 1000 distinct values"):
        generate(exp)
