"""Redshift's CREATE USER / DROP USER through the emulator, and logging in as such a user: the
session is that user's own, so it sees only what was granted to it (what keeps experiments
apart on Redshift), and no SET in its SQL can make it the emulator's client role again."""

import uuid

import psycopg2
import psycopg2.errors
import pytest

from tests.fixtures.redshift import RedshiftEmulator

PASSWORD = "Secret123"


@pytest.fixture
def admin(redshift_emulator: RedshiftEmulator):
    connection = psycopg2.connect(redshift_emulator.dsn)
    connection.autocommit = True
    yield connection
    connection.close()


@pytest.fixture
def user(admin):
    """A user made with CREATE USER, granted one schema ``<user>_s``; the other schema
    ``<user>_o`` is the admin's alone."""
    name = f"u_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cur:
        cur.execute(f"CREATE USER {name} PASSWORD '{PASSWORD}'")
        for schema in (f"{name}_s", f"{name}_o"):
            cur.execute(f"CREATE SCHEMA {schema}")
            cur.execute(f"CREATE TABLE {schema}.t (id integer)")
            cur.execute(f"INSERT INTO {schema}.t VALUES (1), (2)")
        cur.execute(f"GRANT USAGE ON SCHEMA {name}_s TO {name}")
        cur.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA {name}_s TO {name}")
    yield name
    with admin.cursor() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {name}_s CASCADE")
        cur.execute(f"DROP SCHEMA IF EXISTS {name}_o CASCADE")
        cur.execute(f"DROP USER IF EXISTS {name}")


def _login(emulator: RedshiftEmulator, name: str):
    connection = psycopg2.connect(emulator.dsn.replace(f"user={emulator.user} ", f"user={name} "))
    connection.autocommit = True
    return connection


def _one(conn, sql: str):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0]


def test_a_created_user_logs_in_as_itself_and_sees_only_its_grants(redshift_emulator, user):
    conn = _login(redshift_emulator, user)
    try:
        assert _one(conn, "SELECT current_user") == user
        assert _one(conn, f"SELECT COUNT(*) FROM {user}_s.t") == 2
        for sql in (
            f"SELECT * FROM {user}_o.t",
            f"RESET ROLE; SELECT * FROM {user}_o.t",
            f"DELETE FROM {user}_o.t",
            f"DROP TABLE {user}_o.t",
        ):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege) as info:
                _one(conn, sql)
            assert f"permission denied for schema {user}_o" in str(info.value)
        for role in ("dwsim_user", "postgres"):  # the emulator's client role, the superuser
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                _one(conn, f"SET ROLE {role}")
        # the system views every Redshift user may read
        assert _one(conn, "SELECT COUNT(*) FROM stl_query") >= 0
        assert _one(conn, f"SELECT COUNT(*) FROM svv_columns WHERE table_schema = '{user}_s'") == 1
    finally:
        conn.close()


def test_drop_user_removes_the_login_and_refuses_other_roles(admin, redshift_emulator):
    name = f"u_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cur:
        cur.execute(f"CREATE USER {name} PASSWORD '{PASSWORD}'")
        with pytest.raises(psycopg2.errors.DuplicateObject):
            cur.execute(f"CREATE USER {name} PASSWORD '{PASSWORD}'")
        cur.execute(f"DROP USER {name}")
        cur.execute(f"DROP USER IF EXISTS {name}")
        with pytest.raises(psycopg2.errors.UndefinedObject):
            cur.execute(f"DROP USER {name}")
        for role in ("postgres", "dwsim_user"):  # not made with CREATE USER: kept
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(f"DROP USER {role}")
    assert _one(admin, f"SELECT COUNT(*) FROM pg_user WHERE usename = '{name}'") == 0
