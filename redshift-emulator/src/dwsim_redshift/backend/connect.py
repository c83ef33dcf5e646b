"""Opening a backend session (a PostgreSQL connection): address from the postgres URL, startup,
authentication (trust, password, md5, SCRAM-SHA-256), up to the first ReadyForQuery.
"""

import asyncio
import base64
import hashlib
import hmac
import os
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from dwsim_redshift.sql import HELPER_SCHEMA
from dwsim_redshift.wire import messages as pq

# Startup parameters PostgreSQL accepts; redshift_connector sends others (driver_version, ...)
# that PostgreSQL would reject as unknown settings.
PASSED_PARAMETERS = {
    "application_name",
    "client_encoding",
    "datestyle",
    "timezone",
    "extra_float_digits",
    "intervalstyle",
    "search_path",
    "options",
}


class BackendUnavailable(Exception):
    """PostgreSQL could not be reached or refused us; ``str()`` says which and why."""

    def __init__(self, message: str, sqlstate: str = "08006") -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@dataclass(frozen=True)
class BackendAddress:
    host: str
    port: int
    user: str
    password: str | None
    database: str

    @classmethod
    def from_url(cls, url: str) -> "BackendAddress":
        parts = urlsplit(url)
        if parts.scheme not in ("postgresql", "postgres"):
            raise ValueError(f"postgres URL must start with postgresql://, got {url!r}")
        query = parse_qs(parts.query)
        host = unquote(parts.hostname or "") or query.get("host", ["127.0.0.1"])[0]
        return cls(
            host=host,
            port=parts.port or int(query.get("port", ["5432"])[0]),
            user=unquote(parts.username or "") or "postgres",
            password=unquote(parts.password) if parts.password else None,
            database=unquote(parts.path.lstrip("/")) or "postgres",
        )

    def describe(self) -> str:
        return f"{self.host}:{self.port}/{self.database}"


@dataclass
class BackendConnection:
    """An opened backend session: its streams and what its startup reported."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    parameters: dict[str, str] = field(default_factory=dict)
    key_data: bytes = b""  # BackendKeyData payload: pid and secret, passed to the client as is
    status: bytes = pq.IDLE


async def open_backend(
    address: BackendAddress,
    database: str,
    client_params: dict[str, str],
    client_database: str | None = None,
) -> BackendConnection:
    """Connect and authenticate as the URL's user to ``database``; return at ReadyForQuery.
    ``client_database``: the name the client asked for ("dev"), which the session's
    dwsim_rs.database setting keeps (13_database_name.sql)."""
    try:
        if address.host.startswith("/"):
            path = os.path.join(address.host, f".s.PGSQL.{address.port}")
            reader, writer = await asyncio.open_unix_connection(path, limit=1 << 20)
        else:
            reader, writer = await asyncio.open_connection(
                address.host, address.port, limit=1 << 20
            )
    except OSError as exc:
        raise BackendUnavailable(
            f"the Redshift emulator cannot reach PostgreSQL at {address.host}:{address.port}: "
            f"{exc.strerror or exc}"
        ) from exc
    params = {"user": address.user, "database": database}
    for key, value in client_params.items():
        if key.lower() in PASSED_PARAMETERS:
            params[key] = value
    if not any(key.lower() == "search_path" for key in params):
        # Redshift's system relations (svv_table_info, stl_load_errors, ...) resolve unqualified
        # everywhere, even inside strings like has_table_privilege('svv_table_info', ...).
        params["search_path"] = f'"$user", public, {HELPER_SCHEMA}'
    params[f"{HELPER_SCHEMA}.database"] = client_database or database
    writer.write(pq.Startup(pq.PROTOCOL_V3, params).encode())
    conn = BackendConnection(reader, writer)
    try:
        await _authenticate(conn, address)
    except BaseException:
        writer.close()
        raise
    return conn


async def _authenticate(conn: BackendConnection, address: BackendAddress) -> None:
    scram: _Scram | None = None
    while True:
        try:
            code, payload = await pq.read_message(conn.reader)
        except asyncio.IncompleteReadError as exc:
            raise BackendUnavailable("PostgreSQL closed the connection during startup") from exc
        if code == b"R":
            kind = pq.read_int(payload)
            if kind == 0:
                continue
            if kind in (3, 5, 10) and address.password is None:
                raise BackendUnavailable(
                    f"PostgreSQL asks a password for user {address.user!r}: put it in "
                    "DWSIM_POSTGRES_URL (postgresql://user:password@host:port/db)",
                    "28P01",
                )
            if kind == 3:
                conn.writer.write(pq.message(b"p", pq.cstr(address.password or "")))
            elif kind == 5:
                conn.writer.write(pq.message(b"p", pq.cstr(_md5(address, payload[4:8]))))
            elif kind == 10:
                if b"SCRAM-SHA-256\0" not in payload[4:]:
                    raise BackendUnavailable("PostgreSQL offers no SASL mechanism we support")
                scram = _Scram(address.password or "")
                first = scram.client_first()
                conn.writer.write(
                    pq.message(
                        b"p", pq.cstr("SCRAM-SHA-256") + len(first).to_bytes(4, "big") + first
                    )
                )
            elif kind == 11 and scram is not None:
                conn.writer.write(pq.message(b"p", scram.client_final(payload[4:])))
            elif kind == 12:
                continue
            else:
                raise BackendUnavailable(f"PostgreSQL asks for unsupported authentication {kind}")
        elif code == b"S":
            (name, value), _ = pq.split_cstrings(payload, 2)
            conn.parameters[name] = value
        elif code == b"K":
            conn.key_data = payload
        elif code == b"Z":
            conn.status = payload[:1]
            return
        elif code == b"E":
            fields = pq.error_fields(payload)
            raise BackendUnavailable(
                f"PostgreSQL at {address.host}:{address.port} refused the connection: "
                f"{fields.get('M', 'unknown error')}",
                fields.get("C", "08006"),
            )


def _md5(address: BackendAddress, salt: bytes) -> str:
    inner = hashlib.md5(((address.password or "") + address.user).encode()).hexdigest()
    return "md5" + hashlib.md5(inner.encode() + salt).hexdigest()


class _Scram:
    """The client side of SCRAM-SHA-256 (RFC 5802/7677), without channel binding."""

    def __init__(self, password: str, user: str = "", nonce: str | None = None) -> None:
        # PostgreSQL takes the user from the startup message and ignores n= here
        self.password = password.encode()
        self.nonce = nonce or base64.b64encode(os.urandom(18)).decode()
        self.first_bare = f"n={user},r={self.nonce}"

    def client_first(self) -> bytes:
        return f"n,,{self.first_bare}".encode()

    def client_final(self, server_first: bytes) -> bytes:
        attrs = dict(p.split("=", 1) for p in server_first.decode().split(","))
        if not attrs["r"].startswith(self.nonce):
            raise BackendUnavailable("PostgreSQL's SCRAM nonce does not extend ours")
        salted = hashlib.pbkdf2_hmac(
            "sha256", self.password, base64.b64decode(attrs["s"]), int(attrs["i"])
        )
        client_key = hmac.digest(salted, b"Client Key", "sha256")
        stored = hashlib.sha256(client_key).digest()
        without_proof = f"c=biws,r={attrs['r']}"
        auth_message = f"{self.first_bare},{server_first.decode()},{without_proof}".encode()
        signature = hmac.digest(stored, auth_message, "sha256")
        proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
        return f"{without_proof},p={base64.b64encode(proof).decode()}".encode()


CANCEL_WAIT_S = 5.0  # at most, for PostgreSQL to close the cancel connection


async def send_cancel(address: BackendAddress, key_data: bytes) -> None:
    """Forward a client's CancelRequest (pid and secret are the backend's own) to PostgreSQL,
    and wait until PostgreSQL closes that connection, as libpq's PQcancel does: by then the
    backend has been signalled. Returning sooner let the client's cancel return (the emulator
    closes the client's cancel connection after this) before PostgreSQL had acted on it, so a
    cancel sent while the session was idle could stop the session's next statement."""
    try:
        if address.host.startswith("/"):
            path = os.path.join(address.host, f".s.PGSQL.{address.port}")
            reader, writer = await asyncio.open_unix_connection(path)
        else:
            reader, writer = await asyncio.open_connection(address.host, address.port)
    except OSError:
        return
    try:
        writer.write((16).to_bytes(4, "big") + pq.CANCEL_REQUEST.to_bytes(4, "big") + key_data)
        await writer.drain()
        await asyncio.wait_for(reader.read(), timeout=CANCEL_WAIT_S)
    except (OSError, TimeoutError):
        pass  # PostgreSQL has what it will get; the client's cancel is best effort
    finally:
        writer.close()
