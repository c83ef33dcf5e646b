"""The client side of connection startup: SSLRequest (TLS), CancelRequest, StartupMessage, login,
and the greeting that tells the client it talks to Redshift 8.0.2.
"""

import asyncio
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dwsim_redshift.config import Settings
from dwsim_redshift.wire import messages as pq

if TYPE_CHECKING:  # the wire does not depend on the backend session, only greets with its state
    from dwsim_redshift.backend.connect import BackendConnection

SERVER_VERSION = "8.0.2"  # what Redshift reports; drivers and dbt-redshift branch on it


@dataclass(frozen=True)
class CancelKey:
    key_data: bytes  # the backend's pid and secret, which clients got from us unchanged


@dataclass
class ClientHello:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    startup: pq.Startup | None = None
    cancel: CancelKey | None = None
    tls: bool = False

    @property
    def user(self) -> str:
        return self.startup.params.get("user", "") if self.startup else ""

    @property
    def database(self) -> str:
        if self.startup is None:
            return ""
        return self.startup.params.get("database") or self.user


async def negotiate(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, tls: ssl.SSLContext | None
) -> ClientHello:
    """Read untyped packets until a StartupMessage or CancelRequest; upgrade to TLS if asked."""
    hello = ClientHello(reader, writer)
    while True:
        body = await pq.read_startup_packet(reader)
        code = pq.read_int(body)
        if code == pq.SSL_REQUEST:
            if tls is not None and not hello.tls:
                writer.write(b"S")
                await writer.drain()
                await writer.start_tls(tls)
                hello.tls = True
            else:
                writer.write(b"N")
            continue
        if code == pq.GSSENC_REQUEST:
            writer.write(b"N")
            continue
        if code == pq.CANCEL_REQUEST:
            if len(body) < 12:  # no whole pid and secret: nothing to pass on to PostgreSQL
                raise pq.ProtocolError(f"invalid cancel request length {len(body) + 4}")
            hello.cancel = CancelKey(body[4:12])
            return hello
        if code >> 16 == 3:
            hello.startup = pq.parse_startup(body)
            return hello
        raise pq.ProtocolError(f"unsupported frontend protocol {code >> 16}.{code & 0xFFFF}")


async def authenticate(hello: ClientHello, settings: Settings) -> str | None:
    """Check the client's login; return an error message to send, or None if it may go on.

    By default any user and password are accepted (the backend logs in with the credentials
    of DWSIM_POSTGRES_URL); with DWSIM_REDSHIFT_CHECK_PASSWORD=true the client must use
    DWSIM_REDSHIFT_USER / DWSIM_REDSHIFT_PASSWORD.
    """
    if not settings.redshift_check_password:
        return None
    password = await read_password(hello)
    if hello.user != settings.redshift_user or password != settings.redshift_password:
        return f'password authentication failed for user "{hello.user}"'
    return None


async def read_password(hello: ClientHello) -> str:
    """Ask the client for its password (in clear text, over TLS when the client asked for it)."""
    hello.writer.write(pq.auth_request(3))
    await hello.writer.drain()
    code, payload = await pq.read_message(hello.reader)
    if code != b"p":
        raise pq.ProtocolError(f"expected a password message, got {code!r}")
    return payload.rstrip(b"\0").decode(errors="replace")


def greeting(backend: "BackendConnection", application: str | None = None) -> bytes:
    """AuthenticationOk, the backend's parameters (as Redshift), its key data, ReadyForQuery.

    psql is told the real version: it picks its catalog queries (\\d, \\dt) by version, and
    those for 8.0 read columns PostgreSQL no longer has.
    """
    parts = [pq.auth_request(0)]
    for name, value in backend.parameters.items():
        if name == "server_version" and application != "psql":
            value = SERVER_VERSION
        parts.append(pq.parameter_status(name, value))
    if backend.key_data:
        parts.append(pq.message(b"K", backend.key_data))
    parts.append(pq.ready_for_query(backend.status))
    return b"".join(parts)
