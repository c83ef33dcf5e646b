"""A Tracker per backend session follows the client's statements through the backend's replies.

A statement is queued when the relay forwards it (a simple Query's statements, an Execute), and
recorded when its CommandComplete or ErrorResponse comes back; statements the backend skipped
after an error are dropped at ReadyForQuery. Statements the emulator runs itself (COPY, UNLOAD,
ALTER TABLE APPEND, TRUNCATE) are recorded whole. Records go to the QueryLog of the session's
database (writer.py).
"""

import time
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from dwsim_redshift.sql.statements import leading_words, split_statements

if TYPE_CHECKING:
    from dwsim_redshift.query_log.writer import QueryLog

_CANCELED = "57014"
_KINDS = {"SELECT": "SELECT", "WITH": "SELECT", "VALUES": "SELECT", "TABLE": "SELECT",
          "INSERT": "INSERT", "UPDATE": "UPDATE", "DELETE": "DELETE", "MERGE": "MERGE",
          "COPY": "COPY", "UNLOAD": "UNLOAD", "CREATE": "DDL", "ALTER": "DDL", "DROP": "DDL",
          "TRUNCATE": "DDL", "GRANT": "DDL", "REVOKE": "DDL", "COMMENT": "DDL"}  # fmt: skip


class QueryStatus(StrEnum):
    SUCCESS = "success"
    FAILED = "failed"
    CANCELED = "canceled"


@dataclass(frozen=True)
class SessionInfo:
    pid: int  # the backend's process id (Redshift's pid / session_id)
    user: str  # the name the client logged in with
    database: str
    role: str = ""  # the PostgreSQL role the session runs as (the records' userid)


@dataclass(frozen=True)
class QueryRecord:
    session: SessionInfo
    text: str
    start: float  # epoch seconds
    end: float
    status: QueryStatus
    error: str = ""
    rows: int = 0
    query_id: int | None = None  # set when the statement has one already (a COPY's)

    @property
    def query_type(self) -> str:
        head = leading_words(self.text, 6)
        if not head:
            return "UTILITY"
        if head[0] == "CREATE" and "TABLE" in head and "AS" in head:
            return "CTAS"
        return _KINDS.get(head[0], "UTILITY")


def _rows(tag: bytes) -> int:
    """Rows a command reported: SELECT 5, INSERT 0 5, UPDATE 5, COPY 5 ... (0 for the rest)."""
    last = tag.rsplit(b" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class Tracker:
    """One session's statements between the relay and the backend's replies."""

    def __init__(self, sink: "QueryLog | None", session: SessionInfo) -> None:
        self.sink = sink
        self.session = session
        self._queue: deque[list] = deque()  # [text, start] or None (a ReadyForQuery boundary)

    def sent(self, texts: list[str], syncing: bool, translated: list[str] | None = None) -> None:
        """Statements forwarded now; ``syncing``: the message ends a batch (a Query). A
        statement's ``translated`` text may hold more PostgreSQL statements than one (each
        answers with its own CommandComplete: the extra ones are tracked, not logged)."""
        if self.sink is None:
            return
        now = time.time()
        queue = self._queue
        for i, text in enumerate(texts):
            queue.append([text, now])  # "" (a text not known) is tracked, not logged
            pg = translated[i] if translated and i < len(translated) else ""
            if ";" in pg:
                queue.extend(["", now] for _ in range(len(split_statements(pg)) - 1))
        if syncing:
            queue.append(None)

    def synced(self) -> None:
        """The client's Sync was forwarded: its batch ends at the next ReadyForQuery."""
        if self.sink is not None:
            self._queue.append(None)

    def completed(self, tag: bytes) -> None:
        self._finish(QueryStatus.SUCCESS, rows=_rows(tag))

    def failed(self, fields: dict[str, str]) -> None:
        status = QueryStatus.CANCELED if fields.get("C") == _CANCELED else QueryStatus.FAILED
        self._finish(status, error=fields.get("M", ""))

    def ready(self) -> None:
        """ReadyForQuery: statements of the batch that never ran (after an error) are dropped."""
        queue = self._queue
        while queue:
            if queue.popleft() is None:
                return

    def _finish(self, status: QueryStatus, error: str = "", rows: int = 0) -> None:
        queue = self._queue
        if not queue or queue[0] is None:
            return
        text, start = queue.popleft()
        now = time.time()
        if queue and queue[0] is not None:
            queue[0][1] = now  # the next statement of a batch starts when this one ends
        if text.strip():
            self.record(text, start, now, status, error, rows)

    def record(
        self,
        text: str,
        start: float,
        end: float,
        status: QueryStatus,
        error: str = "",
        rows: int = 0,
        query_id: int | None = None,
    ) -> None:
        if self.sink is not None:
            record = QueryRecord(self.session, text, start, end, status, error, rows, query_id)
            self.sink.add(record)
