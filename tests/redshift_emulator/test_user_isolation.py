"""Two users made with CREATE USER (as each experiment's dwsim_exp_<schema> is), through the real
emulator: the system views show each only its own queries, sessions, loads and tables, as
Redshift shows a regular user; the emulator's client role (the admin the loader uses) sees
every row. The helper-schema tables that client sessions write (table_constraint,
stl_load_commits) cannot be read or changed across users, whatever a curious user tries, while
what the emulator writes on a user's behalf (keys of its own tables, its COPY's commits, its
layouts) keeps working."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg2
import psycopg2.errors
import pytest

from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.s3 import S3Server

PASSWORD = "Secret123"
ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwsim'"


@dataclass
class User:
    name: str
    schema: str  # granted to the user, its table ``t`` owned by the admin (as an experiment's)
    conn: psycopg2.extensions.connection
    marker: str  # in the text of a query the user ran

    def rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self.conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall() if cur.description else []

    def one(self, sql: str, args: tuple = ()):
        return self.rows(sql, args)[0][0]

    def changed(self, sql: str) -> int:
        """Rows a DELETE/UPDATE changed."""
        with self.conn.cursor() as cur:
            cur.execute(sql)
            return cur.rowcount


def _connect(emulator: RedshiftEmulator, user: str | None = None):
    dsn = emulator.dsn
    if user is not None:
        dsn = dsn.replace(f"user={emulator.user} ", f"user={user} ")
        dsn = dsn.replace(f"password={emulator.password} ", f"password={PASSWORD} ")
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    return conn


@pytest.fixture
def admin(redshift_emulator: RedshiftEmulator) -> Iterator[User]:
    conn = _connect(redshift_emulator)
    yield User("admin", "", conn, "")
    conn.close()


@pytest.fixture
def users(redshift_emulator: RedshiftEmulator, admin: User) -> Iterator[tuple[User, User]]:
    """Users ``a`` and ``b``, each granted its schema, each having run a marked query."""
    made = []
    try:
        for _ in range(2):
            name = f"u_{uuid.uuid4().hex[:10]}"
            admin.rows(f"CREATE USER {name} PASSWORD '{PASSWORD}'")
            admin.rows(f"CREATE SCHEMA {name}_s")
            admin.rows(f"CREATE TABLE {name}_s.t (id integer PRIMARY KEY, v integer) DISTKEY(v)")
            admin.rows(f"INSERT INTO {name}_s.t VALUES (1, 1), (2, 2)")
            admin.rows(f"GRANT USAGE, CREATE ON SCHEMA {name}_s TO {name}")
            admin.rows(f"GRANT ALL ON ALL TABLES IN SCHEMA {name}_s TO {name}")
            user = User(name, f"{name}_s", _connect(redshift_emulator, name), f"mark_{name}")
            made.append(user)
            user.rows(f"SELECT COUNT(*) AS {user.marker} FROM {user.schema}.t")
        yield made[0], made[1]
    finally:
        for user in made:
            user.conn.close()
            admin.rows(f"DROP SCHEMA IF EXISTS {user.schema} CASCADE")
            admin.rows(f"DROP USER IF EXISTS {user.name}")


def _userid(admin: User, user: User) -> int:
    return admin.one("SELECT usesysid FROM pg_user WHERE usename = %s", (user.name,))


def test_query_history_shows_a_user_its_own_queries_and_the_admin_all(admin, users):
    a, b = users
    for view, text in (("stl_query", "querytxt"), ("sys_query_history", "query_text")):
        sql = f"SELECT {text} FROM {view}"
        seen_by_a = " ".join(r[0] for r in a.rows(sql))
        assert a.marker in seen_by_a, view
        assert b.marker not in seen_by_a, view
        seen_by_admin = " ".join(r[0] for r in admin.rows(sql))
        assert a.marker in seen_by_admin, view
        assert b.marker in seen_by_admin, view
    assert {r[0] for r in a.rows("SELECT userid FROM stl_query")} == {_userid(admin, a)}
    # the table behind them, read directly
    direct = " ".join(r[0] for r in a.rows("SELECT query_text FROM dwsim_rs.query_log"))
    assert a.marker in direct
    assert b.marker not in direct


def test_sessions_show_a_user_its_own(admin, users):
    a, b = users
    for view in ("stv_sessions", "stv_recents"):
        assert {r[0] for r in a.rows(f"SELECT user_name FROM {view}")} == {a.name}, view
        assert {a.name, b.name} <= {r[0] for r in admin.rows(f"SELECT user_name FROM {view}")}


def test_table_views_show_a_user_the_tables_it_may_use(admin, users):
    a, b = users
    for sql in (
        'SELECT DISTINCT "schema" FROM svv_table_info',
        "SELECT DISTINCT schema_name FROM svv_all_tables",
        "SELECT DISTINCT schema_name FROM svv_redshift_tables",
        "SELECT DISTINCT schema_name FROM svv_all_schemas",
        "SELECT DISTINCT table_schema FROM svv_tables",
        "SELECT DISTINCT table_schema FROM information_schema.table_constraints",
    ):
        seen_by_a = {r[0] for r in a.rows(sql)}
        assert a.schema in seen_by_a, sql
        assert b.schema not in seen_by_a, sql
        assert {a.schema, b.schema} <= {r[0] for r in admin.rows(sql)}, sql
    assert a.one(f"SELECT tbl_rows FROM svv_table_info WHERE \"schema\" = '{a.schema}'") == 2


def _keys(admin: User, user: User) -> list[str]:
    return sorted(
        r[0]
        for r in admin.rows(
            "SELECT conname FROM dwsim_rs.table_constraint WHERE relid = %s::regclass",
            (f"{user.schema}.t",),
        )
    )


def test_a_user_cannot_read_or_change_another_users_keys(admin, users):
    a, b = users
    b_oid = admin.one("SELECT %s::regclass::oid::integer", (f"{b.schema}.t",))
    before = _keys(admin, b)
    assert before == ["t_pkey"]
    assert a.rows(f"SELECT conname FROM dwsim_rs.table_constraint WHERE relid = {b_oid}") == []
    assert a.changed(f"DELETE FROM dwsim_rs.table_constraint WHERE relid = {b_oid}") == 0
    assert a.changed("DELETE FROM dwsim_rs.table_constraint") == 0
    assert (
        a.changed(f"UPDATE dwsim_rs.table_constraint SET conname = 'x' WHERE relid = {b_oid}") == 0
    )
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="row-level security"):
        a.rows(
            "INSERT INTO dwsim_rs.table_constraint (relid, conname, contype, conkey) "
            f"VALUES ({b_oid}, 'fake', 'u', '{{1}}')"
        )
    for call in (
        f"SELECT dwsim_rs.add_keys({b_oid}, '[]'::jsonb, true)",
        f"SELECT dwsim_rs.drop_key({b_oid}, 't_pkey', false)",
        f'SELECT dwsim_rs.set_layout({b_oid}, \'{{"diststyle": "ALL"}}\'::jsonb, true)',
    ):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="must be owner of"):
            a.rows(call)
    assert _keys(admin, b) == before
    assert admin.one(f"SELECT diststyle FROM svv_table_info WHERE \"schema\" = '{b.schema}'") == (
        "KEY(v)"
    )
    # its own experiment's tables belong to the admin: altering them needs the owner, as in
    # Redshift, however it is written
    for sql in (
        f"ALTER TABLE {a.schema}.t ALTER DISTSTYLE ALL",
        f"ALTER TABLE {a.schema}.t ADD CONSTRAINT u UNIQUE (v)",
        f"ALTER TABLE {a.schema}.t DROP CONSTRAINT t_pkey",
    ):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="must be owner of"):
            a.rows(sql)
    assert _keys(admin, a) == ["t_pkey"]


def test_what_the_emulator_writes_for_a_user_on_its_own_tables_still_works(admin, users):
    a, _ = users
    a.rows(
        f"CREATE TABLE {a.schema}.own (id integer PRIMARY KEY, v integer, "
        f"w integer REFERENCES {a.schema}.t (id)) DISTSTYLE KEY DISTKEY(v) SORTKEY(id)"
    )
    a.rows(f"ALTER TABLE {a.schema}.own ADD CONSTRAINT own_v UNIQUE (v)")
    a.rows(f"ALTER TABLE {a.schema}.own ALTER DISTSTYLE ALL")
    keys = a.rows(
        "SELECT constraint_type, constraint_name FROM information_schema.table_constraints "
        f"WHERE table_schema = '{a.schema}' AND table_name = 'own' ORDER BY 1, 2"
    )
    assert keys == [("FOREIGN KEY", "own_w_fkey"), ("PRIMARY KEY", "own_pkey"), ("UNIQUE", "own_v")]
    a.rows(f"ALTER TABLE {a.schema}.own DROP CONSTRAINT own_v")
    assert (
        a.one(
            f"SELECT diststyle FROM svv_table_info WHERE \"schema\" = '{a.schema}' "
            "AND \"table\" = 'own'"
        )
        == "ALL"
    )
    assert sorted(r[0] for r in admin.rows(
        "SELECT conname FROM dwsim_rs.table_constraint WHERE relid = %s::regclass",
        (f"{a.schema}.own",),
    )) == ["own_pkey", "own_w_fkey"]  # fmt: skip


def test_load_history_shows_a_user_its_own_loads_and_cannot_be_forged(
    admin, users, s3_server: S3Server, s3_bucket: str
):
    a, b = users
    s3 = s3_server.client()
    s3.put_object(Bucket=s3_bucket, Key="iso/good.csv", Body=b"7,7\n8,8\n")
    s3.put_object(Bucket=s3_bucket, Key="iso/bad.csv", Body=b"9,nine\n")
    b.rows(f"COPY {b.schema}.t FROM 's3://{s3_bucket}/iso/good.csv' {ROLE} CSV")
    with pytest.raises(psycopg2.Error, match="stl_load_errors"):
        b.rows(f"COPY {b.schema}.t FROM 's3://{s3_bucket}/iso/bad.csv' {ROLE} CSV")
    b_id = _userid(admin, b)
    for view in ("stl_load_commits", "stl_load_errors", "sys_load_error_detail"):
        column = "user_id" if view.startswith("sys") else "userid"
        assert b_id in {r[0] for r in b.rows(f"SELECT {column} FROM {view}")}, view
        assert b_id in {r[0] for r in admin.rows(f"SELECT {column} FROM {view}")}, view
        assert b_id not in {r[0] for r in a.rows(f"SELECT {column} FROM {view}")}, view
    commits = "SELECT COUNT(*) FROM stl_load_commits WHERE userid = %s"
    assert admin.one(commits, (b_id,)) == 1
    assert a.changed(f"DELETE FROM dwsim_rs.stl_load_commits WHERE userid = {b_id}") == 0
    assert a.changed(f"UPDATE dwsim_rs.stl_load_commits SET errors = 99 WHERE userid = {b_id}") == 0
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="row-level security"):
        a.rows(f"INSERT INTO dwsim_rs.stl_load_commits (userid, query) VALUES ({b_id}, 1)")
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        a.rows(f"DELETE FROM dwsim_rs.stl_load_errors WHERE userid = {b_id}")
    assert admin.one(commits, (b_id,)) == 1
    assert admin.one(f"SELECT errors FROM stl_load_commits WHERE userid = {b_id}") == 0
