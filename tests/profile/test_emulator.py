"""``dwsim profile`` pointed at the Redshift emulator: its keys (recorded, not enforced) and the
statistics of the PostgreSQL it stores the experiment's schema in."""

import pytest

from dwsim_shared.contracts.enums import Distribution, RuleKind, RuleSource
from dwsim_shared.profile import profile_database

psycopg2 = pytest.importorskip("psycopg2")

SETUP = """
CREATE SCHEMA prof_shop;
CREATE TABLE prof_shop.customers (
    id integer NOT NULL, segment varchar(12) NOT NULL, PRIMARY KEY (id)
) DISTSTYLE KEY DISTKEY (id);
CREATE TABLE prof_shop.orders (
    id bigint NOT NULL, customer_id integer NOT NULL REFERENCES prof_shop.customers (id),
    status varchar(12), amount decimal(10, 2), PRIMARY KEY (id)
) SORTKEY (id);
INSERT INTO prof_shop.customers
    SELECT g, CASE WHEN g % 10 < 6 THEN 'retail' WHEN g % 10 < 9 THEN 'smb' ELSE 'enterprise' END
    FROM generate_series(1, 2000) g;
INSERT INTO prof_shop.orders
    SELECT g, 1 + (g * 7919) % 400,
           CASE WHEN g % 20 = 0 THEN NULL WHEN g % 4 = 0 THEN 'returned' ELSE 'delivered' END,
           (g % 500) + 0.99
    FROM generate_series(1, 20000) g;
ANALYZE prof_shop.customers;
ANALYZE prof_shop.orders;
"""


@pytest.fixture
def shop(redshift_emulator):
    conn = psycopg2.connect(redshift_emulator.dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for statement in (s for s in SETUP.split(";") if s.strip()):
                cur.execute(statement)
        yield redshift_emulator.dsn
    finally:
        with conn.cursor() as cur:
            cur.execute("DROP SCHEMA IF EXISTS prof_shop CASCADE")
        conn.close()


def test_profile_reads_the_emulators_keys_and_statistics(shop):
    result = profile_database(shop, schema="prof_shop", name="shop")
    experiment = result.experiment
    assert result.rows == {"customers": 2000, "orders": 20000}
    orders = experiment.table("orders")
    # the foreign key the emulator records (PostgreSQL itself has no such constraint)
    (fk,) = orders.foreign_keys
    assert (fk.columns, fk.references_table) == (["customer_id"], "customers")
    # 400 of the 2,000 customers have 50 orders each, the others none
    assert fk.fanout is not None
    assert fk.fanout.source == RuleSource.PROFILED
    assert fk.fanout.distribution == Distribution.HISTOGRAM
    assert fk.fanout.bounds[0] == 0
    assert fk.fanout.bounds[-1] == 50
    status = orders.column("status").rule
    assert status.kind == RuleKind.CATEGORICAL
    assert status.source == RuleSource.PROFILED
    assert status.null_ratio == pytest.approx(0.05, abs=0.01)
    shares = dict(zip(status.values, status.weights, strict=True))
    assert shares == {"delivered": pytest.approx(0.79, abs=0.02),
                      "returned": pytest.approx(0.21, abs=0.02)}  # fmt: skip
    segment = experiment.table("customers").column("segment").rule
    assert dict(zip(segment.values, segment.weights, strict=True)) == {
        "retail": pytest.approx(0.6, abs=0.02),
        "smb": pytest.approx(0.3, abs=0.02),
        "enterprise": pytest.approx(0.1, abs=0.02),
    }
    amount = orders.column("amount").rule
    assert amount.kind == RuleKind.HISTOGRAM
    assert float(amount.bounds[0]) >= 0.99
    assert float(amount.bounds[-1]) <= 499.99
