"""The listening server: accepts clients, gives each its own backend session, stops cleanly.

Databases: a client's requested database is used if PostgreSQL has one of that name; any other
name (Redshift's usual ``dev``) maps to the database of DWSIM_POSTGRES_URL. The helper schema
(``dwsim_rs``: helper functions, stl_load_errors, svv_table_info, ...) is installed once per
backend database, on first use. Client sessions log in as the client role (backend/roles.py),
never as the URL's superuser; the emulator's own sessions (helper install) keep the superuser.
"""

import asyncio
import contextlib
import itertools
import logging
from dataclasses import replace

from dwsim_redshift.backend.channel import BackendChannel
from dwsim_redshift.backend.connect import (
    BackendAddress,
    BackendUnavailable,
    open_backend,
    send_cancel,
)
from dwsim_redshift.backend.roles import (
    USERS_GROUP,
    ClientRole,
    check_login,
    ensure_client_role,
    grants_sql,
    open_admin,
)
from dwsim_redshift.backend.session import BackendError
from dwsim_redshift.config import Settings
from dwsim_redshift.logs import log
from dwsim_redshift.query_log.tracker import SessionInfo, Tracker
from dwsim_redshift.query_log.writer import QueryLog
from dwsim_redshift.relay.relay import Relay
from dwsim_redshift.sql.helpers import HELPER_SQL
from dwsim_redshift.wire import messages as pq
from dwsim_redshift.wire.startup import authenticate, greeting, negotiate, read_password
from dwsim_redshift.wire.tls import ensure_tls_files, server_context

_HELPER_LOCK_KEY = 7_273_211  # advisory lock: emulators sharing a database install one at a time


class EmulatorServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.address = BackendAddress.from_url(settings.postgres_url)
        self.client_address = self.address  # where client sessions log in (start() sets it)
        self._role: ClientRole | None = None
        self.tls = None
        if settings.redshift_tls:
            files = ensure_tls_files(settings.tls_dir)
            self.tls = server_context(files)
            self.ca_file = files.ca_cert
        self._ids = itertools.count(1)
        self._sessions: set[asyncio.Task] = set()
        self._relays: dict[bytes, Relay] = {}  # by BackendKeyData, for CancelRequest
        self._databases: dict[str, str] = {}  # requested name -> backend database
        self._prepared: set[str] = set()
        self._created_users: set[str] = set()  # users made with CREATE USER, seen logging in
        self._query_logs: dict[str, QueryLog] = {}  # by backend database
        self._prepare_lock = asyncio.Lock()
        self._lookup_lock = asyncio.Lock()
        self._lookup_channel: BackendChannel | None = None  # see _lookup
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._role = await ensure_client_role(self.address, self.settings.redshift_client_role)
        await self._prepare(self.address.database)
        if self._role is not None:
            await check_login(self._role, self.address)
            self.client_address = self._role.address(self.address)
        self._server = await asyncio.start_server(
            self._accept,
            self.settings.redshift_host,
            self.settings.redshift_port,
            limit=1 << 20,
        )
        log(
            "redshift.started",
            host=self.settings.redshift_host,
            port=self.settings.redshift_port,
            backend=self.address.describe(),
            client_role=self.client_address.user,
            tls_ca=str(self.ca_file) if self.tls else None,
            s3_endpoint=self.settings.s3_endpoint_url,
        )

    async def stop(self) -> None:
        """Close the listener, then end every session (open transactions roll back)."""
        if self._server is not None:
            self._server.close()
        sessions = list(self._sessions)
        for task in sessions:
            task.cancel()
        await asyncio.gather(*sessions, return_exceptions=True)
        if self._lookup_channel is not None:
            self._lookup_channel.writer.close()
        for query_log in self._query_logs.values():
            await query_log.flush()
            await query_log.close()
        log("redshift.stopped", sessions_ended=len(sessions))

    # -- databases -------------------------------------------------------------------------

    async def _backend_database(self, requested: str) -> str:
        if requested in self._databases:
            return self._databases[requested]
        target = self.address.database
        if requested and requested != target:
            literal = requested.replace("'", "''")
            if await self._lookup(f"SELECT 1 FROM pg_database WHERE datname = '{literal}'"):
                target = requested
        self._databases[requested] = target
        return target

    async def _is_created_user(self, user: str) -> bool:
        """Whether ``user`` was made with CREATE USER through the emulator (a member of
        USERS_GROUP that may log in and is no superuser); remembered once true."""
        if user in self._created_users:
            return True
        if self._role is None or not user or user in (self.client_address.user, self.address.user):
            return False
        literal = user.replace("'", "''")
        try:
            rows = await self._lookup(
                "SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r "
                "ON r.oid = m.member JOIN pg_catalog.pg_roles g ON g.oid = m.roleid "
                f"WHERE r.rolname = '{literal}' AND g.rolname = '{USERS_GROUP}' "
                "AND r.rolcanlogin AND NOT r.rolsuper"
            )
        except BackendError:
            return False
        if rows:
            self._created_users.add(user)
        return bool(rows)

    async def _lookup(self, sql: str) -> list[tuple]:
        """Rows of a catalog query made at login, on one superuser session shared by every
        login (a crowd of clients connecting at once costs one backend, not one each)."""
        async with self._lookup_lock:
            try:
                return await self._lookup_once(sql)
            except BackendError:  # the shared session was lost (PostgreSQL restarted, ...)
                return await self._lookup_once(sql)

    async def _lookup_once(self, sql: str) -> list[tuple]:
        if self._lookup_channel is None:
            self._lookup_channel = await open_admin(self.address, self.address.database)
        try:
            return (await self._lookup_channel.query(sql))[1]
        except BaseException:  # failed, lost or cancelled mid-exchange: opened afresh next time
            self._lookup_channel.writer.close()
            self._lookup_channel = None
            raise

    async def _prepare(self, database: str) -> None:
        """Install the helper schema in ``database`` and grant the client role what it needs
        (idempotent; once per server). Only in the URL's database may the role create objects."""
        if database in self._prepared:
            return
        async with self._prepare_lock:
            if database in self._prepared:
                return
            channel = await open_admin(self.address, database)
            try:
                await channel.query(f"SELECT pg_advisory_lock({_HELPER_LOCK_KEY})")
                try:
                    await channel.query(HELPER_SQL)
                    if self._role is not None:
                        writable = database == self.address.database
                        await channel.query(grants_sql(self._role, writable))
                finally:
                    await channel.query(f"SELECT pg_advisory_unlock({_HELPER_LOCK_KEY})")
            except BackendError as exc:
                raise BackendUnavailable(
                    f"cannot install the Redshift helper schema in database {database!r}: {exc}"
                ) from exc
            finally:
                channel.writer.close()
            self._prepared.add(database)
            log("redshift.helpers_installed", database=database)

    # -- sessions --------------------------------------------------------------------------

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._sessions.add(task)
        conn_id = next(self._ids)
        peer = writer.get_extra_info("peername")
        try:
            await self._session(conn_id, reader, writer, peer)
        except (asyncio.IncompleteReadError, ConnectionError, TimeoutError):
            pass
        except pq.ProtocolError as exc:
            log("redshift.protocol_error", logging.WARNING, conn=conn_id, error=str(exc))
        except asyncio.CancelledError:
            pass
        except Exception:
            log("redshift.session_crashed", logging.ERROR, exc_info=True, conn=conn_id)
        finally:
            self._sessions.discard(task)
            writer.close()

    async def _session(
        self,
        conn_id: int,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        peer: object,
    ) -> None:
        hello = await asyncio.wait_for(negotiate(reader, writer, self.tls), timeout=30)
        if hello.cancel is not None:
            target = self._relays.get(hello.cancel.key_data)
            log("redshift.cancel", conn=target.conn_id if target else None)
            if target is not None:
                target.request_cancel()
            await send_cancel(self.address, hello.cancel.key_data)
            return
        writer = hello.writer
        login = self.client_address
        try:
            created = await self._is_created_user(hello.user)
        except BackendUnavailable as exc:
            await _unavailable(writer, conn_id, exc)
            return
        if created:
            # a user made with CREATE USER: its own PostgreSQL session, which checks the password
            login = replace(self.address, user=hello.user, password=await read_password(hello))
            refusal = None
        else:
            refusal = await authenticate(hello, self.settings)
        if refusal is not None:
            log("redshift.login_refused", logging.WARNING, conn=conn_id, user=hello.user)
            await _refuse(writer, refusal, "28P01")
            return
        assert hello.startup is not None
        try:
            database = await self._backend_database(hello.database)
            await self._prepare(database)
            backend = await open_backend(login, database, hello.startup.params, hello.database)
        except BackendUnavailable as exc:
            await _unavailable(writer, conn_id, exc)
            return
        writer.write(greeting(backend, hello.startup.params.get("application_name")))
        log(
            "redshift.connect",
            conn=conn_id,
            peer=str(peer),
            user=hello.user,
            database=hello.database,
            backend_database=database,
            tls=hello.tls,
            application=hello.startup.params.get("application_name"),
        )
        relay = Relay(
            conn_id,
            self.settings,
            (hello.reader, writer),
            (backend.reader, backend.writer),
            backend.status,
            self._tracker(database, hello.user or "", login.user, backend.key_data),
        )
        self._relays[backend.key_data] = relay
        try:
            await relay.run()
        finally:
            self._relays.pop(backend.key_data, None)
            log("redshift.disconnect", conn=conn_id)

    def _tracker(self, database: str, user: str, role: str, key_data: bytes) -> Tracker:
        """The session's query log tracker (its records go to the database's log, under
        ``role``, the PostgreSQL role the session runs as)."""
        sink = self._query_logs.get(database)
        if sink is None:
            sink = QueryLog(
                self.address,
                database,
                self.client_address.user,
                self.settings.redshift_query_log_rows,
            )
            self._query_logs[database] = sink
        pid = int.from_bytes(key_data[:4], "big") if len(key_data) >= 4 else 0
        return Tracker(sink, SessionInfo(pid, user, database, role))


async def _refuse(writer: asyncio.StreamWriter, message: str, sqlstate: str) -> None:
    writer.write(pq.error_response(message, sqlstate, severity="FATAL"))
    with contextlib.suppress(ConnectionError):
        await writer.drain()


async def _unavailable(writer: asyncio.StreamWriter, conn_id: int, exc: BackendUnavailable) -> None:
    """PostgreSQL could not give the client a session (down, or out of connection slots):
    the client gets PostgreSQL's reason and SQLSTATE, as a FATAL error."""
    log("redshift.backend_unavailable", logging.ERROR, conn=conn_id, error=str(exc))
    await _refuse(writer, str(exc), exc.sqlstate)
