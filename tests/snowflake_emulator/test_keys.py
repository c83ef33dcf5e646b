"""Keys are metadata, as in Snowflake: PRIMARY KEY, UNIQUE and FOREIGN KEY never stop a load or
an insert (only NOT NULL does), and SHOW ... KEYS, INFORMATION_SCHEMA and DESCRIBE report them."""

import pytest
from snowflake.connector.errors import IntegrityError

from tests.snowflake_emulator.staging import PARQUET, customers, put_parquet

PARENT = (
    "CREATE TABLE customers (id NUMBER(10,0) PRIMARY KEY, name VARCHAR(100) UNIQUE, balance FLOAT)"
)
# the FK column's type differs from the key's (NUMBER(38,0) vs NUMBER(10,0)): Snowflake allows it
CHILD = (
    "CREATE TABLE orders (id INTEGER, customer_id NUMBER(38,0), "
    "CONSTRAINT pk_orders PRIMARY KEY (id), "
    "CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id))"
)


def _rows(cur, sql: str) -> list[tuple]:
    cur.execute(sql)
    return cur.fetchall()


@pytest.fixture
def keyed(snowflake_conn):
    cur = snowflake_conn.cursor()
    cur.execute(PARENT)
    cur.execute(CHILD)
    return cur


def test_duplicate_keys_load_twice_and_insert(keyed, s3_server, s3_bucket):
    put_parquet(s3_server, s3_bucket, "keys/customers/part-00000.parquet", customers(0, 5))
    copy = f"COPY INTO customers FROM 's3://{s3_bucket}/keys/customers/' {PARQUET}"
    keyed.execute(copy)
    keyed.execute(copy + " FORCE=TRUE")  # the same rows again: every key twice
    keyed.execute("INSERT INTO customers VALUES (1, 'customer 1', 0)")
    assert _rows(keyed, "SELECT count(*), count(DISTINCT id) FROM customers") == [(11, 5)]


def test_orphan_rows_insert_into_the_child(keyed):
    keyed.execute("INSERT INTO orders VALUES (1, 999), (1, 998)")  # no such customer; id twice
    assert _rows(keyed, "SELECT count(*) FROM orders") == [(2,)]


def test_primary_key_columns_stay_not_null(keyed):
    """Snowflake's error (the connector raises IntegrityError for its code 100072)."""
    with pytest.raises(IntegrityError, match="NULL result in a non-nullable column"):
        keyed.execute("INSERT INTO customers VALUES (NULL, 'nobody', 0)")


def test_show_keys_report_the_declared_keys(keyed, snowflake_conn):
    database = snowflake_conn.database
    primary = _rows(keyed, "SHOW PRIMARY KEYS IN SCHEMA PUBLIC")
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in primary] == [
        (database, "PUBLIC", "CUSTOMERS", "ID", 1),
        (database, "PUBLIC", "ORDERS", "ID", 1),
    ]
    assert primary[1][6] == "PK_ORDERS"
    assert [(r[3], r[4]) for r in _rows(keyed, "SHOW UNIQUE KEYS")] == [("CUSTOMERS", "NAME")]
    imported = _rows(keyed, "SHOW IMPORTED KEYS IN TABLE orders")
    assert [(r[3], r[4], r[7], r[8], r[12]) for r in imported] == [
        ("CUSTOMERS", "ID", "ORDERS", "CUSTOMER_ID", "FK_ORDERS_CUSTOMER")
    ]
    assert imported[0][13] == primary[0][6]  # pk_name: the customers' primary key


def test_information_schema_and_describe_report_the_keys(keyed):
    assert _rows(
        keyed,
        "SELECT table_name, constraint_type, enforced FROM information_schema.table_constraints "
        "ORDER BY table_name, constraint_type",
    ) == [
        ("CUSTOMERS", "PRIMARY KEY", "NO"),
        ("CUSTOMERS", "UNIQUE", "NO"),
        ("ORDERS", "FOREIGN KEY", "NO"),
        ("ORDERS", "PRIMARY KEY", "NO"),
    ]
    assert _rows(
        keyed, "SELECT constraint_name FROM information_schema.referential_constraints"
    ) == [("FK_ORDERS_CUSTOMER",)]
    described = {r[0]: (r[3], r[5], r[6]) for r in _rows(keyed, "DESCRIBE TABLE customers")}
    assert described == {"ID": ("N", "Y", "N"), "NAME": ("Y", "N", "Y"), "BALANCE": ("Y", "N", "N")}


def test_keys_added_and_dropped_by_alter_table(keyed):
    keyed.execute("CREATE TABLE lines (order_id INTEGER, line INTEGER)")
    keyed.execute("ALTER TABLE lines ADD CONSTRAINT pk_lines PRIMARY KEY (order_id, line)")
    keyed.execute("ALTER TABLE lines ADD FOREIGN KEY (order_id) REFERENCES orders (id)")
    keyed.execute("ALTER TABLE orders DROP CONSTRAINT fk_orders_customer")
    keyed.execute("INSERT INTO lines VALUES (7, 1), (7, 1)")
    assert [(r[4], r[5]) for r in _rows(keyed, "SHOW PRIMARY KEYS IN TABLE lines")] == [
        ("ORDER_ID", 1),
        ("LINE", 2),
    ]
    assert [(r[3], r[7]) for r in _rows(keyed, "SHOW IMPORTED KEYS")] == [("ORDERS", "LINES")]


def test_a_dropped_or_replaced_table_loses_its_keys(keyed):
    keyed.execute("DROP TABLE orders")
    keyed.execute("CREATE OR REPLACE TABLE customers (id INTEGER, name VARCHAR(100))")
    assert _rows(keyed, "SHOW PRIMARY KEYS") == []
    assert _rows(keyed, "SELECT count(*) FROM information_schema.table_constraints") == [(0,)]
