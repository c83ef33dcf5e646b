"""Put small Parquet and CSV files in the test S3 server for COPY INTO to read."""

import io

import pyarrow as pa
import pyarrow.parquet as pq

from tests.fixtures.s3 import S3Server


def customers(start: int, count: int) -> pa.Table:
    """Columns in lower case and in another order than the tables, as the generator writes them."""
    ids = list(range(start, start + count))
    return pa.table(
        {
            "name": [f"customer {i}" for i in ids],
            "id": pa.array(ids, pa.int64()),
            "balance": pa.array([i * 1.5 for i in ids], pa.float64()),
        }
    )


def put_parquet(s3: S3Server, bucket: str, key: str, table: pa.Table) -> str:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    s3.client().put_object(Bucket=bucket, Key=key, Body=buf.getvalue())
    return f"s3://{bucket}/{key}"


def put_text(s3: S3Server, bucket: str, key: str, text: str) -> str:
    s3.client().put_object(Bucket=bucket, Key=key, Body=text.encode())
    return f"s3://{bucket}/{key}"


CUSTOMERS_DDL = "CREATE TABLE customers (id INTEGER, name VARCHAR(100), balance FLOAT)"
PARQUET = "FILE_FORMAT=(TYPE=PARQUET) MATCH_BY_COLUMN_NAME=CASE_INSENSITIVE"
CREDENTIALS = "CREDENTIALS=(AWS_KEY_ID='test' AWS_SECRET_KEY='test')"
RESULT_COLUMNS = [
    "file",
    "status",
    "rows_parsed",
    "rows_loaded",
    "error_limit",
    "errors_seen",
    "first_error",
    "first_error_line",
    "first_error_character",
    "first_error_column_name",
]
