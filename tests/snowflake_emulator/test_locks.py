"""Table locks as Snowflake has them: a DELETE waits for another transaction's lock on its table
(DuckDB failed it at once with "Conflict on tuple deletion"); a transaction left by a client
that died is aborted once it has blocked another and been idle past
DWSIM_SNOWFLAKE_DETACHED_IDLE_SECONDS (Snowflake: 5 minutes); a live session's transaction is
never broken under it; a wait ends at LOCK_TIMEOUT, on the client's cancel, or on a deadlock."""

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from snowflake.connector.errors import ProgrammingError

from tests.fixtures.snowflake import SnowflakeEmulator, running_snowflake_emulator

IDLE_S = 2  # a transaction idle this long while it blocks another is taken for detached
LOCK_TIMEOUT_S = 6


@contextmanager
def lock_emulator(
    tmp_path_factory, s3_server, idle_s: float, lock_timeout_s: float
) -> Iterator[SnowflakeEmulator]:
    """An emulator with these detached-idle and lock-timeout limits."""
    env = {
        "DWSIM_SNOWFLAKE_DETACHED_IDLE_SECONDS": str(idle_s),
        "DWSIM_SNOWFLAKE_LOCK_TIMEOUT_SECONDS": str(lock_timeout_s),
    }
    with running_snowflake_emulator(
        tmp_path_factory.mktemp("snowflake-locks"), s3_server, env=env
    ) as running:
        yield running


@contextmanager
def scratch_database(emulator: SnowflakeEmulator, tables: tuple[str, ...]) -> Iterator[str]:
    """A new database whose PUBLIC ``tables`` hold ids 0-9, dropped afterwards."""
    name = f"L_{uuid.uuid4().hex[:8].upper()}"
    with emulator.connect() as conn:
        conn.cursor().execute(f"CREATE DATABASE {name}")
        for table in tables:
            conn.cursor().execute(
                f"CREATE TABLE {name}.PUBLIC.{table} AS SELECT range AS id FROM range(10)"
            )
    yield name
    with emulator.connect() as conn:
        conn.cursor().execute(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture(scope="module")
def emulator(tmp_path_factory, s3_server) -> Iterator[SnowflakeEmulator]:
    with lock_emulator(tmp_path_factory, s3_server, IDLE_S, LOCK_TIMEOUT_S) as running:
        yield running


@pytest.fixture
def database(emulator) -> Iterator[str]:
    with scratch_database(emulator, ("T", "U")) as name:
        yield name


def session(emulator: SnowflakeEmulator, database: str) -> Any:
    return emulator.connect(database=database, schema="PUBLIC")


def count(emulator: SnowflakeEmulator, database: str, table: str = "T") -> int:
    with session(emulator, database) as conn:
        return conn.cursor().execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


class Background:
    """A statement run in a thread, for a session that waits for a lock."""

    def __init__(self, conn: Any, sql: str, **kwargs: Any):
        self.result: Any = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(conn, sql, kwargs), daemon=True)
        self.thread.start()

    def _run(self, conn: Any, sql: str, kwargs: dict) -> None:
        try:
            self.result = conn.cursor().execute(sql, **kwargs).fetchall()
        except BaseException as exc:  # handed to the test
            self.error = exc

    def wait(self, timeout: float = 60) -> "Background":
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the statement never ended"
        return self


def test_a_delete_waits_for_a_live_transactions_lock_and_goes_on_after_its_commit(
    emulator, database
):
    holder, waiter = session(emulator, database), session(emulator, database)
    holder.cursor().execute("BEGIN")
    holder.cursor().execute("DELETE FROM T WHERE id < 4")
    blocked = Background(waiter, "DELETE FROM T")
    time.sleep(0.5)
    assert blocked.thread.is_alive()  # waiting for the lock (DuckDB alone failed it at once)
    holder.cursor().execute("COMMIT")  # the live holder's transaction is intact
    blocked.wait()
    assert blocked.error is None, blocked.error
    assert blocked.result == [(6,)]  # the rows the holder's commit left
    assert count(emulator, database) == 0


def test_a_dead_clients_transaction_is_aborted_once_it_blocks_past_the_idle_limit(
    emulator, database
):
    dead = session(emulator, database)  # killed: it never commits, rolls back nor logs out
    dead.cursor().execute("BEGIN")
    dead.cursor().execute("DELETE FROM T")
    dead.cursor().execute("INSERT INTO T VALUES (100)")

    with session(emulator, database) as loader:
        loader.cursor().execute("BEGIN")
        deleted = loader.cursor().execute("DELETE FROM T").fetchall()
        loader.cursor().execute("INSERT INTO T VALUES (7)")
        loader.cursor().execute("COMMIT")
    assert deleted == [(10,)]  # the dead transaction's delete was rolled back first
    assert count(emulator, database) == 1

    # the aborted session is told, once, and then works again
    with pytest.raises(ProgrammingError, match=r"aborted and rolled back.*table '.*\.T'"):
        dead.cursor().execute("COMMIT")
    assert dead.cursor().execute("SELECT COUNT(*) FROM T").fetchall() == [(1,)]
    dead.close()


def test_a_rollback_after_the_abort_just_succeeds(emulator, database):
    dead = session(emulator, database)
    dead.cursor().execute("BEGIN")
    dead.cursor().execute("UPDATE T SET id = id + 1")
    with session(emulator, database) as other:
        assert other.cursor().execute("DELETE FROM T WHERE id = 0").fetchall() == [(1,)]
    dead.cursor().execute("ROLLBACK")
    assert dead.cursor().execute("SELECT MIN(id) FROM T").fetchall() == [(1,)]
    dead.close()


def test_a_live_transaction_is_never_aborted_and_the_wait_ends_at_the_lock_timeout(
    emulator, database
):
    holder, waiter = session(emulator, database), session(emulator, database)
    holder.cursor().execute("BEGIN")
    holder.cursor().execute("DELETE FROM T WHERE id < 3")
    blocked = Background(waiter, "DELETE FROM T")
    while blocked.thread.is_alive():  # the holder keeps working, never idle for IDLE_S
        holder.cursor().execute("SELECT 1")
        time.sleep(IDLE_S / 4)
    assert isinstance(blocked.error, ProgrammingError)
    assert "LOCK_TIMEOUT" in str(blocked.error)
    assert blocked.error.errno == 625
    holder.cursor().execute("COMMIT")
    assert count(emulator, database) == 7
    waiter.cursor().execute("DELETE FROM T")  # the lock is free again
    assert count(emulator, database) == 0


def test_the_clients_statement_timeout_cancels_a_lock_wait(emulator, database):
    holder, waiter = session(emulator, database), session(emulator, database)
    holder.cursor().execute("BEGIN")
    holder.cursor().execute("DELETE FROM T")
    blocked = Background(waiter, "DELETE FROM T", timeout=1)  # the connector aborts it after 1 s
    blocked.wait()
    assert isinstance(blocked.error, ProgrammingError)
    assert blocked.error.errno == 604  # SQL execution canceled
    holder.cursor().execute("ROLLBACK")
    assert count(emulator, database) == 10


def test_a_deadlock_aborts_one_statement_and_leaves_its_transaction_open(emulator, database):
    first, second = session(emulator, database), session(emulator, database)
    first.cursor().execute("BEGIN")
    first.cursor().execute("DELETE FROM T WHERE id = 0")
    second.cursor().execute("BEGIN")
    second.cursor().execute("DELETE FROM U WHERE id = 0")
    crossing = {
        first: Background(first, "DELETE FROM U WHERE id = 1"),
        second: Background(second, "DELETE FROM T WHERE id = 1"),
    }
    deadline = time.monotonic() + 60
    while all(b.thread.is_alive() for b in crossing.values()):  # one of them is the victim
        assert time.monotonic() < deadline, "neither statement was chosen as the victim"
        time.sleep(0.05)
    victim = next(conn for conn, b in crossing.items() if not b.thread.is_alive())
    survivor = second if victim is first else first
    assert isinstance(crossing[victim].error, ProgrammingError)
    assert "Deadlock" in str(crossing[victim].error)
    victim.cursor().execute("COMMIT")  # its transaction went on: its first DELETE commits
    crossing[survivor].wait()
    assert crossing[survivor].error is None, crossing[survivor].error
    survivor.cursor().execute("COMMIT")
    counts = (count(emulator, database, "T"), count(emulator, database, "U"))
    assert counts == ((8, 9) if victim is first else (9, 8))


def test_a_sessions_lock_timeout_bounds_its_own_waits(emulator, database):
    """ALTER SESSION SET LOCK_TIMEOUT: 0 fails at once, 1 after a second; another session and
    UNSET keep the emulator's (6 s here); an invalid value is refused."""
    holder, waiter = session(emulator, database), session(emulator, database)
    holder.cursor().execute("BEGIN")
    holder.cursor().execute("DELETE FROM T WHERE id < 3")
    cur = waiter.cursor()
    assert cur.execute("ALTER SESSION SET LOCK_TIMEOUT = 0").fetchall() == [
        ("Statement executed successfully.",)
    ]
    for limit in (0, 1):
        holder.cursor().execute("SELECT 1")  # not idle: never taken for detached (IDLE_S)
        cur.execute(f"ALTER SESSION SET LOCK_TIMEOUT = {limit}")
        started = time.monotonic()
        with pytest.raises(ProgrammingError, match=rf"LOCK_TIMEOUT \({limit} s\)") as err:
            cur.execute("DELETE FROM T")
        assert err.value.errno == 625
        assert limit <= time.monotonic() - started < limit + 1.5
    cur.execute("ALTER SESSION UNSET LOCK_TIMEOUT")
    blocked = Background(waiter, "DELETE FROM T")
    for _ in range(5):  # 2.5 s: past the 1 s just set, within the emulator's 6 s
        holder.cursor().execute("SELECT 1")
        time.sleep(0.5)
    assert blocked.thread.is_alive(), blocked.error
    holder.cursor().execute("COMMIT")
    assert blocked.wait().error is None
    assert count(emulator, database) == 0
    with pytest.raises(ProgrammingError, match=r"Invalid value \[soon\] for parameter"):
        cur.execute("ALTER SESSION SET LOCK_TIMEOUT = soon")


def test_other_session_parameters_are_accepted_or_refused_by_name(emulator, database):
    cur = session(emulator, database).cursor()
    cur.execute("ALTER SESSION SET QUERY_TAG = 'nightly load' LOCK_TIMEOUT = 30")
    cur.execute("ALTER SESSION UNSET QUERY_TAG, LOCK_TIMEOUT")
    cur.execute("ALTER SESSION SET AUTOCOMMIT = TRUE")  # fakesnow's own
    for sql in (
        "ALTER SESSION SET TIMEZONE = 'UTC'",
        "ALTER SESSION SET QUERY_TAG = 'x' WEEK_START = 1",
    ):
        name = "TIMEZONE" if "TIMEZONE" in sql else "WEEK_START"
        with pytest.raises(
            ProgrammingError,
            match=f"ALTER SESSION SET {name} is not supported by the Snowflake emulator",
        ) as err:
            cur.execute(sql)
        assert err.value.errno == 2


def test_a_statement_past_the_sessions_statement_timeout_is_stopped_with_630(emulator, database):
    """ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS: the server stops a long query, and a lock
    wait, past it (Snowflake's 630); the session goes on; UNSET lifts the limit."""
    holder, waiter = session(emulator, database), session(emulator, database)
    cur = waiter.cursor()
    cur.execute("ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 1")

    def stopped(sql: str) -> None:
        started = time.monotonic()
        with pytest.raises(
            ProgrammingError, match=r"timeout of 1 second\(s\) and was canceled"
        ) as err:
            cur.execute(sql)
        assert err.value.errno == 630
        assert time.monotonic() - started < 1 + 3

    stopped(  # tens of seconds of work
        "SELECT SUM(MD5(a.x::VARCHAR || b.x::VARCHAR) > 'a') "
        "FROM (SELECT SEQ4() x FROM TABLE(GENERATOR(ROWCOUNT => 8000))) a, "
        "(SELECT SEQ4() x FROM TABLE(GENERATOR(ROWCOUNT => 8000))) b"
    )
    holder.cursor().execute("BEGIN")
    holder.cursor().execute("DELETE FROM T WHERE id < 3")
    stopped("DELETE FROM T")  # waits for the holder's lock (idle under IDLE_S: not detached)
    holder.cursor().execute("COMMIT")
    assert cur.execute("SELECT COUNT(*) FROM T").fetchone() == (7,)  # the session goes on
    cur.execute("ALTER SESSION UNSET STATEMENT_TIMEOUT_IN_SECONDS")
    assert cur.execute("SELECT COUNT(*) FROM range(30000000)").fetchone() == (30_000_000,)
    with pytest.raises(ProgrammingError, match=r"Invalid value \[604801\]"):
        cur.execute("ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 604801")
