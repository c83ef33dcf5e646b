"""COPY INTO on the Snowflake emulator, reading staged files from moto's S3 server."""

import gzip

import pytest
from snowflake.connector.errors import ProgrammingError

from tests.snowflake_emulator.staging import (
    CREDENTIALS,
    CUSTOMERS_DDL,
    PARQUET,
    RESULT_COLUMNS,
    customers,
    put_parquet,
    put_text,
)


def _stage_customers(s3, bucket: str, prefix: str, files: int = 3, rows: int = 10) -> list[str]:
    return [
        put_parquet(s3, bucket, f"{prefix}/part-{i:05d}.parquet", customers(i * rows, rows))
        for i in range(files)
    ]


def _rows(cur, sql: str) -> list[tuple]:
    cur.execute(sql)
    return cur.fetchall()


def test_copy_parquet_from_prefix_reports_each_file(
    snowflake_conn, snowflake_emulator, s3_server, s3_bucket
):
    urls = _stage_customers(s3_server, s3_bucket, "runs/r1/customers")
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)

    cur.execute(
        f"COPY INTO customers FROM 's3://{s3_bucket}/runs/r1/customers/' {CREDENTIALS} {PARQUET}"
    )

    assert [d.name for d in cur.description] == RESULT_COLUMNS
    assert sorted(cur.fetchall()) == [
        (url, "LOADED", 10, 10, 1, 0, None, None, None, None) for url in urls
    ]
    assert _rows(cur, "SELECT count(*), sum(id), min(name), max(balance) FROM customers") == [
        (30, sum(range(30)), "customer 0", 29 * 1.5)
    ]
    # the files were read from a local spool, emptied once the statement ended
    spool = snowflake_emulator.data_dir / ".spool"
    assert spool.is_dir()
    assert list(spool.rglob("*.parquet")) == []


def test_copy_from_named_stage_with_path(snowflake_conn, s3_server, s3_bucket):
    _stage_customers(s3_server, s3_bucket, "runs/r2/customers", files=2)
    _stage_customers(s3_server, s3_bucket, "runs/r2/other", files=1)
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)
    cur.execute(f"CREATE STAGE dwsim_stage URL='s3://{s3_bucket}/runs/' {CREDENTIALS}")

    result = _rows(cur, f"COPY INTO customers FROM @dwsim_stage/r2/customers/ {PARQUET}")

    assert [(r[1], r[3]) for r in result] == [("LOADED", 10), ("LOADED", 10)]
    assert _rows(cur, "SELECT count(*) FROM customers") == [(20,)]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("'s3://{bucket}/runs/r3/customers'", id="url-without-slash"),
        pytest.param("'s3://{bucket}/runs/r3/customers/'", id="url"),
        pytest.param("@files_stage/customers", id="stage-path"),
    ],
)
def test_copy_only_the_listed_files(snowflake_conn, s3_server, s3_bucket, source):
    urls = _stage_customers(s3_server, s3_bucket, "runs/r3/customers", files=3)
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)
    cur.execute(f"CREATE STAGE files_stage URL='s3://{s3_bucket}/runs/r3/'")

    result = _rows(
        cur,
        f"COPY INTO customers FROM {source.format(bucket=s3_bucket)} "
        f"FILES=('part-00000.parquet', 'part-00002.parquet') {PARQUET}",
    )

    assert [(r[0], r[1], r[3]) for r in result] == [
        (urls[0], "LOADED", 10),
        (urls[2], "LOADED", 10),
    ]
    assert _rows(cur, "SELECT min(id), max(id), count(*) FROM customers") == [(0, 29, 20)]


def test_copy_csv_with_header_and_delimiter(snowflake_conn, s3_server, s3_bucket):
    url = put_text(
        s3_server,
        s3_bucket,
        "csv/customers.csv",
        "id|name|balance\n1|Ann|10.5\n2||20\n3|Bo|\n",
    )
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)

    result = _rows(
        cur,
        f"COPY INTO customers FROM 's3://{s3_bucket}/csv/' "
        "FILE_FORMAT=(TYPE=CSV SKIP_HEADER=1 FIELD_DELIMITER='|')",
    )

    assert result == [(url, "LOADED", 3, 3, 1, 0, None, None, None, None)]
    assert _rows(cur, "SELECT id, name, balance FROM customers ORDER BY id") == [
        (1, "Ann", 10.5),
        (2, None, 20.0),
        (3, "Bo", None),
    ]


def test_reload_skips_loaded_files_unless_forced(snowflake_conn, s3_server, s3_bucket):
    _stage_customers(s3_server, s3_bucket, "runs/r4/customers", files=2)
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)
    copy = f"COPY INTO customers FROM 's3://{s3_bucket}/runs/r4/customers/' {PARQUET}"
    cur.execute(copy)

    again = _rows(cur, copy)
    forced = _rows(cur, copy + " FORCE=TRUE")

    assert [r[1] for r in again] == ["LOAD_SKIPPED", "LOAD_SKIPPED"]
    assert [r[1] for r in forced] == ["LOADED", "LOADED"]
    assert _rows(cur, "SELECT count(*) FROM customers") == [(40,)]


def test_files_staged_after_a_load_are_seen_by_the_next(snowflake_conn, s3_server, s3_bucket):
    """The emulator runs for hours: S3 listings must not be cached between statements."""
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)
    copy = f"COPY INTO customers FROM 's3://{s3_bucket}/runs/r5/customers/' {PARQUET}"
    put_parquet(s3_server, s3_bucket, "runs/r5/customers/part-00000.parquet", customers(0, 5))
    cur.execute(copy)

    late = put_parquet(
        s3_server, s3_bucket, "runs/r5/customers/part-00001.parquet", customers(5, 7)
    )
    result = _rows(cur, copy)

    assert [(r[0], r[1], r[3]) for r in result if r[1] == "LOADED"] == [(late, "LOADED", 7)]
    assert _rows(cur, "SELECT count(*) FROM customers") == [(12,)]


def test_failed_copy_loads_nothing_and_names_the_file(snowflake_conn, s3_server, s3_bucket):
    put_text(s3_server, s3_bucket, "bad/a.csv", "1,Ann,1.0\n2,Bo,2.0\n")
    bad = put_text(s3_server, s3_bucket, "bad/b.csv", "3,Cy,3.0\nfour,Di,4.0\n")
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)

    with pytest.raises(ProgrammingError) as err:
        cur.execute(f"COPY INTO customers FROM 's3://{s3_bucket}/bad/' FILE_FORMAT=(TYPE=CSV)")

    message = str(err.value)
    assert bad in message
    assert "CUSTOMERS" in message.upper()
    assert "four" in message
    assert _rows(cur, "SELECT count(*) FROM customers") == [(0,)]


def test_missing_listed_file_is_named(snowflake_conn, s3_server, s3_bucket):
    _stage_customers(s3_server, s3_bucket, "runs/r6/customers", files=1)
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)

    with pytest.raises(ProgrammingError, match=r"part-00009\.parquet' was not found"):
        cur.execute(
            f"COPY INTO customers FROM 's3://{s3_bucket}/runs/r6/customers/' "
            f"FILES=('part-00000.parquet', 'part-00009.parquet') {PARQUET}"
        )
    assert _rows(cur, "SELECT count(*) FROM customers") == [(0,)]


def test_copy_into_missing_table_is_named(snowflake_conn, s3_bucket):
    with pytest.raises(ProgrammingError, match="NO_SUCH_TABLE"):
        snowflake_conn.cursor().execute(
            f"COPY INTO no_such_table FROM 's3://{s3_bucket}/x/' {PARQUET}"
        )


@pytest.mark.parametrize(
    ("option", "named"),
    [
        pytest.param("SIZE_LIMIT=1000", "SIZE_LIMIT is not supported", id="unknown"),
        pytest.param("TRUNCATECOLUMNS=TRUE", "TRUNCATECOLUMNS is not supported", id="truncate"),
    ],
)
def test_unsupported_option_fails_at_once_with_its_name(snowflake_conn, s3_bucket, option, named):
    """fakesnow answered the first with HTTP 500, which the connector retries for a minute."""
    snowflake_conn.cursor().execute(CUSTOMERS_DDL)
    with pytest.raises(ProgrammingError, match=named) as err:
        snowflake_conn.cursor().execute(
            f"COPY INTO customers FROM 's3://{s3_bucket}/x/' {PARQUET} {option}"
        )
    assert "fakesnow/issues" not in str(err.value)


@pytest.mark.parametrize(
    ("pattern", "loaded"),
    [
        pytest.param(".*part-0000[02][.]parquet", [0, 2], id="any-prefix"),
        pytest.param("runs/r9/customers/part-00001[.]parquet", [1], id="whole-key"),
        pytest.param("part-00001[.]parquet", [], id="anchored"),
    ],
)
def test_pattern_selects_files_by_regex_on_the_whole_path(
    snowflake_conn, s3_server, s3_bucket, pattern, loaded
):
    urls = _stage_customers(s3_server, s3_bucket, "runs/r9/customers", files=3)
    put_text(s3_server, s3_bucket, "runs/r9/customers/_SUCCESS", "")
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)

    result = _rows(
        cur,
        f"COPY INTO customers FROM 's3://{s3_bucket}/runs/r9/' {PARQUET} PATTERN='{pattern}'",
    )

    if not loaded:
        assert result == [("Copy executed with 0 files processed.",)]
    assert sorted(r[0] for r in result if r[1:2] == ("LOADED",)) == [urls[i] for i in loaded]
    assert _rows(cur, "SELECT count(*) FROM customers") == [(10 * len(loaded),)]


def test_truncate_lets_the_same_files_load_again(snowflake_conn, s3_server, s3_bucket):
    """A reset (TRUNCATE) then a reload of the same run must load the rows again."""
    _stage_customers(s3_server, s3_bucket, "runs/r7/customers", files=2)
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)
    copy = f"COPY INTO customers FROM 's3://{s3_bucket}/runs/r7/customers/' {PARQUET}"
    cur.execute(copy)
    cur.execute("DELETE FROM customers")
    assert [r[1] for r in _rows(cur, copy)] == ["LOAD_SKIPPED", "LOAD_SKIPPED"]

    cur.execute("TRUNCATE TABLE customers")

    assert [r[1] for r in _rows(cur, copy)] == ["LOADED", "LOADED"]
    assert _rows(cur, "SELECT count(*) FROM customers") == [(20,)]


def test_copy_inside_a_client_transaction_rolls_back_with_it(snowflake_conn, s3_server, s3_bucket):
    _stage_customers(s3_server, s3_bucket, "runs/r8/customers", files=2)
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)

    cur.execute("BEGIN")
    loaded = _rows(cur, f"COPY INTO customers FROM 's3://{s3_bucket}/runs/r8/customers/' {PARQUET}")
    assert _rows(cur, "SELECT count(*) FROM customers") == [(20,)]
    cur.execute("ROLLBACK")

    assert [r[1] for r in loaded] == ["LOADED", "LOADED"]
    assert _rows(cur, "SELECT count(*) FROM customers") == [(0,)]


def test_location_is_a_key_prefix_listed_at_any_depth(snowflake_conn, s3_server, s3_bucket):
    nested = _stage_customers(s3_server, s3_bucket, "runs/r10/customers/2024/01", files=2)
    beside = put_parquet(s3_server, s3_bucket, "runs/r10/customers_extra.parquet", customers(90, 5))
    _stage_customers(s3_server, s3_bucket, "runs/r10/orders", files=1)
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)

    result = _rows(cur, f"COPY INTO customers FROM 's3://{s3_bucket}/runs/r10/customers' {PARQUET}")

    assert sorted(r[0] for r in result) == sorted([*nested, beside])
    assert _rows(cur, "SELECT count(*) FROM customers") == [(25,)]


def test_copy_into_a_table_of_another_database(snowflake_conn, s3_server, s3_bucket):
    """Load history goes to the target's database: one transaction cannot write two."""
    _stage_customers(s3_server, s3_bucket, "runs/r11/customers", files=2)
    cur = snowflake_conn.cursor()
    cur.execute("CREATE DATABASE other_db")
    try:
        cur.execute(CUSTOMERS_DDL.replace("customers", "other_db.public.customers"))
        copy = (
            f"COPY INTO other_db.public.customers "
            f"FROM 's3://{s3_bucket}/runs/r11/customers/' {PARQUET}"
        )
        assert [r[1] for r in _rows(cur, copy)] == ["LOADED", "LOADED"]
        assert [r[1] for r in _rows(cur, copy)] == ["LOAD_SKIPPED", "LOAD_SKIPPED"]
        cur.execute("TRUNCATE TABLE other_db.public.customers")
        assert [r[1] for r in _rows(cur, copy)] == ["LOADED", "LOADED"]
        assert _rows(cur, "SELECT count(*) FROM other_db.public.customers") == [(20,)]
    finally:
        cur.execute("DROP DATABASE other_db")


def test_copy_gzipped_csv_with_quoted_fields_and_null_markers(snowflake_conn, s3_server, s3_bucket):
    body = gzip.compress(b'1,"Smith, Ann",10.5\n2,NULL,\\N\n3,"Bo ""B"" Li",7\n')
    s3_server.client().put_object(Bucket=s3_bucket, Key="gz/customers.csv.gz", Body=body)
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)

    result = _rows(
        cur,
        f"COPY INTO customers FROM 's3://{s3_bucket}/gz/' FILE_FORMAT=(TYPE=CSV "
        "FIELD_OPTIONALLY_ENCLOSED_BY='\"' NULL_IF=('NULL', '\\\\N') COMPRESSION=AUTO)",
    )

    assert [r[1:4] for r in result] == [("LOADED", 3, 3)]
    assert _rows(cur, "SELECT id, name, balance FROM customers ORDER BY id") == [
        (1, "Smith, Ann", 10.5),
        (2, None, None),
        (3, 'Bo "B" Li', 7.0),
    ]
