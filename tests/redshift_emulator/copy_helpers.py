"""Fixtures and helpers shared by the COPY/UNLOAD engine tests (real PostgreSQL and moto S3)."""

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg2
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dwsim_redshift.config import Settings
from dwsim_redshift.sql import HELPER_SQL
from tests.fixtures.s3 import S3Server
from tests.redshift_emulator.pg_session import PgSession


@dataclass
class Stage:
    """Writes objects into the test's bucket."""

    server: S3Server
    bucket: str

    def put(self, key: str, body: bytes | str) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.server.client().put_object(Bucket=self.bucket, Key=key, Body=data)
        return f"s3://{self.bucket}/{key}"

    def put_gzip(self, key: str, text: str) -> str:
        return self.put(key, gzip.compress(text.encode()))

    def put_parquet(self, key: str, table: pa.Table) -> str:
        sink = io.BytesIO()
        pq.write_table(table, sink)
        return self.put(key, sink.getvalue())

    def get(self, key: str) -> bytes:
        return self.server.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def keys(self, prefix: str = "") -> list[str]:
        resp = self.server.client().list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(o["Key"] for o in resp.get("Contents", []))

    def url(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"


@pytest.fixture
def stage(s3_server: S3Server, s3_bucket: str) -> Stage:
    return Stage(s3_server, s3_bucket)


@pytest.fixture
def rs_settings(s3_server: S3Server, postgres_url: str) -> Settings:
    return Settings(
        s3_endpoint_url=s3_server.endpoint_url,
        aws_access_key_id=s3_server.access_key,
        aws_secret_access_key=s3_server.secret_key,
        postgres_url=postgres_url,
    )


_installed: set[str] = set()


def install_helpers(postgres_url: str) -> None:
    """The dwsim_rs schema, as the emulator installs it at start (once per database)."""
    if postgres_url in _installed:
        return
    conn = psycopg2.connect(postgres_url)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(HELPER_SQL)
    finally:
        conn.close()
    _installed.add(postgres_url)


@pytest.fixture
def session(postgres_url: str, pg_schema: str) -> Iterator[PgSession]:
    install_helpers(postgres_url)
    sess = PgSession(postgres_url, schema=pg_schema)
    try:
        yield sess
    finally:
        sess.close()


def load_errors(session: PgSession, table: str) -> list[dict]:
    """stl_load_errors rows of a table, newest first, trimmed like Redshift users trim them."""
    _, rows = session.query(
        "SELECT rtrim(filename), line_number, rtrim(colname), rtrim(type), rtrim(raw_field_value),"
        " err_code, rtrim(err_reason), rtrim(col_length) FROM dwsim_rs.stl_load_errors"
        f" WHERE tbl = '{table}'::regclass::oid ORDER BY starttime DESC, line_number"
    )
    keys = ["filename", "line", "column", "type", "value", "code", "reason", "length"]
    return [dict(zip(keys, r, strict=True)) for r in rows]
