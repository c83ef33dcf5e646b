"""Writing the query log behind stl_query and sys_query_history (dwsim_rs.query_log,
10_query_log.sql).

Records wait in the QueryLog of their backend database and are written in batches on a backend
session of the emulator's own: every second, and before a statement that reads the log, so a
session sees its own earlier queries. The table keeps the newest ``limit`` rows.
"""

import asyncio
import contextlib
import logging
import time
from collections import deque
from functools import lru_cache

from dwsim_redshift.backend.channel import BackendChannel
from dwsim_redshift.backend.connect import BackendAddress
from dwsim_redshift.backend.roles import open_admin
from dwsim_redshift.backend.session import BackendError
from dwsim_redshift.logs import log
from dwsim_redshift.query_log.tracker import QueryRecord

READERS = ("stl_query", "sys_query_history")
"""Relations that read the log: a statement naming one waits for the log to be written."""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COLUMNS = (
    "query_id, userid, session_id, user_name, database_name, query_type, status, "
    "error_message, start_time, end_time, returned_rows, query_text"
)


@lru_cache(maxsize=64)
def _utc_second(second: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(second))


def _utc(epoch: float) -> str:
    second = int(epoch)
    return f"{_utc_second(second)}.{int((epoch - second) * 1e6):06d}"


def _copy_line(record: QueryRecord, query_id: int, userid: int, database: str) -> str:
    """One row of COPY's text format (NULL as \\N; the free text escaped)."""
    session = record.session
    error = record.error[:1024].translate(_COPY_ESCAPES) if record.error else "\\N"
    return (
        f"{query_id}\t{userid}\t{session.pid}\t{session.user.translate(_COPY_ESCAPES)}\t"
        f"{database.translate(_COPY_ESCAPES)}\t{record.query_type}\t{record.status}\t{error}\t"
        f"{_utc(record.start)}\t{_utc(record.end)}\t{record.rows}\t"
        f"{record.text.translate(_COPY_ESCAPES)}\n"
    )


class QueryLog:
    """The records of one backend database, written in batches by the emulator's own session
    (COPY into an unlogged table: the log is a convenience, not data to keep after a crash)."""

    _TRIM_EVERY = 10  # flushes between two trims of the table to ``limit`` rows

    def __init__(self, admin: BackendAddress, database: str, role: str, limit: int) -> None:
        self.admin = admin
        self.database = database
        self.role = role  # the role client sessions log in as, for records that name none
        self.limit = max(limit, 1)
        self._pending: deque[QueryRecord] = deque(maxlen=self.limit)
        self._lock = asyncio.Lock()
        self._channel: BackendChannel | None = None
        self._flushes = 0
        self._task: asyncio.Task | None = None

    def add(self, record: QueryRecord) -> None:
        self._pending.append(record)
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        try:
            await asyncio.sleep(1)
            await self.flush()
        finally:
            self._task = None

    async def flush(self) -> None:
        """Write what is pending (a failure is logged: the log is a convenience, not data)."""
        async with self._lock:
            if not self._pending:
                return
            records = list(self._pending)
            self._pending.clear()
            try:
                await self._write(records)
            except (BackendError, OSError) as exc:
                log("redshift.query_log_failed", logging.WARNING, error=str(exc))
                await self.close()

    async def _connect(self) -> BackendChannel:
        if self._channel is None:
            self._channel = await open_admin(self.admin, self.database)
        return self._channel

    async def _userids(self, channel: BackendChannel, roles: set[str]) -> dict[str, int]:
        """Each role's oid, looked up afresh for every batch (a user dropped and made again
        gets another): the userid a user made with CREATE USER sees its own rows by."""
        names = ", ".join(_literal(r) for r in sorted(roles))
        _, rows = await channel.query(
            "SELECT rolname::text, oid::integer FROM pg_catalog.pg_roles "
            f"WHERE rolname IN ({names})"
        )
        return {str(name): int(oid) for name, oid in rows}

    async def _write(self, records: list[QueryRecord]) -> None:
        channel = await self._connect()
        records.sort(key=lambda r: r.start)
        userids = await self._userids(channel, {r.session.role or self.role for r in records})
        _, ids = await channel.query(
            "SELECT pg_catalog.nextval('dwsim_rs.load_query_seq') "
            f"FROM pg_catalog.generate_series(1, {sum(1 for r in records if not r.query_id)})"
        )
        fresh = iter(int(row[0]) for row in ids)
        data = "".join(
            _copy_line(
                r,
                r.query_id or next(fresh),
                userids.get(r.session.role or self.role, 0),
                self.database,
            )
            for r in records
        )
        await channel.start_copy_in(f"COPY dwsim_rs.query_log ({_COLUMNS}) FROM STDIN")
        await channel.send_copy_data(data.encode("utf-8", "surrogateescape"))
        await channel.finish_copy_in()
        self._flushes += 1
        if self._flushes % self._TRIM_EVERY == 1 or len(records) >= self.limit:
            await channel.query(
                "DELETE FROM dwsim_rs.query_log WHERE query_id < (SELECT query_id FROM "
                f"dwsim_rs.query_log ORDER BY query_id DESC OFFSET {self.limit - 1} LIMIT 1)"
            )

    async def close(self) -> None:
        if self._channel is not None:
            with contextlib.suppress(Exception):
                self._channel.writer.close()
            self._channel = None
