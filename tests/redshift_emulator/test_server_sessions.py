"""psycopg2 sessions through the Redshift emulator: each client has its own backend session."""

import threading
import time
import uuid

import psycopg2
import psycopg2.errors
import pytest

from tests.fixtures.redshift import RedshiftEmulator


@pytest.fixture
def conn(redshift_emulator: RedshiftEmulator):
    connection = psycopg2.connect(redshift_emulator.dsn)
    yield connection
    connection.close()


@pytest.fixture
def table(redshift_emulator: RedshiftEmulator):
    name = f"t_{uuid.uuid4().hex[:10]}"
    owner = psycopg2.connect(redshift_emulator.dsn)  # clients may use only what clients made
    owner.autocommit = True
    with owner.cursor() as cur:
        cur.execute(f"CREATE TABLE {name} (id int, label text)")
    yield name
    with owner.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")
    owner.close()


def test_connects_as_redshift_over_the_backend_database(conn, redshift_emulator):
    assert conn.server_version == 80002
    assert conn.get_parameter_status("server_version") == "8.0.2"
    with conn.cursor() as cur:
        cur.execute("SELECT current_database(), 1 + 1")
        assert cur.fetchone() == (redshift_emulator.database, 2)


def test_commit_is_seen_by_other_sessions_and_rollback_is_not(conn, redshift_emulator, table):
    other = psycopg2.connect(redshift_emulator.dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(f"INSERT INTO {table} VALUES (1, 'kept')")
        with other.cursor() as cur:  # uncommitted: invisible elsewhere
            cur.execute(f"SELECT count(*) FROM {table}")
            assert cur.fetchone() == (0,)
        other.rollback()
        conn.commit()
        with conn.cursor() as cur:
            cur.execute(f"INSERT INTO {table} VALUES (2, 'dropped')")
        conn.rollback()
        with other.cursor() as cur:
            cur.execute(f"SELECT id, label FROM {table}")
            assert cur.fetchall() == [(1, "kept")]
    finally:
        other.close()


def test_temp_tables_belong_to_their_session(conn, redshift_emulator):
    with conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE scratch (v int)")
        cur.execute("INSERT INTO scratch VALUES (7)")
        cur.execute("SELECT v FROM scratch")
        assert cur.fetchall() == [(7,)]
    other = psycopg2.connect(redshift_emulator.dsn)
    try:
        with other.cursor() as cur, pytest.raises(psycopg2.errors.UndefinedTable):
            cur.execute("SELECT v FROM scratch")
    finally:
        other.close()


def test_session_settings_stay_with_the_session(conn, redshift_emulator):
    with conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'Asia/Tokyo'")
        cur.execute("SHOW TIME ZONE")
        assert cur.fetchone() == ("Asia/Tokyo",)
    other = psycopg2.connect(redshift_emulator.dsn)
    try:
        with other.cursor() as cur:
            cur.execute("SHOW TIME ZONE")
            assert cur.fetchone() != ("Asia/Tokyo",)
    finally:
        other.close()


def test_named_cursor_streams_in_batches(conn):
    with conn.cursor(name="big") as cur:
        cur.itersize = 500
        cur.execute("SELECT g FROM generate_series(1, 5000) AS g")
        values = [row[0] for row in cur]
    assert values == list(range(1, 5001))


def test_declare_and_fetch(conn):
    with conn.cursor() as cur:
        cur.execute("DECLARE c CURSOR FOR SELECT g FROM generate_series(1, 10) AS g")
        cur.execute("FETCH 3 FROM c")
        assert cur.fetchall() == [(1,), (2,), (3,)]
        cur.execute("FETCH 2 FROM c")
        assert cur.fetchall() == [(4,), (5,)]
        cur.execute("CLOSE c")
    conn.commit()


def test_cancel_stops_a_running_query_and_the_session_goes_on(conn):
    timer = threading.Timer(0.5, conn.cancel)
    timer.start()
    started = time.monotonic()
    with conn.cursor() as cur, pytest.raises(psycopg2.errors.QueryCanceled):
        cur.execute("SELECT pg_sleep(20)")
    assert time.monotonic() - started < 10
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute("SELECT 'still here'")
        assert cur.fetchone() == ("still here",)


def test_errors_leave_the_connection_usable(conn):
    with conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.UndefinedTable):
            cur.execute("SELECT * FROM no_such_table")
        conn.rollback()
        with pytest.raises(psycopg2.errors.SyntaxError):
            cur.execute("SELEC 1")
        conn.rollback()
        cur.execute("SELECT 42")
        assert cur.fetchone() == (42,)


def test_error_inside_a_block_fails_the_block_until_rollback(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT 1")
        with pytest.raises(psycopg2.errors.DivisionByZero):
            cur.execute("SELECT 1 / 0")
        with pytest.raises(psycopg2.errors.InFailedSqlTransaction):
            cur.execute("SELECT 2")
        conn.rollback()
        cur.execute("SELECT 3")
        assert cur.fetchone() == (3,)


def test_several_statements_in_one_query(conn, table):
    with conn.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} VALUES (1, 'a;b'); INSERT INTO {table} VALUES (2, $$c;d$$);"
            f" SELECT count(*) FROM {table}"
        )
        assert cur.fetchone() == (2,)
    conn.rollback()


def test_redshift_sql_is_translated(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT DATEDIFF(day, '2024-01-01'::date, '2024-03-01'::date), NVL(NULL, 5)")
        assert cur.fetchone() == (60, 5)


def test_client_copy_from_stdin_passes_through(conn, table):
    import io

    with conn.cursor() as cur:
        cur.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv)", io.StringIO("1,x\n2,y\n"))
        assert cur.rowcount == 2
        out = io.StringIO()
        cur.copy_expert(f"COPY {table} TO STDOUT WITH (FORMAT csv)", out)
    assert out.getvalue() == "1,x\n2,y\n"
    conn.rollback()


def test_tls_with_the_emulators_ca(redshift_emulator):
    dsn = redshift_emulator.dsn.replace("sslmode=disable", "sslmode=verify-full")
    connection = psycopg2.connect(
        dsn.replace("host=127.0.0.1", "host=localhost"),
        sslrootcert=str(redshift_emulator.ca_file),
    )
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            # TLS ends at the emulator; its own backend connection is local
            assert cur.fetchone() == (False,)
        assert connection.info.ssl_in_use
    finally:
        connection.close()


def test_statement_that_cannot_be_emulated_says_so_and_fails_the_block(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT 1")
        with pytest.raises(psycopg2.errors.FeatureNotSupported, match="cannot be emulated"):
            cur.execute("CREATE EXTERNAL SCHEMA spectrum FROM DATA CATALOG DATABASE 'x'")
        with pytest.raises(psycopg2.errors.InFailedSqlTransaction):
            cur.execute("SELECT 2")
        conn.rollback()
        cur.execute("SELECT 3")
        assert cur.fetchone() == (3,)


def test_backend_terminated_ends_the_client_session_cleanly(conn, redshift_emulator):
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    admin = psycopg2.connect(redshift_emulator.postgres_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    admin.close()
    with conn.cursor() as cur, pytest.raises(psycopg2.OperationalError):
        cur.execute("SELECT 1")
    fresh = psycopg2.connect(redshift_emulator.dsn)  # the server itself goes on
    with fresh.cursor() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
    fresh.close()


def test_client_in_another_encoding_gets_its_bytes_through(redshift_emulator):
    connection = psycopg2.connect(redshift_emulator.dsn, client_encoding="LATIN1")
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 'café', length('café')")
            assert cur.fetchone() == ("café", 4)
    finally:
        connection.close()
