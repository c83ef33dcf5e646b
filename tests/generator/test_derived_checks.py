"""A CHECK range does not stop a price from being its product's: the demo's shop declares
``CHECK (unit_price BETWEEN 1 AND 500)`` and ``CHECK (price BETWEEN 1 AND 500)``, and a line's
price is still the product's, which satisfies the line's CHECK. A CHECK the product's prices
could break keeps the line's own range. Money within a CHECK is skewed low, as prices are."""

from pathlib import Path

import pyarrow.compute as pc

import dwsim_local
from dwsim_shared.contracts.enums import Dialect, RuleKind, RuleSource
from dwsim_shared.ddl import import_ddl
from tests.generator.helpers import generate

DEMO_SHOP = Path(dwsim_local.__file__).parent / "demo" / "sample" / "shop.redshift.sql"

CHECKED = """
CREATE TABLE products (
    product_id INTEGER NOT NULL PRIMARY KEY,
    price DECIMAL(10,2) NOT NULL CHECK (price BETWEEN {product_low} AND {product_high})
);
CREATE TABLE order_lines (
    line_id BIGINT NOT NULL PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (product_id),
    unit_price DECIMAL(10,2) NOT NULL CHECK (unit_price BETWEEN 1 AND 500)
);
"""


def test_the_demo_shops_line_prices_are_its_products_prices():
    exp = import_ddl(DEMO_SHOP.read_text(), dialect=Dialect.REDSHIFT, name="shop")
    rule = exp.table("order_lines").column("unit_price").rule
    assert (rule.kind, rule.ref, rule.source) == (RuleKind.LOOKUP, "products.price",
                                                  RuleSource.INFERRED)  # fmt: skip
    data = generate(exp, seed=5, chunk_rows=3_000, scale=2)
    products, lines = data["products"], data["order_lines"]
    joined = lines.join(products, "product_id", right_suffix="_p")
    assert joined.num_rows == lines.num_rows > products.num_rows
    assert pc.all(pc.equal(joined["unit_price"], joined["price"])).as_py()
    assert pc.min(lines["unit_price"]).as_py() >= 1
    assert pc.max(lines["unit_price"]).as_py() <= 500
    prices = products["price"].cast("double")
    assert pc.min(prices).as_py() >= 1
    assert pc.max(prices).as_py() <= 500
    assert pc.approximate_median(prices).as_py() < 100  # log-normal, not uniform (~250)


def test_a_check_the_source_could_break_keeps_the_columns_own_range():
    ddl = CHECKED.format(product_low=1, product_high=900)
    exp = import_ddl(ddl, dialect=Dialect.REDSHIFT, name="shop")
    rule = exp.table("order_lines").column("unit_price").rule
    assert (rule.kind, rule.source, rule.min, rule.max) == (RuleKind.DISTRIBUTION,
                                                            RuleSource.DDL, 1, 500)  # fmt: skip
    lines = generate(exp, seed=5, chunk_rows=3_000)["order_lines"]
    assert pc.max(lines["unit_price"]).as_py() <= 500


def test_a_check_the_source_keeps_lets_the_lookup_in():
    exp = import_ddl(CHECKED.format(product_low=5, product_high=400), dialect=Dialect.REDSHIFT,
                     name="shop")  # fmt: skip
    assert exp.table("order_lines").column("unit_price").rule.kind == RuleKind.LOOKUP
