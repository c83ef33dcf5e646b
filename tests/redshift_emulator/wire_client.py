"""A bare PostgreSQL-wire client over a socket, for what drivers never do: drop the connection
mid-statement, send malformed messages; and the checks that follow such a fault (the server
still answers, the backend session behind the client is gone, no transaction left open)."""

import socket
import struct
import time
import uuid

import psycopg2

from tests.fixtures.redshift import RedshiftEmulator


def startup_packet(**params: str) -> bytes:
    body = struct.pack("!i", 196608)
    for key, value in params.items():
        body += key.encode() + b"\0" + value.encode() + b"\0"
    body += b"\0"
    return struct.pack("!i", len(body) + 4) + body


def message(code: bytes, payload: bytes = b"") -> bytes:
    return code + struct.pack("!i", len(payload) + 4) + payload


def query(sql: str) -> bytes:
    return message(b"Q", sql.encode() + b"\0")


def read_message(sock: socket.socket) -> tuple[bytes, bytes]:
    header = _read_exactly(sock, 5)
    length = struct.unpack("!i", header[1:])[0]
    return header[:1], _read_exactly(sock, length - 4)


def _read_exactly(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("server closed the connection")
        data += chunk
    return data


def connect(emulator: RedshiftEmulator, application: str) -> socket.socket:
    """A logged-in session (no TLS), ready for a query; ``application`` names its backend."""
    sock = socket.create_connection((emulator.host, emulator.port), timeout=10)
    sock.sendall(startup_packet(user=emulator.user, database="dev", application_name=application))
    while True:
        code, payload = read_message(sock)
        if code == b"R" and payload[:4] == b"\0\0\0\3":
            sock.sendall(message(b"p", emulator.password.encode() + b"\0"))
        elif code == b"E":
            raise ConnectionError(payload.decode(errors="replace"))
        elif code == b"Z":
            return sock


def read_until_closed(sock: socket.socket, timeout: float = 10.0) -> bytes:
    """Everything the server sends until it closes the connection (fails after ``timeout``)."""
    sock.settimeout(timeout)
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def application_name() -> str:
    return f"fault_{uuid.uuid4().hex[:10]}"


def backends(emulator: RedshiftEmulator, application: str) -> list[tuple[str, str]]:
    """(state, query) of the PostgreSQL sessions the emulator opened for ``application``."""
    admin = psycopg2.connect(emulator.postgres_url)
    try:
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(
                "SELECT state, query FROM pg_stat_activity WHERE application_name = %s",
                (application,),
            )
            return cur.fetchall()
    finally:
        admin.close()


def wait_released(emulator: RedshiftEmulator, application: str, timeout: float = 10.0) -> None:
    """Wait until no PostgreSQL session of ``application`` is left; fail with what remains."""
    deadline = time.monotonic() + timeout
    while (left := backends(emulator, application)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == [], f"backend sessions left behind: {left}"


def idle_in_transaction(emulator: RedshiftEmulator) -> list[tuple[str, str]]:
    """(application_name, query) of the emulator's client sessions left inside a transaction."""
    admin = psycopg2.connect(emulator.postgres_url)
    try:
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(
                "SELECT application_name, query FROM pg_stat_activity "
                "WHERE datname = current_database() AND state LIKE 'idle in transaction%%' "
                "AND application_name LIKE 'fault\\_%%'"
            )
            return cur.fetchall()
    finally:
        admin.close()


def still_serving(emulator: RedshiftEmulator) -> None:
    """A fresh client connects and runs SELECT 1."""
    conn = psycopg2.connect(emulator.dsn, connect_timeout=10)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
    finally:
        conn.close()
