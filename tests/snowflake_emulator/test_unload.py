"""COPY INTO <location>: unload to S3 as Parquet or CSV; PUT to an internal stage; GET refused."""

import gzip
import io

import pyarrow.parquet as pq
import pytest
from snowflake.connector.errors import ProgrammingError


@pytest.fixture
def orders(snowflake_conn, s3_bucket):
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE orders (id INT, note VARCHAR, placed TIMESTAMP_NTZ, paid BOOLEAN)")
    cur.execute(
        "INSERT INTO orders VALUES (1, 'a,b', '2024-03-05 10:11:12', true), "
        "(2, NULL, '2024-03-06 00:00:00', false), (3, 'c', NULL, NULL)"
    )
    cur.execute(f"CREATE STAGE out_stage URL = 's3://{s3_bucket}/out/'")
    return cur


def _object(s3_server, bucket: str, key: str) -> bytes:
    return s3_server.client().get_object(Bucket=bucket, Key=key)["Body"].read()


def test_unload_a_query_to_parquet_on_a_stage(orders, s3_server, s3_bucket):
    result = orders.execute(
        "COPY INTO @out_stage/q/ FROM (SELECT id, note FROM orders WHERE id < 3 ORDER BY id) "
        "FILE_FORMAT = (TYPE = PARQUET) HEADER = TRUE"
    ).fetchall()

    assert [d.name for d in orders.description] == ["rows_unloaded", "input_bytes", "output_bytes"]
    assert result[0][0] == 2
    table = pq.read_table(
        io.BytesIO(_object(s3_server, s3_bucket, "out/q/data_0_0_0.snappy.parquet"))
    )
    assert table.column_names == ["ID", "NOTE"]
    assert table.to_pylist() == [{"ID": 1, "NOTE": "a,b"}, {"ID": 2, "NOTE": None}]


def test_parquet_columns_are_generic_without_header(orders, s3_server, s3_bucket):
    orders.execute(
        f"COPY INTO 's3://{s3_bucket}/plain/' FROM orders FILE_FORMAT = (TYPE = PARQUET)"
    )
    table = pq.read_table(
        io.BytesIO(_object(s3_server, s3_bucket, "plain/data_0_0_0.snappy.parquet"))
    )
    assert table.column_names == ["_COL_0", "_COL_1", "_COL_2", "_COL_3"]
    assert table.num_rows == 3


def test_unload_csv_gzipped_with_snowflake_text_and_nulls(orders, s3_server, s3_bucket):
    orders.execute(
        "COPY INTO @out_stage/csv/orders FROM (SELECT * FROM orders ORDER BY id) "
        "FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '\"') HEADER = TRUE"
    )
    text = gzip.decompress(_object(s3_server, s3_bucket, "out/csv/orders_0_0_0.csv.gz")).decode()
    assert text.splitlines() == [
        "ID,NOTE,PLACED,PAID",
        '1,"a,b",2024-03-05 10:11:12.000,true',
        "2,\\N,2024-03-06 00:00:00.000,false",
        "3,c,\\N,\\N",
    ]


def test_existing_files_need_overwrite_and_detailed_output_names_the_file(
    orders, s3_server, s3_bucket
):
    unload = "COPY INTO @out_stage/again/ FROM orders FILE_FORMAT = (TYPE = CSV COMPRESSION = NONE)"
    orders.execute(unload)
    with pytest.raises(ProgrammingError, match="Files already existing at the unload destination"):
        orders.execute(unload)
    orders.execute("DELETE FROM orders WHERE id > 1")

    result = orders.execute(unload + " OVERWRITE = TRUE DETAILED_OUTPUT = TRUE").fetchall()

    url = f"s3://{s3_bucket}/out/again/data_0_0_0.csv"
    assert [d.name for d in orders.description] == ["FILE_NAME", "FILE_SIZE", "ROW_COUNT"]
    assert result[0][0] == url
    assert result[0][2] == 1
    assert _object(s3_server, s3_bucket, "out/again/data_0_0_0.csv").decode().count("\n") == 1


def test_unloaded_files_load_back(orders):
    orders.execute(
        "COPY INTO @out_stage/round/ FROM orders FILE_FORMAT = (TYPE = PARQUET) HEADER = TRUE"
    )
    orders.execute("CREATE TABLE orders_copy LIKE orders")
    orders.execute(
        "COPY INTO orders_copy FROM @out_stage/round/ FILE_FORMAT = (TYPE = PARQUET) "
        "MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE"
    )
    same = "SELECT * FROM orders EXCEPT SELECT * FROM orders_copy"
    assert orders.execute(same).fetchall() == []
    assert orders.execute("SELECT count(*) FROM orders_copy").fetchall() == [(3,)]


def test_unsupported_unload_options_are_refused(orders, s3_bucket):
    with pytest.raises(
        ProgrammingError, match=r"PARTITION.*not supported by the Snowflake emulator"
    ):
        orders.execute(f"COPY INTO 's3://{s3_bucket}/p/' FROM orders PARTITION BY (id)")


def test_put_uploads_into_the_emulators_stage_folder(snowflake_conn, snowflake_emulator, tmp_path):
    source = tmp_path / "rows.csv"
    source.write_text("7,seven\n8,eight\n")
    cur = snowflake_conn.cursor()
    cur.execute("CREATE STAGE inbox")
    cur.execute(f"PUT file://{source} @inbox/in")
    cur.execute("CREATE TABLE t (id INT, label VARCHAR)")

    loaded = cur.execute("COPY INTO t FROM @inbox/in/").fetchall()

    assert [r[:2] for r in loaded] == [("inbox/in/rows.csv.gz", "LOADED")]
    assert cur.execute("SELECT * FROM t ORDER BY id").fetchall() == [(7, "seven"), (8, "eight")]
    stored = list((snowflake_emulator.data_dir / "stages").rglob("rows.csv.gz"))
    assert len(stored) == 1


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param("GET @inbox file:///tmp/", id="get"),
        pytest.param("GET '@inbox/in/' 'file:///tmp/x/'", id="get-quoted"),
    ],
)
def test_get_is_refused_as_an_emulator_limit(snowflake_conn, sql):
    cur = snowflake_conn.cursor()
    cur.execute("CREATE STAGE inbox")
    with pytest.raises(ProgrammingError) as err:
        cur.execute(sql)
    assert err.value.errno == 2
    assert "not supported by the Snowflake emulator (an emulator limit" in str(err.value)
