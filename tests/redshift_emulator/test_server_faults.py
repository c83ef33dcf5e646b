"""The Redshift emulator survives its clients' faults: a client gone mid-result or mid-COPY, a
CancelRequest during a long query, malformed protocol messages. After each, the server answers
a fresh client, the faulty client's PostgreSQL session is gone and no transaction is left open.
(Many clients at once: test_server_crowd.py.)"""

import socket
import struct
import threading
import time
import uuid

import psycopg2
import psycopg2.errors
import pytest

from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.s3 import S3Server
from tests.redshift_emulator import wire_client as wire

ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwsim'"
BIG_COPY_ROWS = 20 * 50_000


@pytest.fixture
def table(redshift_emulator: RedshiftEmulator):
    name = f"f_{uuid.uuid4().hex[:10]}"
    owner = psycopg2.connect(redshift_emulator.dsn)
    owner.autocommit = True
    with owner.cursor() as cur:
        cur.execute(f"CREATE TABLE {name} (id integer, label varchar(20))")
    yield name
    with owner.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")
    owner.close()


@pytest.fixture
def big_csv(s3_server: S3Server, s3_bucket: str) -> str:
    body = "".join(f"{i},row{i}\n" for i in range(50_000)).encode()
    client = s3_server.client()
    for part in range(20):
        client.put_object(Bucket=s3_bucket, Key=f"big/part-{part:02d}.csv", Body=body)
    return f"s3://{s3_bucket}/big/"


def _count(emulator: RedshiftEmulator, table: str) -> int:
    conn = psycopg2.connect(emulator.dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {table}")
            return cur.fetchone()[0]
    finally:
        conn.close()


def _after_fault(emulator: RedshiftEmulator, application: str) -> None:
    wire.wait_released(emulator, application)
    assert wire.idle_in_transaction(emulator) == []
    wire.still_serving(emulator)


# -- clients that go away --------------------------------------------------------------------


def test_client_gone_mid_result_ends_its_backend_session(redshift_emulator):
    app = wire.application_name()
    sock = wire.connect(redshift_emulator, app)
    sock.sendall(wire.query("SELECT g, repeat('x', 200) FROM generate_series(1, 20000000) g"))
    assert wire.read_message(sock)[0] == b"T"
    assert wire.read_message(sock)[0] == b"D"  # the rows are coming: hang up on them
    sock.close()
    _after_fault(redshift_emulator, app)


@pytest.mark.parametrize("block", [False, True], ids=["autocommit", "in_block"])
def test_client_gone_mid_copy_leaves_the_table_empty_or_full(
    redshift_emulator, table, big_csv, block
):
    app = wire.application_name()
    sock = wire.connect(redshift_emulator, app)
    sql = f"COPY {table} FROM '{big_csv}' {ROLE} CSV"
    sock.sendall(wire.query(f"BEGIN; {sql}" if block else sql))
    time.sleep(0.2)  # the load is under way (it takes about a second)
    sock.close()
    _after_fault(redshift_emulator, app)
    loaded = _count(redshift_emulator, table)
    # never partial; inside a block nobody can commit it any more
    assert loaded == 0 if block else loaded in (0, BIG_COPY_ROWS)


# -- cancel ----------------------------------------------------------------------------------


def test_cancel_stops_a_cross_join_on_the_backend(redshift_emulator):
    app = wire.application_name()
    conn = psycopg2.connect(redshift_emulator.dsn, application_name=app)
    try:
        timer = threading.Timer(0.5, conn.cancel)
        timer.start()
        started = time.monotonic()
        with conn.cursor() as cur, pytest.raises(psycopg2.errors.QueryCanceled):
            cur.execute(
                "SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b"
            )
        timer.join()
        assert time.monotonic() - started < 10
        # the join stopped on PostgreSQL too, and the session is left in its failed block
        states = [state for state, _ in wire.backends(redshift_emulator, app)]
        assert states == ["idle in transaction (aborted)"]
        conn.rollback()
        with conn.cursor() as cur:
            cur.execute("SELECT 'still here'")
            assert cur.fetchone() == ("still here",)
        conn.commit()
    finally:
        conn.close()
    _after_fault(redshift_emulator, app)


def test_a_cancel_of_an_idle_session_does_not_stop_its_next_statement(redshift_emulator):
    """As with PostgreSQL, whose client's cancel returns once the server has acted on it: a
    cancel that finds no statement running is spent, not left to stop the next one (the
    emulator returned before PostgreSQL had the signal, and the next statement could get it)."""
    conn = psycopg2.connect(redshift_emulator.dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for i in range(40):
                conn.cancel()
                cur.execute("SELECT pg_sleep(0.02), %s", (i,))
                assert cur.fetchone()[1] == i
    finally:
        conn.close()


# -- malformed messages ----------------------------------------------------------------------

_BEFORE_LOGIN = {
    "startup_length_too_small": struct.pack("!i", 3),
    "startup_length_too_large": struct.pack("!i", 1_000_000) + b"\0" * 64,
    "unsupported_protocol": struct.pack("!ii", 8, 2 << 16),
    "cancel_request_for_no_session": struct.pack("!iiii", 16, 80877102, 1, 2),
    "cancel_request_cut_short": struct.pack("!iii", 12, 80877102, 1),
    "http_request": b"GET / HTTP/1.1\r\nHost: emulator\r\n\r\n",
    "garbage": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("data", _BEFORE_LOGIN.values(), ids=_BEFORE_LOGIN.keys())
def test_malformed_startup_is_dropped_and_the_server_goes_on(redshift_emulator, data):
    with socket.create_connection((redshift_emulator.host, redshift_emulator.port)) as sock:
        sock.sendall(data)
        answer = wire.read_until_closed(sock, timeout=5)  # closed, not left hanging
    assert answer == b"" or answer[:1] == b"E"
    wire.still_serving(redshift_emulator)


def test_truncated_startup_packet_then_hang_up(redshift_emulator):
    packet = wire.startup_packet(user="dwsim", database="dev")
    with socket.create_connection((redshift_emulator.host, redshift_emulator.port)) as sock:
        sock.sendall(packet[: len(packet) // 2])
        sock.shutdown(socket.SHUT_WR)
        assert wire.read_until_closed(sock, timeout=5) == b""
    wire.still_serving(redshift_emulator)


_AFTER_LOGIN = {
    "unknown_message_type": wire.message(b"y", b"what is this"),
    "length_below_header": b"Q" + struct.pack("!i", 2) + b"SELECT 1\0",
    "negative_length": b"Q" + struct.pack("!i", -100),
    "length_beyond_any_message": b"Q" + struct.pack("!i", 0x7FFFFFF0) + b"SELECT 1",
    "garbage": b"\xde\xad\xbe\xef" * 64,
}


@pytest.mark.parametrize("data", _AFTER_LOGIN.values(), ids=_AFTER_LOGIN.keys())
def test_malformed_message_ends_that_session_only(redshift_emulator, data):
    app = wire.application_name()
    sock = wire.connect(redshift_emulator, app)
    with sock:
        sock.sendall(data)  # and stay connected: the server must not wait for more
        answer = wire.read_until_closed(sock, timeout=5)
    if answer:  # PostgreSQL's words for a message type it does not know
        assert answer[:1] == b"E"
        assert b"C08P01\0" in answer
    _after_fault(redshift_emulator, app)


def test_message_cut_short_by_hang_up(redshift_emulator):
    app = wire.application_name()
    sock = wire.connect(redshift_emulator, app)
    sock.sendall(b"Q" + struct.pack("!i", 100) + b"SELECT")
    sock.close()
    _after_fault(redshift_emulator, app)
