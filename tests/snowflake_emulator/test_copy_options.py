"""COPY INTO as production writes it: named file formats and stages, ON_ERROR, VALIDATION_MODE,
MATCH_BY_COLUMN_NAME and semi-structured columns loaded from Parquet (moto's S3 server)."""

import pyarrow as pa
import pytest
from snowflake.connector.errors import ProgrammingError

from tests.snowflake_emulator.staging import RESULT_COLUMNS, put_parquet, put_text

GOOD = "id,name\n1,a\n2,b\n"
BAD = "id,name\n3,c\nx,d\n5,e\n"  # line 3 (data row 2) does not convert to INT


def _rows(cur, sql: str) -> list[tuple]:
    return cur.execute(sql).fetchall()


@pytest.fixture
def csv_stage(snowflake_conn, s3_server, s3_bucket):
    """A stage with a named CSV format (header line), a good and a bad file, table T."""
    urls = {
        "good": put_text(s3_server, s3_bucket, "in/good.csv", GOOD),
        "bad": put_text(s3_server, s3_bucket, "in/bad.csv", BAD),
    }
    cur = snowflake_conn.cursor()
    cur.execute("CREATE OR REPLACE FILE FORMAT csv_header TYPE = CSV SKIP_HEADER = 1")
    cur.execute(
        f"CREATE OR REPLACE STAGE landing URL = 's3://{s3_bucket}/in/' "
        "CREDENTIALS = (AWS_KEY_ID = 'test' AWS_SECRET_KEY = 'test') FILE_FORMAT = csv_header"
    )
    cur.execute("CREATE TABLE t (id INT NOT NULL, name VARCHAR)")
    return cur, urls


def test_format_name_unquoted_or_quoted_and_the_stage_format(csv_stage):
    cur, urls = csv_stage
    by_name = _rows(
        cur, "COPY INTO t FROM @landing/good.csv FILE_FORMAT = (FORMAT_NAME = csv_header)"
    )
    quoted = _rows(
        cur,
        "COPY INTO t FROM @landing/good.csv FILE_FORMAT = (FORMAT_NAME = 'csv_header') FORCE = TRUE",
    )
    from_stage = _rows(cur, "COPY INTO t FROM @landing/good.csv FORCE = TRUE")  # the stage's format

    for result in (by_name, quoted, from_stage):
        assert result == [(urls["good"], "LOADED", 2, 2, 1, 0, None, None, None, None)]
    assert _rows(cur, "SELECT id, name FROM t ORDER BY id, name") == [(1, "a")] * 3 + [(2, "b")] * 3


def test_abort_statement_names_file_line_character_and_column(csv_stage):
    cur, urls = csv_stage
    with pytest.raises(ProgrammingError) as err:
        cur.execute("COPY INTO t FROM @landing")
    message = str(err.value)
    assert err.value.errno == 100038
    assert "Numeric value 'x' is not recognized" in message
    assert f"File '{urls['bad']}', line 3, character 1" in message
    assert 'Row 2, column "T"["ID":1]' in message
    assert _rows(cur, "SELECT count(*) FROM t") == [(0,)]


def test_on_error_continue_loads_the_good_rows_and_reports_the_first_error(csv_stage):
    cur, urls = csv_stage
    result = _rows(cur, "COPY INTO t FROM @landing ON_ERROR = CONTINUE")

    assert [d.name for d in cur.description] == RESULT_COLUMNS
    assert sorted(result) == [
        (urls["bad"], "PARTIALLY_LOADED", 3, 2, 3, 1,
         "Numeric value 'x' is not recognized", 3, 1, '"T"["ID":1]'),
        (urls["good"], "LOADED", 2, 2, 2, 0, None, None, None, None),
    ]  # fmt: skip
    assert _rows(cur, "SELECT id FROM t ORDER BY id") == [(1,), (2,), (3,), (5,)]
    # a partially loaded file counts as loaded: the next COPY skips both files
    again = _rows(cur, "COPY INTO t FROM @landing ON_ERROR = CONTINUE")
    assert [r[1] for r in again] == ["LOAD_SKIPPED", "LOAD_SKIPPED"]


@pytest.mark.parametrize(
    ("on_error", "bad_status", "bad_loaded", "limit"),
    [
        pytest.param("SKIP_FILE", "LOAD_FAILED", 0, 1, id="skip-file"),
        pytest.param("SKIP_FILE_2", "PARTIALLY_LOADED", 2, 2, id="skip-file-2"),
        pytest.param("SKIP_FILE_1", "LOAD_FAILED", 0, 1, id="skip-file-1"),
        pytest.param("'SKIP_FILE_50%'", "PARTIALLY_LOADED", 2, 2, id="skip-file-50pct"),
        pytest.param("'SKIP_FILE_30%'", "LOAD_FAILED", 0, 1, id="skip-file-30pct"),
    ],
)
def test_skip_file_variants(csv_stage, on_error, bad_status, bad_loaded, limit):
    cur, urls = csv_stage
    result = {r[0]: r for r in _rows(cur, f"COPY INTO t FROM @landing ON_ERROR = {on_error}")}

    assert result[urls["bad"]][1:6] == (bad_status, 3, bad_loaded, limit, 1)
    assert result[urls["good"]][1:4] == ("LOADED", 2, 2)
    assert _rows(cur, "SELECT count(*) FROM t") == [(2 + bad_loaded,)]


def test_a_failed_file_loads_on_the_next_copy_once_fixed(csv_stage, s3_server, s3_bucket):
    cur, urls = csv_stage
    cur.execute("COPY INTO t FROM @landing ON_ERROR = SKIP_FILE")
    put_text(s3_server, s3_bucket, "in/bad.csv", BAD.replace("x,d", "4,d"))

    result = {r[0]: r[1] for r in _rows(cur, "COPY INTO t FROM @landing ON_ERROR = SKIP_FILE")}

    assert result == {urls["bad"]: "LOADED", urls["good"]: "LOAD_SKIPPED"}
    assert _rows(cur, "SELECT count(*) FROM t") == [(5,)]


def test_validation_mode_return_errors_loads_nothing(csv_stage):
    cur, urls = csv_stage
    result = _rows(cur, "COPY INTO t FROM @landing VALIDATION_MODE = RETURN_ERRORS")

    assert [d.name for d in cur.description][:4] == ["ERROR", "FILE", "LINE", "CHARACTER"]
    assert result == [
        ("Numeric value 'x' is not recognized", urls["bad"], 3, 1, 13, "conversion", 100038,
         "22018", '"T"["ID":1]', 2, 3, "x,d"),
    ]  # fmt: skip
    assert _rows(cur, "SELECT count(*) FROM t") == [(0,)]
    assert _rows(cur, "SELECT count(*) FROM information_schema.load_history") == [(0,)]


def test_validation_mode_return_rows(csv_stage):
    cur, _ = csv_stage
    assert _rows(cur, "COPY INTO t FROM @landing/good.csv VALIDATION_MODE = RETURN_1_ROWS") == [
        (1, "a")
    ]
    assert [d.name for d in cur.description] == ["ID", "NAME"]
    with pytest.raises(ProgrammingError, match="Numeric value 'x' is not recognized"):
        cur.execute("COPY INTO t FROM @landing/bad.csv VALIDATION_MODE = RETURN_5_ROWS")
    assert _rows(cur, "SELECT count(*) FROM t") == [(0,)]


def test_wrong_field_count_and_null_in_not_null_column(snowflake_conn, s3_server, s3_bucket):
    url = put_text(s3_server, s3_bucket, "shape/f.csv", "1,a\n2\n3,c,extra\n,d\n5,e\n")
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE t (id INT NOT NULL, name VARCHAR)")

    result = _rows(
        cur,
        f"COPY INTO t FROM 's3://{s3_bucket}/shape/' FILE_FORMAT = (TYPE = CSV) ON_ERROR = CONTINUE",
    )
    errors = _rows(
        cur,
        f"COPY INTO t FROM 's3://{s3_bucket}/shape/' FILE_FORMAT = (TYPE = CSV) "
        "VALIDATION_MODE = RETURN_ERRORS",
    )

    assert result[0][:6] == (url, "PARTIALLY_LOADED", 5, 2, 5, 3)
    assert result[0][6].startswith("Number of columns in file (1) does not match that of the")
    assert result[0][7] == 2
    assert [(e[0].split(" (")[0], e[2]) for e in errors] == [
        ("Number of columns in file", 2),
        ("Number of columns in file", 3),
        ("NULL result in a non-nullable column", None),
    ]
    assert _rows(cur, "SELECT id, name FROM t ORDER BY id") == [(1, "a"), (5, "e")]


def test_parquet_match_by_column_name_and_conversion_errors(snowflake_conn, s3_server, s3_bucket):
    table = pa.table({"Id": ["1", "two", "3"], "NAME": ["a", "b", "c"], "extra": [1, 2, 3]})
    url = put_parquet(s3_server, s3_bucket, "pq/part-0.parquet", table)
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE t (id INT, name VARCHAR)")
    copy = f"COPY INTO t FROM 's3://{s3_bucket}/pq/' FILE_FORMAT = (TYPE = PARQUET)"

    sensitive = _rows(cur, f"{copy} MATCH_BY_COLUMN_NAME = CASE_SENSITIVE ON_ERROR = CONTINUE")
    assert sensitive[0][1:4] == ("LOADED", 3, 3)  # ID does not match Id: left NULL
    assert _rows(cur, "SELECT count(id), count(name) FROM t") == [(0, 3)]

    cur.execute("TRUNCATE TABLE t")
    result = _rows(cur, f"{copy} MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE ON_ERROR = CONTINUE")
    assert result == [
        (url, "PARTIALLY_LOADED", 3, 2, 3, 1, "Numeric value 'two' is not recognized", 2, None,
         '"T"["ID":1]'),
    ]  # fmt: skip
    assert _rows(cur, "SELECT id, name FROM t ORDER BY id") == [(1, "a"), (3, "c")]


def test_semi_structured_parquet_columns_are_values_to_path_into(
    snowflake_conn, s3_server, s3_bucket
):
    table = pa.table(
        {
            "id": pa.array([1, 2, 3], pa.int64()),
            "payload": pa.array([{"a": {"b": "x1"}, "n": 1}, {"a": {"b": "x2"}, "n": 2}, None]),
            "tags": pa.array([["t1", "t2"], [], None], pa.list_(pa.string())),
        }
    )
    put_parquet(s3_server, s3_bucket, "semi/part-0.parquet", table)
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE events (id INT, payload VARIANT, tags ARRAY)")
    cur.execute("CREATE TABLE raw (v VARIANT)")
    source = f"FROM 's3://{s3_bucket}/semi/' FILE_FORMAT = (TYPE = PARQUET)"
    cur.execute(f"COPY INTO events {source} MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE")
    cur.execute(f"COPY INTO raw {source}")

    assert _rows(
        cur,
        "SELECT id, payload:a.b::string, payload:n::int + 1, tags[1]::string FROM events ORDER BY id",
    ) == [(1, "x1", 2, "t2"), (2, "x2", 3, None), (3, None, None, None)]
    assert _rows(
        cur,
        "SELECT e.id, f.value::string FROM events e, LATERAL FLATTEN(input => e.tags) f "
        "ORDER BY 1, 2",
    ) == [(1, "t1"), (1, "t2")]
    assert _rows(cur, "SELECT v:payload:a.b::string, v:id::int FROM raw ORDER BY 2") == [
        ("x1", 1),
        ("x2", 2),
        (None, 3),
    ]


def test_stage_copy_options_are_refused(snowflake_conn, s3_bucket):
    with pytest.raises(
        ProgrammingError, match="COPY_OPTIONS is not supported by the Snowflake emulator"
    ):
        snowflake_conn.cursor().execute(
            f"CREATE STAGE s URL = 's3://{s3_bucket}/x/' COPY_OPTIONS = (ON_ERROR = CONTINUE)"
        )


def test_csv_transformation_reads_fields_by_position(csv_stage):
    cur, urls = csv_stage
    cur.execute("CREATE TABLE names (name VARCHAR, id INT)")
    result = _rows(
        cur, "COPY INTO names FROM (SELECT UPPER($2), $1 FROM @landing/good.csv)"
    )  # the stage's format: header skipped
    assert result[0][:4] == (urls["good"], "LOADED", 2, 2)
    assert _rows(cur, "SELECT name, id FROM names ORDER BY id") == [("A", 1), ("B", 2)]


def test_temporary_table_loads_skip_and_reload_after_truncate(csv_stage):
    cur, urls = csv_stage
    cur.execute("CREATE TEMPORARY TABLE staged (id INT, name VARCHAR)")
    first = _rows(cur, "COPY INTO staged FROM @landing ON_ERROR = CONTINUE")
    again = _rows(cur, "COPY INTO staged FROM @landing ON_ERROR = CONTINUE")
    cur.execute("TRUNCATE TABLE staged")
    after_truncate = _rows(cur, "COPY INTO staged FROM @landing/good.csv")

    assert sorted(r[1] for r in first) == ["LOADED", "PARTIALLY_LOADED"]
    assert [r[1] for r in again] == ["LOAD_SKIPPED", "LOAD_SKIPPED"]
    assert after_truncate[0][:2] == (urls["good"], "LOADED")
    assert _rows(cur, "SELECT count(*) FROM staged") == [(2,)]
