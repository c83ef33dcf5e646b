"""A client's SQL is an ordinary warehouse user's: nothing it sends to the Snowflake emulator may
read or write the files of the emulator's host, while s3:// locations and stages keep working."""

import os

import duckdb
import pytest
from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake.patches.host_files import lock_down
from dwsim_snowflake.s3 import s3_filesystem
from tests.fixtures.s3 import S3Server
from tests.snowflake_emulator.staging import put_text

SECRET = "host secret 4711"  # what a file of the host holds; no answer may carry it


@pytest.fixture
def host_file(tmp_path):
    """A file outside the emulator's data folder, readable by the emulator's process."""
    path = tmp_path / "host" / "secret.csv"
    path.parent.mkdir()
    path.write_text(f"1,{SECRET}\n")
    return path


def _refused(cur, sql: str) -> str:
    with pytest.raises(ProgrammingError) as info:
        cur.execute(sql)
    message = str(info.value)
    assert SECRET not in message
    assert info.value.errno == 3001, message
    assert info.value.sqlstate == "42501"
    assert "Snowflake emulator" in message
    return message


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * FROM read_csv('{path}')",
        "SELECT * FROM read_csv_auto('{path}')",
        "SELECT * FROM read_text('{path}')",
        "SELECT * FROM read_blob('{folder}/*')",
        "SELECT * FROM read_parquet(['s3://any/x.parquet', '{path}'])",
        "SELECT * FROM sniff_csv('{path}')",
        "SELECT * FROM '{path}'",
        'SELECT * FROM "{path}"',
        "SELECT * FROM read_csv('file://{path}')",
        "SELECT * FROM read_csv('{folder}/../host/secret.csv')",
        "SELECT * FROM read_csv(concat('{folder}', '/secret.csv'))",
        "WITH s AS (SELECT * FROM read_csv('{path}')) SELECT * FROM s",
        "CREATE VIEW leak AS SELECT * FROM read_text('{path}')",
        "COPY INTO t FROM '{path}'",
        "COPY INTO t FROM 'file://{folder}/'",
        "COPY INTO t FROM (SELECT $1, $2 FROM '{path}')",
        "COPY INTO 'file://{folder}/out/' FROM t",
        "CREATE STAGE local_files URL='file://{folder}/'",
    ],
)
def test_reading_or_writing_host_files_is_refused(snowflake_conn, host_file, template):
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE t (id INT, label VARCHAR)")
    sql = template.format(path=host_file, folder=host_file.parent)
    message = _refused(cur, sql)
    assert "cannot be read or written" in message
    cur.execute("SELECT count(*) FROM t")
    assert cur.fetchall() == [(0,)]
    assert sorted(os.listdir(host_file.parent)) == ["secret.csv"]


def test_a_database_name_cannot_be_a_path(snowflake_conn, snowflake_emulator):
    _refused(snowflake_conn.cursor(), 'CREATE DATABASE "../escaped"')
    assert not (snowflake_emulator.data_dir.parent / "escaped.db").exists()


def test_extensions_cannot_be_loaded_even_after_trying_to_allow_it(snowflake_conn):
    cur = snowflake_conn.cursor()
    cur.execute("SET enable_external_access = true")  # a Snowflake session variable, no more
    message = _refused(cur, "LOAD httpfs")
    assert "extensions" in message


def test_s3_and_stages_still_work(snowflake_conn, s3_server: S3Server, s3_bucket: str):
    url = put_text(s3_server, s3_bucket, "hosts/in/rows.csv", "1,one\n2,two\n")
    cur = snowflake_conn.cursor()
    cur.execute(f"SELECT * FROM read_csv('{url}', header=false) ORDER BY 1")
    assert cur.fetchall() == [(1, "one"), (2, "two")]
    cur.execute("CREATE TABLE t (id INT, label VARCHAR)")
    cur.execute(f"CREATE STAGE rows_stage URL='s3://{s3_bucket}/hosts/'")
    cur.execute("COPY INTO t FROM @rows_stage/in/ FILE_FORMAT=(TYPE=CSV)")
    cur.execute(f"COPY INTO t FROM '{url}' FILE_FORMAT=(TYPE=CSV) FORCE=TRUE")
    cur.execute("SELECT count(*), max(label) FROM t")
    assert cur.fetchall() == [(4, "two")]


def test_a_locked_down_duckdb_reads_s3_and_its_folder_only(
    tmp_path, host_file, s3_server, s3_bucket
):
    """The layer under the statement checks: DuckDB itself, whatever SQL reaches it."""
    url = put_text(s3_server, s3_bucket, "hosts/raw.csv", "7,seven\n")
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "own.csv").write_text("8,eight\n")
    conn = duckdb.connect()
    conn.register_filesystem(s3_filesystem(s3_server.endpoint_url, "test", "test", "us-east-1"))
    lock_down(conn, folder)
    read = "SELECT * FROM read_csv('{}', header=false)"
    assert conn.execute(read.format(url)).fetchall() == [(7, "seven")]
    assert conn.execute(read.format(folder / "own.csv")).fetchall() == [(8, "eight")]
    conn.execute(f"ATTACH '{folder / 'new.db'}' AS new_db")  # CREATE DATABASE does this
    for sql in (
        read.format(host_file),
        read.format(folder / ".." / "host" / "secret.csv"),
        f"COPY (SELECT 1) TO '{host_file.parent / 'out.csv'}'",
        f"ATTACH '{host_file.parent / 'x.db'}' AS x",
    ):
        with pytest.raises(duckdb.PermissionException):
            conn.execute(sql)
    for sql in ("SET enable_external_access = true", "SET allowed_directories = ['/']"):
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            conn.execute(sql)
    assert sorted(os.listdir(host_file.parent)) == ["secret.csv"]
