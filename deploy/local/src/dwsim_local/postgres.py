"""The PostgreSQL under the Redshift emulator: the one at DWSIM_POSTGRES_URL, or a private cluster.

When nothing answers at the URL and PostgreSQL's server programs are installed, a cluster is
initialised under ``<DWSIM_DATA_DIR>/postgres`` (trust auth, TCP on the URL's host and port only)
and run by the supervisor like every other process.
"""

import os
import pwd
import socket
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from dwsim_local.accounts import run_as
from dwsim_local.prereqs import POSTGRES_INSTALL_HINT, MissingPrerequisite, postgres_program


def answers(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def url_parts(url: str) -> tuple[str, int, str, str]:
    """(host, port, user, database) of a postgresql:// URL."""
    parsed = urlparse(url)
    return (
        parsed.hostname or "127.0.0.1",
        parsed.port or 5432,
        parsed.username or "postgres",
        unquote(parsed.path.lstrip("/")) or "postgres",
    )


def server_user() -> str | None:
    """None when we are not root; else the system 'postgres' account to run the server as."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise MissingPrerequisite(
            "running as root, and PostgreSQL will not run as root: create a 'postgres' user "
            "(installing the postgresql package does) or set DWSIM_POSTGRES_URL to a running server"
        ) from None
    return "postgres"


def private_cluster_command(url: str, data_dir: Path) -> tuple[list[str], str | None]:
    """Initialise the cluster if needed; the command that runs its server, and the user to run as."""
    initdb = postgres_program("initdb")
    server = postgres_program("postgres")
    if not initdb or not server:
        host, port, _, _ = url_parts(url)
        raise MissingPrerequisite(
            f"nothing answers at DWSIM_POSTGRES_URL ({host}:{port}) and no PostgreSQL server "
            f"is installed to start one: {POSTGRES_INSTALL_HINT}"
        )
    host, port, user, _ = url_parts(url)
    run_user = server_user()
    data_dir = data_dir.resolve()
    if not (data_dir / "PG_VERSION").exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        data_dir.chmod(0o700)
        if run_user:
            entry = pwd.getpwnam(run_user)
            os.chown(data_dir, entry.pw_uid, entry.pw_gid)
        result = subprocess.run(
            [initdb, "-D", str(data_dir), "-U", user, "--auth=trust", "-E", "UTF8"],
            capture_output=True,
            text=True,
            **run_as(run_user),
        )
        if result.returncode != 0:
            hint = (
                f"\nPostgreSQL runs as the '{run_user}' user here: every folder above {data_dir} "
                "must be searchable by it (or set DWSIM_DATA_DIR to a folder that is)."
                if run_user and "Permission denied" in result.stderr
                else ""
            )
            raise MissingPrerequisite(
                f"initdb failed for {data_dir}: {result.stderr.strip()}{hint}"
            )
    command = [
        server,
        "-D",
        str(data_dir),
        "-p",
        str(port),
        "-c",
        f"listen_addresses={host}",
        "-c",
        "unix_socket_directories=",
    ]
    return command, run_user


def ensure_database(url: str) -> bool:
    """Create the URL's database if the server does not have it; True if it was created.

    A database named in DWSIM_POSTGRES_URL (or DWSIM_METADATA_DB_URL) that does not exist yet
    is made, as the URL's user, from the server's maintenance database.
    """
    import psycopg2
    from psycopg2 import sql

    parsed = urlparse(url)
    host, port, user, database = url_parts(url)
    params = {"host": host, "port": port, "user": user, "password": parsed.password}
    params = {k: v for k, v in params.items() if v is not None}
    last_error: Exception | None = None
    for maintenance in ("postgres", "template1"):
        try:
            conn = psycopg2.connect(dbname=maintenance, connect_timeout=10, **params)
            break
        except psycopg2.OperationalError as exc:
            last_error = exc
    else:
        raise MissingPrerequisite(
            f"cannot connect to PostgreSQL at {host}:{port} as {user} to check that database "
            f"{database!r} exists: {str(last_error).strip()}"
        )
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cur.fetchone() is not None:
                return False
            try:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            except psycopg2.errors.DuplicateDatabase:
                return False  # made by someone else meanwhile
            except psycopg2.Error as exc:
                raise MissingPrerequisite(
                    f"database {database!r} does not exist at {host}:{port} and {user} cannot "
                    f"create it: {str(exc).strip()}; create it, or name another in the URL"
                ) from None
            return True
    finally:
        conn.close()


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and urlparse(url).scheme.split("+")[0] in ("postgresql", "postgres")
