"""Aggregates over NUMBER columns stay exact, as in Snowflake; strings are still cast."""

from decimal import Decimal

import pytest


@pytest.fixture
def amounts(snowflake_conn):
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE payments (id INT, amount NUMBER(12,2), note VARCHAR, qty INT)")
    cur.execute(
        "INSERT INTO payments VALUES (1, 0.10, '1.5', 1), (2, 0.20, '2', 2), (3, 0.70, 'x', 3)"
    )
    return cur


def test_sum_of_a_number_column_is_an_exact_number(amounts):
    amounts.execute("SELECT SUM(amount), AVG(amount), SUM(amount * (1 - 0.5)) FROM payments")
    total, average, half = amounts.fetchone()
    assert total == Decimal("1.00")
    assert isinstance(total, Decimal)
    assert float(average) == pytest.approx(1 / 3, abs=1e-4)
    assert half == Decimal("0.5")
    assert amounts.description[0].name == "SUM(AMOUNT)"
    assert amounts.description[0].scale == 2


def test_sum_of_a_varchar_column_is_cast_like_snowflake(amounts):
    amounts.execute("SELECT SUM(note), SUM(qty) FROM payments")
    assert amounts.fetchone() == (3.5, 6)


def test_grouped_sum_over_a_join_stays_exact(amounts):
    amounts.execute("CREATE TABLE kinds (id INT, kind VARCHAR)")
    amounts.execute("INSERT INTO kinds VALUES (1, 'a'), (2, 'a'), (3, 'b')")
    amounts.execute(
        "SELECT k.kind, SUM(p.amount) AS total FROM payments p JOIN kinds k ON k.id = p.id "
        "GROUP BY 1 ORDER BY 1"
    )
    assert amounts.fetchall() == [("a", Decimal("0.30")), ("b", Decimal("0.70"))]
