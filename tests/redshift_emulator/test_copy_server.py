"""COPY/UNLOAD end to end: psycopg2 -> the emulator server -> PostgreSQL, with moto's S3."""

import datetime as dt
import uuid
from decimal import Decimal

import psycopg2
import pyarrow as pa
import pytest

from tests.fixtures.redshift import RedshiftEmulator
from tests.redshift_emulator.copy_helpers import Stage

ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwsim'"


@pytest.fixture
def conn(redshift_emulator: RedshiftEmulator):
    connection = psycopg2.connect(redshift_emulator.dsn)
    schema = f"c_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cur:
        cur.execute(f"CREATE SCHEMA {schema}")
        cur.execute(f"SET search_path TO {schema}")
    connection.commit()
    yield connection
    connection.rollback()
    with connection.cursor() as cur:
        cur.execute(f"DROP SCHEMA {schema} CASCADE")
    connection.commit()
    connection.close()


def test_parquet_load_through_the_server(conn, stage: Stage):
    stage.put_parquet(
        "orders/part-00000.parquet",
        pa.table(
            {
                "id": pa.array([1, 2], pa.int64()),
                "amount": pa.array([Decimal("10.25"), None], pa.decimal128(12, 2)),
                "day": pa.array([dt.date(2024, 5, 1), dt.date(2024, 5, 2)]),
                "note": ["first", None],
            }
        ),
    )
    with conn.cursor() as cur:
        cur.execute(
            "CREATE TABLE orders (id bigint, amount decimal(12,2), day date, note varchar(10))"
        )
        cur.execute(f"COPY orders FROM '{stage.url('orders/')}' {ROLE} FORMAT AS PARQUET")
        assert cur.rowcount == 2
        cur.execute("SELECT id, amount, day, note FROM orders ORDER BY id")
        assert cur.fetchall() == [
            (1, Decimal("10.25"), dt.date(2024, 5, 1), "first"),
            (2, None, dt.date(2024, 5, 2), None),
        ]
    conn.commit()


def test_bad_row_is_reported_like_redshift_and_kept_after_rollback(conn, stage: Stage):
    url = stage.put("bad/part-1.csv", "1,2024-01-01\n2,2024-02-30\n")
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE events (id int, day date)")
        conn.commit()
        with pytest.raises(psycopg2.Error) as info:
            cur.execute(f"COPY events FROM '{stage.url('bad/')}' {ROLE} CSV")
        assert info.value.pgerror.splitlines()[0].endswith(
            "Load into table 'events' failed.  Check 'stl_load_errors' system table for details."
        )
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT trim(filename), line_number, trim(colname), trim(raw_field_value), err_code "
            "FROM stl_load_errors WHERE trim(filename) = %s",
            (url,),
        )
        assert cur.fetchall() == [(url, 2, "day", "2024-02-30", 1205)]
        cur.execute("SELECT count(*) FROM events")
        assert cur.fetchone() == (0,)


def test_unload_parquet_then_copy_back_through_the_server(conn, stage: Stage):
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE src (id int, name varchar(20), ts timestamp)")
        cur.execute("INSERT INTO src VALUES (1, 'a''b', '2024-01-01 10:00:00'), (2, NULL, NULL)")
        cur.execute(
            f"UNLOAD ('select * from src where name <> ''x'' or name is null') TO '{stage.url('u/src_')}' {ROLE} FORMAT AS PARQUET"
        )
        assert stage.keys("u/") == ["u/src_0000_part_00.parquet"]
        with pytest.raises(psycopg2.Error, match="Specified unload destination on S3 is not empty"):
            cur.execute(
                f"UNLOAD ('select * from src') TO '{stage.url('u/src_')}' {ROLE} FORMAT AS PARQUET"
            )
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE dst (id int, name varchar(20), ts timestamp)")
        cur.execute(f"COPY dst FROM '{stage.url('u/src_')}' {ROLE} FORMAT AS PARQUET")
        cur.execute("SELECT * FROM dst ORDER BY id")
        assert cur.fetchall() == [(1, "a'b", dt.datetime(2024, 1, 1, 10)), (2, None, None)]
    conn.commit()
