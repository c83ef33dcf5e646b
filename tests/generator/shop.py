"""A shop imported from DDL with no rules written by hand, and its data loaded into SQLite,
so the derived-column and time-order tests check with SQL joins what a user would."""

import sqlite3
from datetime import UTC, datetime

import pyarrow as pa

from dwsim_shared.contracts.enums import Dialect
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.ddl import import_ddl
from dwsim_shared.ddl.inference import INFERENCE_ANCHOR
from tests.generator.helpers import plain

SHOP_DDL = """
CREATE TABLE customers (
  customer_id INTEGER PRIMARY KEY,
  first_name VARCHAR(40) NOT NULL,
  last_name VARCHAR(40) NOT NULL,
  full_name VARCHAR(90),
  email VARCHAR(120) NOT NULL UNIQUE,
  signed_up_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP
);
CREATE TABLE products (
  product_id INTEGER PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  price DECIMAL(10,2) NOT NULL
);
CREATE TABLE orders (
  order_id BIGINT PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(customer_id),
  ordered_at TIMESTAMP NOT NULL,
  shipped_at TIMESTAMP,
  total DECIMAL(12,2) NOT NULL,
  item_count INTEGER NOT NULL
);
CREATE TABLE order_lines (
  order_id BIGINT NOT NULL REFERENCES orders(order_id),
  line_no SMALLINT NOT NULL,
  product_id INTEGER NOT NULL REFERENCES products(product_id),
  quantity INTEGER NOT NULL,
  unit_price DECIMAL(10,2) NOT NULL,
  line_total DECIMAL(12,2) NOT NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (order_id, line_no)
);
CREATE TABLE shipments (
  shipment_id INTEGER PRIMARY KEY,
  order_id BIGINT NOT NULL REFERENCES orders(order_id),
  shipped_at TIMESTAMP NOT NULL,
  delivered_at DATE
);
CREATE TABLE payments (
  payment_id INTEGER PRIMARY KEY,
  order_id BIGINT NOT NULL REFERENCES orders(order_id),
  amount DECIMAL(12,2) NOT NULL,
  paid_at TIMESTAMP NOT NULL
);
"""
# The last moment any inferred date may take: the end of the reference day.
END_OF_ANCHOR_US = int(
    datetime(*INFERENCE_ANCHOR.timetuple()[:3], 23, 59, 59, tzinfo=UTC).timestamp() * 1e6
)


def shop() -> Experiment:
    return import_ddl(SHOP_DDL, dialect=Dialect.POSTGRES, name="shop")


def _python(field: pa.Field, column: pa.ChunkedArray) -> list:
    """Values SQLite compares exactly: decimals as integers of their smallest unit (cents),
    timestamps as microseconds and dates as days since the epoch."""
    if pa.types.is_decimal(field.type):
        return [None if v is None else int(v.scaleb(field.type.scale)) for v in column.to_pylist()]
    if pa.types.is_timestamp(field.type):
        return column.cast(pa.int64()).to_pylist()
    if pa.types.is_date32(field.type):
        return column.cast(pa.int32()).to_pylist()
    return column.to_pylist()


def to_sqlite(data: dict[str, pa.Table]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    for name, table in data.items():
        table = plain(table)
        columns = [_python(f, c) for f, c in zip(table.schema, table.columns, strict=True)]
        names = ", ".join(f'"{n}"' for n in table.column_names)
        db.execute(f'CREATE TABLE "{name}" ({names})')
        marks = ", ".join("?" * len(columns))
        db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', zip(*columns, strict=True))
    return db


def scalar(db: sqlite3.Connection, sql: str):  # type: ignore[no-untyped-def]
    return db.execute(sql).fetchone()[0]
