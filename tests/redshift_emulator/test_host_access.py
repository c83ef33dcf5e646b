"""A client's SQL is an ordinary warehouse user's: nothing it sends through the emulator may
read, write or run anything on the host, while Redshift's own work (DDL, COPY from S3, UNLOAD)
goes on as before."""

import os
import subprocess
import sys
import uuid

import psycopg2
import psycopg2.errors
import pytest

from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.s3 import S3Server
from tests.fixtures.servers import free_port

ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwsim'"


@pytest.fixture
def conn(redshift_emulator: RedshiftEmulator):
    connection = psycopg2.connect(redshift_emulator.dsn)
    connection.autocommit = True
    yield connection
    connection.close()


@pytest.fixture
def table(conn):
    name = f"t_{uuid.uuid4().hex[:10]}"
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {name} (id integer, label varchar(20))")
    yield name
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")


def _refused(conn, sql: str) -> str:
    with pytest.raises(psycopg2.errors.InsufficientPrivilege) as info, conn.cursor() as cur:
        cur.execute(sql)
    return str(info.value)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT pg_read_file('/etc/hostname')",
        "SELECT pg_read_binary_file('/etc/hostname')",
        "SELECT pg_ls_dir('/')",
        "SELECT pg_stat_file('/etc/hostname')",
        "SELECT lo_import('/etc/hostname')",
        "ALTER SYSTEM SET work_mem = '5MB'",
        "CREATE EXTENSION file_fdw",
        "CREATE EXTENSION dblink",
        "SET ROLE postgres",
        "SET SESSION AUTHORIZATION postgres",
        "GRANT pg_execute_server_program TO CURRENT_USER",
    ],
)
def test_host_access_is_refused(conn, sql):
    _refused(conn, sql)


def test_copy_program_inside_a_do_block_runs_nothing(conn, table, tmp_path):
    marker = tmp_path / f"ran-{uuid.uuid4().hex}"
    os.chmod(tmp_path, 0o777)  # were the command run, PostgreSQL's OS user could write here
    message = _refused(
        conn,
        f"DO $$ BEGIN EXECUTE 'COPY {table} FROM PROGRAM ''touch {marker}; echo 1,x'' CSV'; END $$",
    )
    assert "external program" in message
    assert not marker.exists()


def test_copy_to_a_server_file_inside_a_do_block_writes_nothing(conn, table, tmp_path):
    target = tmp_path / "out.csv"
    os.chmod(tmp_path, 0o777)
    _refused(conn, f"DO $$ BEGIN EXECUTE 'COPY {table} TO ''{target}'''; END $$")
    assert not target.exists()


def test_the_session_runs_as_a_role_without_host_access(conn):
    with conn.cursor() as cur:
        cur.execute(
            "SELECT rolsuper, "
            "pg_has_role(oid, 'pg_read_server_files', 'MEMBER'), "
            "pg_has_role(oid, 'pg_write_server_files', 'MEMBER'), "
            "pg_has_role(oid, 'pg_execute_server_program', 'MEMBER') "
            "FROM pg_roles WHERE rolname = current_user"
        )
        assert cur.fetchone() == (False, False, False, False)


def test_a_temp_relation_shadowing_the_catalog_does_not_run_as_the_superuser(conn, table):
    """The SECURITY DEFINER layout helpers search pg_temp last, so a client's temporary view
    named pg_attribute is not what they read (it would run the client's function as them)."""
    with conn.cursor() as cur:
        cur.execute(
            "CREATE FUNCTION public.leak_hostname() RETURNS boolean LANGUAGE plpgsql AS $f$ "
            "BEGIN RAISE EXCEPTION 'leaked: %', pg_read_file('/etc/hostname'); END $f$"
        )
        try:
            cur.execute(
                "CREATE TEMP VIEW pg_attribute AS SELECT attrelid, attname, attnum, attisdropped "
                "FROM pg_catalog.pg_attribute "
                "WHERE public.leak_hostname()"
            )
            cur.execute(f"ALTER TABLE {table} ALTER DISTKEY id")
            cur.execute('SELECT diststyle FROM svv_table_info WHERE "table" = %s', [table])
            assert cur.fetchone() == ("KEY(id)",)
        finally:
            cur.execute("DROP VIEW IF EXISTS pg_temp.pg_attribute")
            cur.execute("DROP FUNCTION public.leak_hostname()")


def test_a_function_planted_in_public_does_not_run_in_the_emulators_own_sessions(
    conn, table, s3_server: S3Server, s3_bucket: str
):
    """The emulator writes stl_load_errors as the superuser; a client's public.nextval(text)
    would beat pg_catalog.nextval(regclass) for a string argument on a default search_path."""
    s3_server.client().put_object(Bucket=s3_bucket, Key="planted/bad.csv", Body=b"x,one\n")
    with conn.cursor() as cur:
        cur.execute(
            "CREATE FUNCTION public.nextval(text) RETURNS bigint LANGUAGE plpgsql AS $f$ "
            "BEGIN RAISE EXCEPTION 'leaked: %', pg_read_file('/etc/hostname'); END $f$"
        )
        try:
            with pytest.raises(psycopg2.Error) as info:
                cur.execute(f"COPY {table} FROM 's3://{s3_bucket}/planted/bad.csv' {ROLE} CSV")
            assert "leaked" not in str(info.value)
            assert "stl_load_errors" in str(info.value)
            cur.execute(
                "SELECT count(*) FROM stl_load_errors WHERE filename LIKE %s",
                ["%planted/bad.csv%"],
            )
            assert cur.fetchone() == (1,)
        finally:
            cur.execute("DROP FUNCTION public.nextval(text)")


def test_ordinary_warehouse_work_still_works(conn, s3_server: S3Server, s3_bucket: str):
    schema = f"s_{uuid.uuid4().hex[:10]}"
    s3_server.client().put_object(
        Bucket=s3_bucket, Key=f"{schema}/in.csv", Body=b"1,one\n2,two\n3,three\n"
    )
    with conn.cursor() as cur:
        cur.execute(f"CREATE SCHEMA {schema}")
        cur.execute(
            f"CREATE TABLE {schema}.t (id integer PRIMARY KEY, label varchar(20)) "
            "DISTSTYLE KEY DISTKEY (id) SORTKEY (id)"
        )
        cur.execute(f"COPY {schema}.t FROM 's3://{s3_bucket}/{schema}/in.csv' {ROLE} CSV")
        assert cur.rowcount == 3
        cur.execute(f"SELECT count(*), max(label) FROM {schema}.t")
        assert cur.fetchone() == (3, "two")
        cur.execute(
            f"UNLOAD ('SELECT id, label FROM {schema}.t WHERE id > 1') "
            f"TO 's3://{s3_bucket}/{schema}/out/' {ROLE} CSV PARALLEL OFF"
        )
        cur.execute(f"DROP SCHEMA {schema} CASCADE")
    listed = s3_server.client().list_objects_v2(Bucket=s3_bucket, Prefix=f"{schema}/out/")
    bodies = [
        s3_server.client().get_object(Bucket=s3_bucket, Key=o["Key"])["Body"].read()
        for o in listed.get("Contents", [])
    ]
    assert sorted(b"".join(bodies).split()) == [b"2,two", b"3,three"]


def test_it_will_not_start_with_a_client_role_that_reaches_the_host(postgres_url, tmp_path):
    role = f"rs_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(postgres_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"CREATE ROLE {role} LOGIN IN ROLE pg_read_server_files")
    try:
        env = {
            **os.environ,
            "DWSIM_REDSHIFT_PORT": str(free_port()),
            "DWSIM_POSTGRES_URL": postgres_url,
            "DWSIM_DATA_DIR": str(tmp_path),
            "DWSIM_REDSHIFT_CLIENT_ROLE": role,
        }
        proc = subprocess.run(
            [sys.executable, "-m", "dwsim_redshift.main"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2
        assert f"{role!r}, is member of pg_read_server_files" in proc.stderr
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP ROLE {role}")
        admin.close()
