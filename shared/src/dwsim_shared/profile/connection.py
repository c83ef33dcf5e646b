"""The database ``dwsim profile`` reads: one read-only psycopg2 session, errors a person can act on.

Only catalog rows, ``pg_stats`` and aggregates (counts) are read: no table row leaves the
database. The session is never committed.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from dwsim_shared.errors import DwsimError

CONNECT_TIMEOUT_S = 10


class ProfileError(DwsimError):
    """A database that cannot be profiled: unreachable, missing tables, no statistics..."""


def where(dsn: str) -> str:
    """``host:port/dbname`` of a DSN (URL or key=value), without user or password."""
    try:
        from psycopg2.extensions import parse_dsn

        parts = parse_dsn(dsn)
    except Exception:
        return "the database"
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    return f"{host}:{port}/{parts.get('dbname') or parts.get('user') or ''}"


class Session:
    """Queries on one connection; every failure names what was being read."""

    def __init__(self, conn: Any, dsn: str):
        self.conn, self.dsn = conn, dsn

    def rows(self, sql: str, params: Sequence[Any] | None = None, what: str = "") -> list[tuple]:
        import psycopg2

        try:
            with self.conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        except psycopg2.Error as exc:
            self.conn.rollback()
            message = (exc.pgerror or str(exc)).strip().splitlines()[0]
            raise ProfileError(f"reading {what or 'the catalog'} on {where(self.dsn)} failed: "
                               f"{message}") from None  # fmt: skip


@contextmanager
def connect(dsn: str) -> Iterator[Session]:
    """A session on ``dsn``, closed (and rolled back) at the end."""
    try:
        import psycopg2
    except ImportError:
        raise ProfileError(
            "dwsim profile needs psycopg2: pip install 'dwsim-shared[redshift]'"
        ) from None
    try:
        conn = psycopg2.connect(dsn, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg2.ProgrammingError as exc:
        raise ProfileError(f"the DSN is not valid: {exc}".strip()) from None
    except psycopg2.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
        raise ProfileError(f"cannot connect to {where(dsn)}: {reason}") from None
    try:
        yield Session(conn, dsn)
    finally:
        try:
            conn.rollback()
        finally:
            conn.close()
