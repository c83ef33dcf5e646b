"""SHOW LOCKS, SHOW TRANSACTIONS and SYSTEM$ABORT_TRANSACTION, as a data engineer whose load
is stuck behind a lock uses them on Snowflake: find the holder, abort its transaction, and the
load goes on. The detached-transaction limit is long here, so only the abort ends a wait."""

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from snowflake.connector.errors import ProgrammingError

from tests.fixtures.snowflake import SnowflakeEmulator
from tests.snowflake_emulator.test_locks import (
    Background,
    count,
    lock_emulator,
    scratch_database,
    session,
)

LOCK_COLUMNS = [
    "resource", "type", "transaction", "transaction_started_on", "status", "acquired_on",
    "query_id", "session",
]  # fmt: skip
TRANSACTION_COLUMNS = ["id", "user", "session", "name", "started_on", "state", "scope"]


@pytest.fixture(scope="module")
def emulator(tmp_path_factory, s3_server) -> Iterator[SnowflakeEmulator]:
    with lock_emulator(tmp_path_factory, s3_server, idle_s=120, lock_timeout_s=120) as running:
        yield running


@pytest.fixture
def database(emulator) -> Iterator[str]:
    with scratch_database(emulator, ("T",)) as name:
        yield name


def shown(conn: Any, sql: str) -> list[dict[str, Any]]:
    cursor = conn.cursor().execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def locks_on(conn: Any, table: str, sql: str = "SHOW LOCKS") -> list[dict[str, Any]]:
    return [row for row in shown(conn, sql) if row["resource"] == table]


def wait_for_waiter(conn: Any, table: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while len(rows := locks_on(conn, table)) < 2:
        assert time.monotonic() < deadline, "the waiter never showed in SHOW LOCKS"
        time.sleep(0.1)
    return rows


def test_show_locks_and_transactions_find_the_holder_and_abort_lets_the_load_go_on(
    emulator, database
):
    table = f"{database}.PUBLIC.T"
    holder, waiter, engineer = (session(emulator, database) for _ in range(3))
    holder.cursor().execute("BEGIN")
    deleting = holder.cursor().execute("DELETE FROM T WHERE id < 4")
    holder.cursor().execute("INSERT INTO T VALUES (100)")
    waiter.cursor().execute("BEGIN")
    blocked = Background(waiter, "DELETE FROM T")

    rows = wait_for_waiter(engineer, table)
    cursor = engineer.cursor().execute("SHOW LOCKS")
    assert [d[0] for d in cursor.description] == LOCK_COLUMNS  # lower case, as Snowflake's
    holding, waiting = rows
    assert holding["status"] == "HOLDING"
    assert holding["type"] == "PARTITIONS"
    assert holding["query_id"] == deleting.sfqid  # the DELETE that took the lock
    assert holding["acquired_on"] is not None
    assert holding["transaction_started_on"] <= holding["acquired_on"]
    assert waiting["status"] == "WAITING"
    assert waiting["acquired_on"] is None
    assert holding["session"] is None  # the session column is for ACCOUNTADMIN only
    holder_id, waiter_id = holding["transaction"], waiting["transaction"]
    assert isinstance(holder_id, int)
    assert holder_id > 2**40  # a large integer, as Snowflake's ids
    assert holder_id != waiter_id

    # the output can be read back with RESULT_SCAN, its columns quoted in lower case
    engineer.cursor().execute("SHOW LOCKS")
    scanned = engineer.cursor().execute(
        'SELECT "transaction" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) '
        'WHERE "status" = \'HOLDING\' AND "resource" = %s',
        (table,),
    )
    assert scanned.fetchall() == [(holder_id,)]

    transactions = {row["id"]: row for row in shown(engineer, "SHOW TRANSACTIONS")}
    cursor = engineer.cursor().execute("SHOW TRANSACTIONS")
    assert [d[0] for d in cursor.description] == TRANSACTION_COLUMNS
    assert {holder_id, waiter_id} <= set(transactions)
    for found in (transactions[holder_id], transactions[waiter_id]):
        assert found["state"] == "running"
        assert found["user"] == "DWSIM"
        assert found["scope"] == 0
        assert uuid.UUID(found["name"])  # a system-generated name
    assert transactions[holder_id]["started_on"] == holding["transaction_started_on"]
    sessions = {transactions[i]["session"] for i in (holder_id, waiter_id)}
    assert len(sessions) == 2
    assert all(isinstance(s, int) for s in sessions)

    aborted = engineer.cursor().execute(f"SELECT SYSTEM$ABORT_TRANSACTION({holder_id})")
    assert aborted.description[0][0] == f"SYSTEM$ABORT_TRANSACTION({holder_id})"
    assert aborted.fetchall() == [(f"Aborted transaction id: {holder_id}",)]

    blocked.wait()
    assert blocked.error is None, blocked.error
    assert blocked.result == [(10,)]  # the holder's DELETE and INSERT were rolled back
    assert [r["status"] for r in locks_on(engineer, table)] == ["HOLDING"]  # the waiter's now
    waiter.cursor().execute("COMMIT")
    assert count(emulator, database) == 0

    # the aborted session is told once (625), then works again
    with pytest.raises(ProgrammingError, match=rf"transaction {holder_id} was aborted") as info:
        holder.cursor().execute("COMMIT")
    assert info.value.errno == 625
    assert holder.cursor().execute("SELECT COUNT(*) FROM T").fetchall() == [(0,)]

    assert locks_on(engineer, table) == []
    remaining = {row["id"] for row in shown(engineer, "SHOW TRANSACTIONS")}
    assert not {holder_id, waiter_id} & remaining
    for conn in (holder, waiter, engineer):
        conn.close()


def test_aborting_an_unknown_or_finished_transaction_is_snowflakes_error(emulator, database):
    with session(emulator, database) as conn:
        with pytest.raises(ProgrammingError, match="does not exist or not authorized") as info:
            conn.cursor().execute("SELECT SYSTEM$ABORT_TRANSACTION(1234567890123)")
        assert info.value.errno == 2003
        conn.cursor().execute("BEGIN")
        conn.cursor().execute("DELETE FROM T WHERE id = 0")
        (row,) = locks_on(conn, f"{database}.PUBLIC.T")
        conn.cursor().execute("COMMIT")
        assert locks_on(conn, f"{database}.PUBLIC.T") == []  # committed: no lock left
        with pytest.raises(ProgrammingError, match="does not exist or not authorized"):
            conn.cursor().execute(f"SELECT SYSTEM$ABORT_TRANSACTION({row['transaction']})")
        assert count(emulator, database) == 9  # the commit stands


def test_a_transaction_that_took_no_lock_is_listed_under_its_name(emulator, database):
    with session(emulator, database) as conn, session(emulator, database) as other:
        conn.cursor().execute("BEGIN TRANSACTION NAME nightly_load")
        conn.cursor().execute("INSERT INTO T VALUES (42)")  # INSERT takes no lock
        named = [r for r in shown(other, "SHOW TRANSACTIONS") if r["name"] == "NIGHTLY_LOAD"]
        assert len(named) == 1
        assert locks_on(other, f"{database}.PUBLIC.T") == []
        conn.cursor().execute("COMMIT")
        assert not [r for r in shown(other, "SHOW TRANSACTIONS") if r["name"] == "NIGHTLY_LOAD"]
    assert count(emulator, database) == 11


def test_aborting_the_waiting_transaction_fails_its_statement_and_spares_the_holder(
    emulator, database
):
    table = f"{database}.PUBLIC.T"
    holder, waiter = session(emulator, database), session(emulator, database)
    admin = emulator.connect(database=database, schema="PUBLIC", role="ACCOUNTADMIN")
    holder.cursor().execute("BEGIN")
    holder.cursor().execute("DELETE FROM T WHERE id < 4")
    waiter.cursor().execute("BEGIN")
    waiter.cursor().execute("INSERT INTO T VALUES (70)")
    blocked = Background(waiter, "DELETE FROM T")
    wait_for_waiter(admin, table)
    in_account = locks_on(admin, table, "SHOW LOCKS IN ACCOUNT")
    assert all(isinstance(r["session"], int) for r in in_account)  # shown to ACCOUNTADMIN
    waiting = next(r for r in in_account if r["status"] == "WAITING")

    admin.cursor().execute(f"SELECT SYSTEM$ABORT_TRANSACTION({waiting['transaction']})")
    blocked.wait()
    assert isinstance(blocked.error, ProgrammingError)
    assert blocked.error.errno == 625
    assert "was aborted and rolled back" in str(blocked.error)
    assert waiter.cursor().execute("SELECT COUNT(*) FROM T WHERE id = 70").fetchall() == [(0,)]
    holder.cursor().execute("COMMIT")  # the holder was not touched
    assert count(emulator, database) == 6
    for conn in (holder, waiter, admin):
        conn.close()


def test_another_user_neither_sees_nor_aborts_the_transaction(emulator, database):
    table = f"{database}.PUBLIC.T"
    with (
        session(emulator, database) as owner,
        emulator.connect(user="someone_else", database=database, schema="PUBLIC") as stranger,
    ):
        owner.cursor().execute("BEGIN")
        owner.cursor().execute("DELETE FROM T WHERE id = 0")
        (row,) = locks_on(owner, table)
        assert locks_on(stranger, table) == []
        assert locks_on(stranger, table, "SHOW LOCKS IN ACCOUNT") == []  # not ACCOUNTADMIN
        assert row["transaction"] not in {r["id"] for r in shown(stranger, "SHOW TRANSACTIONS")}
        with pytest.raises(ProgrammingError, match="does not exist or not authorized"):
            stranger.cursor().execute(f"SELECT SYSTEM$ABORT_TRANSACTION({row['transaction']})")
        owner.cursor().execute("COMMIT")
    assert count(emulator, database) == 9


def test_aborting_its_own_transaction_answers_and_the_next_statement_is_told(emulator, database):
    with session(emulator, database) as conn:
        conn.cursor().execute("BEGIN")
        conn.cursor().execute("DELETE FROM T")
        (row,) = locks_on(conn, f"{database}.PUBLIC.T")
        own = row["transaction"]
        answer = conn.cursor().execute(f"SELECT SYSTEM$ABORT_TRANSACTION({own})").fetchall()
        assert answer == [(f"Aborted transaction id: {own}",)]
        with pytest.raises(ProgrammingError, match="was aborted and rolled back") as info:
            conn.cursor().execute("COMMIT")
        assert info.value.errno == 625
        assert conn.cursor().execute("SELECT COUNT(*) FROM T").fetchall() == [(10,)]


def test_an_autocommit_statement_waiting_is_shown_but_only_its_statement_can_be_stopped(
    emulator, database
):
    table = f"{database}.PUBLIC.T"
    holder, waiter = session(emulator, database), session(emulator, database)
    holder.cursor().execute("BEGIN")
    holder.cursor().execute("DELETE FROM T WHERE id = 0")
    blocked = Background(waiter, "DELETE FROM T")  # autocommit: its own transaction
    waiting = next(r for r in wait_for_waiter(holder, table) if r["status"] == "WAITING")
    with pytest.raises(ProgrammingError, match=r"explicit \(multi-statement\) transactions only"):
        holder.cursor().execute(f"SELECT SYSTEM$ABORT_TRANSACTION({waiting['transaction']})")
    holder.cursor().execute("COMMIT")
    blocked.wait()
    assert blocked.error is None, blocked.error
    assert blocked.result == [(9,)]
    assert locks_on(holder, table) == []  # the autocommit statement's lock ended with it
    for conn in (holder, waiter):
        conn.close()


def test_a_session_without_autocommit_has_its_transaction_listed_from_its_first_dml(
    emulator, database
):
    with (
        emulator.connect(database=database, schema="PUBLIC", autocommit=False) as conn,
        session(emulator, database) as other,
    ):
        before = {r["id"] for r in shown(other, "SHOW TRANSACTIONS")}
        conn.cursor().execute("INSERT INTO T VALUES (100)")
        (opened,) = [r for r in shown(other, "SHOW TRANSACTIONS") if r["id"] not in before]
        conn.cursor().execute(f"SELECT SYSTEM$ABORT_TRANSACTION({opened['id']})")
        with pytest.raises(ProgrammingError, match="was aborted and rolled back"):
            conn.cursor().execute("SELECT 1")
    assert count(emulator, database) == 10
