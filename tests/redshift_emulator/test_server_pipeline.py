"""Extended-protocol batches as pipelining clients send them (no Sync between statements): the
emulator's own answers must come in order, and one ReadyForQuery per Sync, never more."""

import socket
import struct
import uuid

import pytest

from dwsim_redshift.wire import messages as pq
from tests.fixtures.redshift import RedshiftEmulator

ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwsim'"


class RawClient:
    def __init__(self, emulator: RedshiftEmulator) -> None:
        self.sock = socket.create_connection((emulator.host, emulator.port), timeout=30)
        self.buf = b""
        startup = pq.Startup(pq.PROTOCOL_V3, {"user": "raw", "database": "dev"})
        self.sock.sendall(startup.encode())
        self.until_ready()

    def send(self, *messages: bytes) -> None:
        self.sock.sendall(b"".join(messages))

    def _message(self) -> tuple[bytes, bytes]:
        while True:
            if len(self.buf) >= 5:
                length = struct.unpack_from("!i", self.buf, 1)[0]
                if len(self.buf) >= 1 + length:
                    code, payload = self.buf[:1], self.buf[5 : 1 + length]
                    self.buf = self.buf[1 + length :]
                    return code, payload
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("emulator closed the connection")
            self.buf += data

    def until_ready(self) -> list[tuple[bytes, bytes]]:
        out = []
        while True:
            code, payload = self._message()
            out.append((code, payload))
            if code == b"Z":
                return out

    def close(self) -> None:
        self.send(pq.TERMINATE)
        self.sock.close()


def parse(sql: str, name: str = "") -> bytes:
    return pq.message(b"P", pq.cstr(name) + pq.cstr(sql) + b"\0\0")


def bind(statement: str = "", portal: str = "") -> bytes:
    return pq.message(b"B", pq.cstr(portal) + pq.cstr(statement) + b"\0\0\0\0\0\0")


def execute(portal: str = "") -> bytes:
    return pq.message(b"E", pq.cstr(portal) + b"\0\0\0\0")


def codes(replies: list[tuple[bytes, bytes]]) -> str:
    return "".join(code.decode() for code, _ in replies)


@pytest.fixture
def client(redshift_emulator):
    raw = RawClient(redshift_emulator)
    yield raw
    raw.close()


@pytest.fixture
def loaded(s3_server, s3_bucket, redshift_emulator):
    """A table and the COPY statement that loads two rows into it."""
    import psycopg2

    table = f"t_{uuid.uuid4().hex[:10]}"
    s3_server.client().put_object(Bucket=s3_bucket, Key="p.csv", Body=b"1,a\n2,b\n")
    conn = psycopg2.connect(redshift_emulator.dsn)
    conn.autocommit = True
    conn.cursor().execute(f"CREATE TABLE {table} (id int, v varchar(5))")
    yield table, f"COPY {table} FROM 's3://{s3_bucket}/p.csv' {ROLE} CSV"
    conn.cursor().execute(f"DROP TABLE {table}")
    conn.close()


def test_copy_pipelined_after_other_statements(client, loaded):
    table, copy = loaded
    client.send(
        parse(f"INSERT INTO {table} VALUES (0, 'z')"), bind(), execute(),
        parse(copy, "c1"), bind("c1", "p1"), execute("p1"),
        parse(f"SELECT count(*) FROM {table}"), bind(), execute(),
        pq.SYNC,
    )  # fmt: skip
    replies = client.until_ready()
    assert codes(replies) == "12C" + "12C" + "12DC" + "Z"
    tags = [p.rstrip(b"\0").decode() for c, p in replies if c == b"C"]
    assert tags == ["INSERT 0 1", "COPY 2", "SELECT 1"]
    assert [p for c, p in replies if c == b"D"] == [b"\0\x01\0\0\0\x013"]
    assert replies[-1] == (b"Z", b"I")


def test_error_before_an_emulated_statement_skips_to_sync(client, loaded):
    table, copy = loaded
    client.send(
        parse("SELECT * FROM no_such_table"), bind(), execute(),
        parse(copy, "c2"), bind("c2", "p2"), execute("p2"),
        pq.SYNC,
    )  # fmt: skip
    replies = client.until_ready()
    assert codes(replies) == "EZ"
    client.send(parse(f"SELECT count(*) FROM {table}"), bind(), execute(), pq.SYNC)
    replies = client.until_ready()
    assert codes(replies) == "12DCZ"
    assert replies[2] == (b"D", b"\0\x01\0\0\0\x010")  # the COPY never ran


def test_unsupported_statement_in_a_batch(client):
    client.send(
        parse("CREATE EXTERNAL SCHEMA s FROM DATA CATALOG DATABASE 'x'"),
        bind(), execute(), pq.SYNC,
    )  # fmt: skip
    replies = client.until_ready()
    assert codes(replies) == "EZ"
    assert "cannot be emulated" in pq.error_fields(replies[0][1])["M"]
    client.send(pq.query("SELECT 1"))
    assert codes(client.until_ready()) == "TDCZ"
