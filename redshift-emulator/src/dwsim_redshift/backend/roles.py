"""The PostgreSQL role client sessions run as: a login without superuser powers, so nothing a
client sends can read, write or run anything on the host (pg_read_file, COPY ... PROGRAM, ALTER
SYSTEM, untrusted extensions...). The emulator's own setup keeps the URL's superuser.

The role (DWSIM_REDSHIFT_CLIENT_ROLE, ``dwsim_user``) is made if missing, never altered beyond
its password: an existing role with host access (superuser, CREATEROLE before PostgreSQL 16,
member of pg_read_server_files / pg_write_server_files / pg_execute_server_program) stops the
emulator at start instead. Its password is derived from the superuser's, so emulators sharing
a cluster agree on it without storing one.
"""

import hashlib
import hmac
from dataclasses import dataclass, replace

from dwsim_redshift.backend.channel import BackendChannel
from dwsim_redshift.backend.connect import BackendAddress, BackendUnavailable, open_backend
from dwsim_redshift.backend.session import BackendError
from dwsim_redshift.sql import HELPER_SCHEMA

ADMIN_SEARCH_PATH = f"pg_catalog, {HELPER_SCHEMA}"
"""search_path of the emulator's own superuser sessions: nothing a client can create in (a
function a client put in ``public`` would otherwise run as the superuser)."""

HOST_ACCESS_ROLES = ("pg_read_server_files", "pg_write_server_files", "pg_execute_server_program")

# Emulator catalog tables written from client sessions by helper functions that run as the
# client (dwsim_rs.add_keys/drop_key resolve table names on the client's search_path, so they
# cannot be SECURITY DEFINER with a fixed one): the role may write these rows, nothing more.
# COPY writes stl_load_commits in the client's transaction (so a rolled-back load leaves no row).
CLIENT_WRITABLE_TABLES = ("table_constraint", "stl_load_commits")
CLIENT_SEQUENCES = ("constraint_oid_seq", "load_query_seq")

# Users made with CREATE USER (sql/plpgsql/14_users.sql) are members of this group: a client
# logging in under such a name runs as that user (server.py), with the helper schema's grants
# above but nothing of the client role's. Only the client role may make and drop them.
USERS_GROUP = "dwsim_rs_users"
STATS_READER = "pg_read_all_stats"  # PostgreSQL's role that reads every session's activity
USER_ADMIN = ("create_user(text, text)", "drop_user(text, boolean)")


class UnsafeClientRole(BackendUnavailable):
    """The configured client role could reach the host; ``str()`` says how and what to do."""


@dataclass(frozen=True)
class ClientRole:
    name: str
    password: str

    def address(self, admin: BackendAddress) -> BackendAddress:
        """Where client sessions log in: the superuser's server, as this role."""
        return replace(admin, user=self.name, password=self.password)


def client_role(name: str, admin: BackendAddress) -> ClientRole:
    if name == admin.user:
        raise UnsafeClientRole(
            f"DWSIM_REDSHIFT_CLIENT_ROLE is {name!r}, the user of DWSIM_POSTGRES_URL: client "
            "sessions must run as a role of their own"
        )
    key = (admin.password or "").encode()
    password = hmac.new(key, f"dwsim-redshift-client:{name}".encode(), hashlib.sha256)
    return ClientRole(name, password.hexdigest())


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_role_sql(role: ClientRole) -> str:
    """Make the role if it does not exist (concurrent emulators may race: the loser's CREATE
    fails harmlessly). From PostgreSQL 16 CREATEROLE manages only the roles it made, so Redshift's
    CREATE USER/GROUP keep working; before 16 it could grant itself pg_execute_server_program."""
    name = _literal(role.name)
    attributes = "LOGIN NOSUPERUSER NOCREATEDB NOREPLICATION NOBYPASSRLS INHERIT"
    return f"""
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {name}) THEN
        EXECUTE format('CREATE ROLE %I {attributes} %s PASSWORD %L', {name},
            CASE WHEN current_setting('server_version_num')::int >= 160000
                 THEN 'CREATEROLE' ELSE 'NOCREATEROLE' END,
            {_literal(role.password)});
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$do$;
"""


def reset_password_sql(role: ClientRole) -> str:
    return f"ALTER ROLE {_ident(role.name)} PASSWORD {_literal(role.password)}"


def host_access_sql(role: ClientRole) -> str:
    """One row per way the role could reach the host (none expected)."""
    name = _literal(role.name)
    memberships = " UNION ALL ".join(
        f"SELECT 'member of {r}' FROM pg_catalog.pg_roles "
        f"WHERE rolname = {name} AND pg_catalog.pg_has_role(oid, '{r}', 'MEMBER')"
        for r in HOST_ACCESS_ROLES
    )
    return f"""
SELECT 'a superuser' FROM pg_catalog.pg_roles WHERE rolname = {name} AND rolsuper
UNION ALL
SELECT 'allowed to create roles (PostgreSQL before 16 lets it grant itself server file access)'
FROM pg_catalog.pg_roles WHERE rolname = {name} AND rolcreaterole
  AND current_setting('server_version_num')::int < 160000
UNION ALL
{memberships}
"""


def _helper_grants(who: str) -> str:
    schema = HELPER_SCHEMA
    return "\n".join(
        [
            f"GRANT USAGE ON SCHEMA {schema} TO {who};",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {who};",
            *(
                f"GRANT INSERT, UPDATE, DELETE ON {schema}.{t} TO {who};"
                for t in CLIENT_WRITABLE_TABLES
            ),
            *(f"GRANT USAGE ON SEQUENCE {schema}.{s} TO {who};" for s in CLIENT_SEQUENCES),
        ]
    )


def grants_sql(role: ClientRole, writable: bool) -> str:
    """What the role needs in one database, after HELPER_SQL: the helper schema's relations, and,
    in the emulator's own database (``writable``), creating schemas and tables in it and public,
    as any Redshift user may. Users made with CREATE USER get the helper schema's grants only."""
    schema = HELPER_SCHEMA
    lines = [
        *(_helper_grants(who) for who in (_ident(role.name), USERS_GROUP)),
        *(f"GRANT EXECUTE ON FUNCTION {schema}.{f} TO {_ident(role.name)};" for f in USER_ADMIN),
        # stv_sessions / stv_recents: the role sees every session, as Redshift's superuser
        # does (users made with CREATE USER see their own only); no host access in it
        f"GRANT {STATS_READER} TO {_ident(role.name)};",
    ]
    if writable:
        lines.append(
            f"""DO $do$
BEGIN
    EXECUTE format('GRANT CREATE, TEMPORARY ON DATABASE %I TO %I', current_database(),
                   {_literal(role.name)});
    IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'public') THEN
        EXECUTE format('GRANT USAGE, CREATE ON SCHEMA public TO %I', {_literal(role.name)});
    END IF;
END
$do$;"""
        )
    return "\n".join(lines) + "\n"


async def open_admin(admin: BackendAddress, database: str) -> BackendChannel:
    """A superuser session of the emulator's own (close its ``writer`` when done)."""
    backend = await open_backend(admin, database, {"search_path": ADMIN_SEARCH_PATH})
    return BackendChannel(backend.reader, backend.writer, backend.status, _ignore)


async def ensure_client_role(admin: BackendAddress, name: str) -> ClientRole | None:
    """Make or check the client role; None when the URL's user is no superuser (then clients
    log in as that user, which must not reach the host either)."""
    channel = await open_admin(admin, admin.database)
    try:
        _, rows = await channel.query(
            "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user"
        )
        if not (rows and rows[0][0]):
            _, found = await channel.query(host_access_sql(ClientRole(admin.user, "")))
            if found:
                raise UnsafeClientRole(
                    f"the user of DWSIM_POSTGRES_URL, {admin.user!r}, is no superuser but is "
                    f"{found[0][0]}: client sessions, which would run as that user, could reach "
                    "the host's files; put a superuser in the URL (the emulator then makes a "
                    "client role without that access) or take that away from the user"
                )
            return None
        role = client_role(name, admin)
        await channel.query(create_role_sql(role))
        _, found = await channel.query(host_access_sql(role))
    except BackendError as exc:
        raise BackendUnavailable(f"cannot set up the client role {name!r}: {exc}") from exc
    finally:
        channel.writer.close()
    if found:
        raise UnsafeClientRole(
            f"the role client sessions run as, {name!r}, is {found[0][0]}: that would let "
            "clients reach the host's files; remove that from the role or name another in "
            "DWSIM_REDSHIFT_CLIENT_ROLE"
        )
    return role


async def check_login(role: ClientRole, admin: BackendAddress) -> None:
    """Log in once as the role; reset its password if PostgreSQL refuses the one we derive."""
    for attempt in range(2):
        try:
            backend = await open_backend(role.address(admin), admin.database, {})
        except BackendUnavailable as exc:
            if attempt or exc.sqlstate not in ("28P01", "28000"):
                raise BackendUnavailable(
                    f"client sessions log in to PostgreSQL as {role.name!r} and it refuses them: "
                    f"{exc}; let that role log in with a password (pg_hba.conf) from here",
                    exc.sqlstate,
                ) from exc
            channel = await open_admin(admin, admin.database)
            try:
                await channel.query(reset_password_sql(role))
            finally:
                channel.writer.close()
            continue
        backend.writer.close()
        return


def _ignore(_: bytes) -> None:
    pass
