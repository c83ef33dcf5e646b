"""Time flows forward on a shop imported with no rules written by hand: orders after their
customer signed up, lines, shipments and payments after their order, updates after creation,
and nothing after the fixed reference date."""

from datetime import datetime

import pytest
from pydantic import ValidationError

from dwsim_shared.contracts.enums import RuleKind
from tests.generator.helpers import col, experiment, generate, plain, table
from tests.generator.shop import END_OF_ANCHOR_US, scalar, shop, to_sqlite

US_PER_DAY = 86_400_000_000


@pytest.fixture(scope="module")
def db():
    return to_sqlite(generate(shop(), seed=5, chunk_rows=3_000, scale=3))


@pytest.mark.parametrize(
    ("what", "sql"),
    [
        ("an order before its customer signed up", """
            SELECT count(*) FROM orders o JOIN customers c USING (customer_id)
            WHERE o.ordered_at < c.signed_up_at"""),
        ("a line before its order", """
            SELECT count(*) FROM order_lines l JOIN orders o USING (order_id)
            WHERE l.created_at < o.ordered_at"""),
        ("a shipment before its order", """
            SELECT count(*) FROM shipments s JOIN orders o USING (order_id)
            WHERE s.shipped_at < o.ordered_at"""),
        ("a payment before its order", """
            SELECT count(*) FROM payments p JOIN orders o USING (order_id)
            WHERE p.paid_at < o.ordered_at"""),
        ("an order shipped before it was placed",
         "SELECT count(*) FROM orders WHERE shipped_at < ordered_at"),
        ("a customer updated before signing up",
         "SELECT count(*) FROM customers WHERE updated_at < signed_up_at"),
        # a DATE after a TIMESTAMP: the same day or later
        ("a delivery (a date) before its shipment's day", f"""
            SELECT count(*) FROM shipments WHERE delivered_at < shipped_at / {US_PER_DAY}"""),
    ],
)  # fmt: skip
def test_no_moment_comes_before_the_one_it_follows(db, what, sql):
    assert scalar(db, sql) == 0, what


def test_everything_ends_by_the_reference_date(db):
    for table_name, column in [("customers", "signed_up_at"), ("customers", "updated_at"),
                               ("orders", "ordered_at"), ("orders", "shipped_at"),
                               ("order_lines", "created_at"), ("payments", "paid_at")]:  # fmt: skip
        assert scalar(db, f"SELECT max({column}) FROM {table_name}") <= END_OF_ANCHOR_US
    assert scalar(db, "SELECT max(delivered_at) FROM shipments") * US_PER_DAY <= END_OF_ANCHOR_US


def test_gaps_look_like_a_business(db):
    """Lines are added with their order (minutes), shipments follow within days, orders
    spread over the customer's whole life."""
    line_lag = scalar(db, """SELECT avg(l.created_at - o.ordered_at) FROM order_lines l
                             JOIN orders o USING (order_id)""") / US_PER_DAY  # fmt: skip
    ship_lag = scalar(db, """SELECT avg(s.shipped_at - o.ordered_at) FROM shipments s
                             JOIN orders o USING (order_id)""") / US_PER_DAY  # fmt: skip
    order_lag = scalar(db, """SELECT avg(o.ordered_at - c.signed_up_at) FROM orders o
                              JOIN customers c USING (customer_id)""") / US_PER_DAY  # fmt: skip
    assert line_lag < 0.1
    assert 1 < ship_lag < 4
    assert order_lag > 60
    assert scalar(db, "SELECT count(*) FROM orders WHERE shipped_at IS NULL") > 0  # nulls kept


def test_the_inferred_time_rules_name_what_they_follow():
    exp = shop()
    expected = {
        ("orders", "ordered_at"): "customers.signed_up_at",
        ("orders", "shipped_at"): "ordered_at",
        ("order_lines", "created_at"): "orders.ordered_at",
        ("shipments", "shipped_at"): "orders.ordered_at",
        ("shipments", "delivered_at"): "shipped_at",
        ("customers", "updated_at"): "signed_up_at",
    }
    for (name, column), ref in expected.items():
        rule = exp.table(name).column(column).rule
        assert (rule.kind, rule.ref) == (RuleKind.AFTER, ref), f"{name}.{column}"
    assert exp.table("customers").column("signed_up_at").rule.kind == RuleKind.RANGE  # the root


def _events(rule: dict, parent_rule: dict | None = None, nullable: bool = True):
    return experiment(
        table("accounts", 400, [col("id", "INTEGER", nullable=False),
                                col("opened", "DATE", parent_rule or {"kind": "range", "min": "2024-01-01",
                                                                      "max": "2024-12-31"})],
              primary_key=["id"]),
        table("events", 5000, [col("id", "INTEGER", nullable=False), col("account_id", "INTEGER"),
                               col("at", "TIMESTAMP(0)", rule, nullable=nullable)],
              primary_key=["id"],
              foreign_keys=[{"columns": ["account_id"], "references_table": "accounts",
                             "references_columns": ["id"]}]),
    )  # fmt: skip


def test_after_a_parent_date_with_an_offset_up_to_a_max_and_whole_seconds():
    rule = {"kind": "after", "ref": "accounts.opened", "distribution": "exponential",
            "params": {"scale": 3}, "max": "2025-01-10T00:00:00"}  # fmt: skip
    data = {k: plain(v) for k, v in generate(_events(rule), seed=1, chunk_rows=999).items()}
    opened = {r["id"]: r["opened"] for r in data["accounts"].to_pylist()}
    lags = []
    for row in data["events"].to_pylist():
        start = datetime.combine(opened[row["account_id"]], datetime.min.time())
        assert start <= row["at"] <= datetime(2025, 1, 10)
        assert row["at"].microsecond == 0
        lags.append((row["at"] - start).total_seconds() / 86_400)
    assert 2.0 < sum(lags) / len(lags) < 4.0  # exponential, mean 3 days


def test_a_null_reference_falls_back_to_the_rule_s_window():
    parent = {"kind": "range", "min": "2024-01-01", "max": "2024-12-31", "null_ratio": 0.5}
    rule = {"kind": "after", "ref": "accounts.opened", "min": "2020-01-01T00:00:00",
            "max": "2020-12-31T00:00:00"}  # fmt: skip
    data = {k: plain(v) for k, v in generate(_events(rule, parent, nullable=False), seed=1).items()}
    opened = {r["id"]: r["opened"] for r in data["accounts"].to_pylist()}
    seen_null = 0
    for row in data["events"].to_pylist():
        if opened[row["account_id"]] is None:
            seen_null += 1
            assert datetime(2020, 1, 1) <= row["at"] <= datetime(2020, 12, 31)
        else:
            assert row["at"].date() >= opened[row["account_id"]]
    assert seen_null > 100


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "after", "ref": "accounts.opened", "distribution": "normal"},
         "events.at: after rule: offsets must not be negative, so a normal offset is refused"),
        ({"kind": "after", "ref": "accounts.id"},
         "events.at: after rule: ref accounts.id is INTEGER, not a date or timestamp"),
        ({"kind": "after", "ref": "customers.opened"},
         "events.at: after rule: ref 'customers.opened' names unknown table customers"),
        ({"kind": "after", "ref": "at"}, "derived columns form a cycle: events.at -> events.at"),
    ],
)  # fmt: skip
def test_impossible_time_orders_are_refused(rule, message):
    with pytest.raises(ValidationError) as caught:
        _events(rule)
    assert message in str(caught.value)
