"""Keys are informational, as in Redshift: PRIMARY KEY, UNIQUE and FOREIGN KEY never stop a COPY
or an insert (only NOT NULL does), and information_schema's key views report them."""

import uuid

import psycopg2
import psycopg2.errors
import pytest

from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.s3 import S3Server

ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwsim'"


@pytest.fixture
def cur(redshift_emulator: RedshiftEmulator):
    schema = f"keys_{uuid.uuid4().hex[:8]}"
    conn = psycopg2.connect(redshift_emulator.dsn)
    conn.autocommit = True
    cursor = conn.cursor()
    cursor.execute(f"CREATE SCHEMA {schema}")
    cursor.execute(f"SET search_path TO {schema}")
    cursor.execute(
        "CREATE TABLE customers (id integer PRIMARY KEY, email varchar(50) UNIQUE, "
        "name varchar(50)) DISTSTYLE KEY DISTKEY (id) SORTKEY (id)"
    )
    cursor.execute(
        "CREATE TABLE orders (id bigint, customer_id integer REFERENCES customers (id), "
        "CONSTRAINT orders_pk PRIMARY KEY (id))"
    )
    yield cursor
    cursor.execute(f"DROP SCHEMA {schema} CASCADE")
    conn.close()


def _rows(cur, sql: str) -> list[tuple]:
    cur.execute(sql)
    return cur.fetchall()


def _schema(cur) -> str:
    return _rows(cur, "SELECT current_schema()")[0][0]


def test_copy_of_duplicate_keys_loads_twice(cur, s3_server: S3Server, s3_bucket: str):
    key = f"keys/{uuid.uuid4().hex[:8]}/customers.csv"
    s3_server.client().put_object(
        Bucket=s3_bucket, Key=key, Body=b"1,a@x.io,ann\n2,b@x.io,bob\n2,b@x.io,bob again\n"
    )
    copy = f"COPY customers FROM 's3://{s3_bucket}/{key}' {ROLE} CSV"
    cur.execute(copy)
    cur.execute(copy)  # the same file again, as a second load of a loaded table
    cur.execute("INSERT INTO customers VALUES (1, 'a@x.io', 'ann twice')")
    assert _rows(cur, "SELECT count(*), count(DISTINCT id) FROM customers") == [(7, 2)]


def test_orphan_rows_insert_into_the_child(cur):
    cur.execute("INSERT INTO orders VALUES (10, 999), (10, NULL)")  # no such customer; id twice
    cur.execute("TRUNCATE customers")  # a referenced table empties as any other
    assert _rows(cur, "SELECT count(*) FROM orders") == [(2,)]


def test_primary_key_columns_stay_not_null(cur):
    with pytest.raises(psycopg2.errors.NotNullViolation):
        cur.execute("INSERT INTO customers VALUES (NULL, 'c@x.io', 'nobody')")


def test_information_schema_reports_the_keys(cur):
    schema = _schema(cur)
    assert _rows(
        cur,
        "SELECT table_name, constraint_name, constraint_type FROM "
        f"information_schema.table_constraints WHERE table_schema = '{schema}' ORDER BY 1, 2",
    ) == [
        ("customers", "customers_email_key", "UNIQUE"),
        ("customers", "customers_pkey", "PRIMARY KEY"),
        ("orders", "orders_customer_id_fkey", "FOREIGN KEY"),
        ("orders", "orders_pk", "PRIMARY KEY"),
    ]
    assert _rows(
        cur,
        "SELECT constraint_name, column_name, ordinal_position FROM "
        f"information_schema.key_column_usage WHERE table_schema = '{schema}' "
        "AND table_name = 'orders' ORDER BY 1",
    ) == [("orders_customer_id_fkey", "customer_id", 1), ("orders_pk", "id", 1)]
    assert _rows(
        cur,
        "SELECT r.constraint_name, r.unique_constraint_name, u.table_name, u.column_name "
        "FROM information_schema.referential_constraints r "
        "JOIN information_schema.constraint_column_usage u "
        "ON u.constraint_name = r.constraint_name AND u.constraint_schema = r.constraint_schema "
        f"WHERE r.constraint_schema = '{schema}'",
    ) == [("orders_customer_id_fkey", "customers_pkey", "customers", "id")]


def test_keys_leave_the_table_layout_as_declared(cur):
    assert _rows(
        cur,
        f"SELECT diststyle, sortkey1 FROM svv_table_info WHERE \"table\" = 'customers' "
        f"AND schema = '{_schema(cur)}'",
    ) == [("KEY(id)", "id")]


def test_keys_added_and_dropped_by_alter_table(cur):
    schema = _schema(cur)
    cur.execute("CREATE TABLE lines (order_id bigint, line smallint)")
    cur.execute("ALTER TABLE lines ADD CONSTRAINT lines_pk PRIMARY KEY (order_id, line)")
    cur.execute("ALTER TABLE lines ADD FOREIGN KEY (order_id) REFERENCES orders")
    cur.execute("ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey")
    cur.execute("INSERT INTO lines VALUES (5, 1), (5, 1)")
    assert _rows(
        cur,
        "SELECT constraint_name, column_name, ordinal_position FROM "
        f"information_schema.key_column_usage WHERE table_schema = '{schema}' "
        "AND table_name = 'lines' ORDER BY 1, 3",
    ) == [
        ("lines_order_id_fkey", "order_id", 1),
        ("lines_pk", "order_id", 1),
        ("lines_pk", "line", 2),
    ]
    with pytest.raises(psycopg2.errors.UndefinedObject, match="orders_customer_id_fkey"):
        cur.execute("ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey")


def test_a_dropped_table_loses_its_keys_and_the_keys_to_it(cur):
    cur.execute("DROP TABLE customers")
    assert _rows(
        cur,
        "SELECT table_name, constraint_type FROM information_schema.table_constraints "
        f"WHERE table_schema = '{_schema(cur)}'",
    ) == [("orders", "PRIMARY KEY")]


def test_a_foreign_key_to_a_missing_table_is_refused(cur):
    with pytest.raises(psycopg2.errors.UndefinedTable, match="nosuch"):
        cur.execute("CREATE TABLE bad (id integer REFERENCES nosuch (id))")


def test_pg_constraint_and_its_definitions_report_the_keys(cur):
    rows = _rows(
        cur,
        "SELECT c.conname, c.contype, pg_catalog.pg_get_constraintdef(c.oid, true) "
        "FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace "
        f"WHERE n.nspname = '{_schema(cur)}' ORDER BY 1",
    )
    assert [(name, kind) for name, kind, _ in rows] == [
        ("customers_email_key", "u"),
        ("customers_pkey", "p"),
        ("orders_customer_id_fkey", "f"),
        ("orders_pk", "p"),
    ]
    assert rows[2][2].startswith("FOREIGN KEY (customer_id) REFERENCES ")
    assert rows[2][2].endswith("customers(id)")
