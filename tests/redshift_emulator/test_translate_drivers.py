"""Driver metadata calls through the emulator: redshift_connector's get_schemas/get_tables/
get_columns read SVV_* views, SHOW commands list the same objects."""

import uuid
from datetime import datetime

import pytest

redshift_connector = pytest.importorskip("redshift_connector")
psycopg2 = pytest.importorskip("psycopg2")


@pytest.fixture
def schema(redshift_emulator):
    name = f"drv_{uuid.uuid4().hex[:8]}"
    conn = psycopg2.connect(redshift_emulator.dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"create schema {name}")
        cur.execute(
            f"create table {name}.orders (id int encode az64, note varchar(max), "
            "amount decimal(10,2) not null) diststyle even sortkey(id)"
        )
        cur.execute(f"create view {name}.big_orders as select id from {name}.orders")
    yield name
    with conn.cursor() as cur:
        cur.execute(f"drop schema {name} cascade")
    conn.close()


def test_redshift_connector_metadata_api(redshift_emulator, schema: str) -> None:
    conn = redshift_connector.connect(**redshift_emulator.connect_kwargs())
    try:
        cur = conn.cursor()
        schemas = [row[0] for row in cur.get_schemas(schema_pattern=schema)]
        tables = {(row[2], row[3]) for row in cur.get_tables(schema_pattern=schema)}
        columns = [
            (row[3], row[5])
            for row in cur.get_columns(schema_pattern=schema, tablename_pattern="orders")
        ]
    finally:
        conn.close()
    assert schemas == [schema]
    assert tables == {("orders", "TABLE"), ("big_orders", "VIEW")}
    assert columns == [("id", "int4"), ("note", "varchar"), ("amount", "numeric")]


def test_show_commands(redshift_emulator, schema: str) -> None:
    with psycopg2.connect(redshift_emulator.dsn) as conn, conn.cursor() as cur:
        cur.execute(f"show tables from schema dev.{schema}")
        tables = [(row[2], row[3]) for row in cur.fetchall()]
        cur.execute(f"show columns from table dev.{schema}.orders like 'a%'")
        columns = [(row[3], row[7]) for row in cur.fetchall()]
        cur.execute(f"show schemas from database dev like '{schema}'")
        schemas = [row[1] for row in cur.fetchall()]
    assert tables == [("big_orders", "VIEW"), ("orders", "TABLE")]
    assert columns == [("amount", "numeric(10,2)")]
    assert schemas == [schema]


def test_bound_parameters_in_date_functions(redshift_emulator) -> None:
    """redshift_connector binds Python strings untyped ($1...): Redshift reads them as
    timestamps in DATEADD/DATEDIFF, and DATEADD returns a TIMESTAMP (no time zone)."""
    conn = redshift_connector.connect(**redshift_emulator.connect_kwargs())
    try:
        cur = conn.cursor()
        cur.execute(
            "select datediff(day, %s, %s), dateadd(month, %s, %s)",
            ("2020-01-01", "2020-01-05", 1, "2020-01-31"),
        )
        row = cur.fetchone()
    finally:
        conn.close()
    assert list(row) == [4, datetime(2020, 2, 29)]
