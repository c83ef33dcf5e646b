"""A client's SQL is an ordinary warehouse user's: nothing it sends reaches the host's files
or programs. SQLite is confined by its adapter's authorizer; Redshift and Snowflake
statements that would read, write or run something on the emulators' host are refused."""

from pathlib import Path

import pytest

from dwsim_query.guard import NotAllowedError, check_allowed
from dwsim_shared.contracts.enums import Warehouse

R, S = Warehouse.REDSHIFT, Warehouse.SNOWFLAKE

REFUSED = [
    (R, "select pg_read_file('/etc/hostname')"),
    (R, "SELECT * FROM pg_catalog.pg_ls_dir('/')"),
    (R, "select lo_import('/etc/hostname')"),
    (R, "do $$ begin execute 'copy t to ''/tmp/x'''; end $$"),
    (R, "select 1; /* hidden */ DO $$ begin null; end $$"),
    (R, "copy t from program 'id'"),
    (
        R,
        "create procedure p() as $$ begin execute 'copy t to ''/tmp/x'''; end $$ language plpgsql",
    ),
    (R, "ALTER SYSTEM SET log_min_messages = debug1"),
    (R, "create extension file_fdw"),
    (R, "create function f() returns int as 'libc.so', 'f' language c"),
    (S, "select * from read_csv('/etc/hostname')"),
    (S, "SELECT * FROM READ_TEXT ('/etc/hostname')"),
    (S, "select * from '/tmp/data.csv'"),
    (S, 'select * from "/tmp/data.csv"'),
    (S, "select * from t join 'rows.parquet' p on true"),
    (S, "copy into t from '/etc/' file_format=(type=csv)"),
    (S, "PUT file:///etc/hostname @~"),
    (S, "-- fetch it\nGET @~/x file:///tmp/"),
    (S, "create stage s url='file:///etc/'"),
    (S, "attach '/tmp/other.duckdb' as other"),
    (S, "copy (select 1) to '/tmp/out.csv'"),
    (S, "install httpfs"),
]

ALLOWED = [
    (R, "SELECT 'copy the program' AS note, 'do it; do it' AS twice"),
    (R, "SELECT COUNT(*) FROM orders WHERE region = 'eu' -- DO $$ in a comment"),
    (R, "COPY t FROM 's3://bucket/prefix/' IAM_ROLE 'arn:aws:iam::0:role/x' FORMAT AS PARQUET"),
    (R, "CREATE PROCEDURE p() AS $$ BEGIN INSERT INTO t VALUES (1); END $$ LANGUAGE plpgsql"),
    (R, "SELECT program, url FROM events WHERE url LIKE '/products/%'"),
    (S, "SELECT * FROM customers WHERE url LIKE '/products/%'"),
    (S, "COPY INTO t FROM 's3://bucket/prefix/' FILE_FORMAT=(TYPE=PARQUET)"),
    (S, 'SELECT * FROM "My Table"'),
    (S, "SELECT readme, put, get FROM docs"),
    (S, "CREATE STAGE s URL='s3://bucket/path/'"),
    (S, "SELECT PARSE_JSON('{\"a\": 1}'):a AS a"),
]


@pytest.mark.parametrize(("warehouse", "sql"), REFUSED)
def test_statements_reaching_the_host_are_refused_saying_so(warehouse, sql):
    with pytest.raises(NotAllowedError, match=r"is not allowed: a query runs as an ordinary"):
        check_allowed(warehouse, sql)


@pytest.mark.parametrize(("warehouse", "sql"), ALLOWED)
def test_ordinary_sql_is_not_refused(warehouse, sql):
    check_allowed(warehouse, sql)


def _query(query_service, experiment, sql):
    with query_service.client() as client:
        return client.post(f"/experiments/{experiment.name}/query", json={"sql": sql})


def test_a_host_file_cannot_be_read_on_any_warehouse(query_service, loaded):
    sql = {
        Warehouse.REDSHIFT: "select pg_read_file('/etc/hostname')",
        Warehouse.SNOWFLAKE: "select * from read_text('/etc/hostname')",
        Warehouse.SQLITE: "ATTACH '/etc/hostname' AS host",
    }[loaded.warehouse]
    response = _query(query_service, loaded, sql)
    assert response.status_code == 400
    assert "is not allowed" in response.json()["detail"]


@pytest.mark.parametrize("loaded", [Warehouse.SQLITE], indirect=True, ids=str)
def test_sqlite_refuses_attach_load_extension_and_pragma_settings(query_service, loaded):
    outside = Path(query_service.env["DWSIM_DATA_DIR"]) / "outside.sqlite"
    for sql, what in [
        (f"ATTACH '{outside}' AS other", "ATTACH"),
        (f"VACUUM INTO '{outside}'", "ATTACH"),
        ("SELECT load_extension('/tmp/evil')", "the function load_extension()"),
        ("PRAGMA journal_mode = DELETE", "setting PRAGMA journal_mode"),
    ]:
        response = _query(query_service, loaded, sql)
        assert response.status_code == 400, sql
        detail = response.json()["detail"]
        assert detail.startswith(f"sqlite: {what} is not allowed: "), detail
    assert not outside.exists()
    table_info = _query(query_service, loaded, "PRAGMA table_info(employees)")
    assert [r[1] for r in table_info.json()["rows"]] == ["emp_id", "manager_id"]
