"""Abort requests, remembered for a COPY INTO that is between two of its DuckDB statements.

The abort request interrupts the session's DuckDB (patches/cancel.py), but DuckDB drops an
interrupt that lands while it runs nothing, and a COPY INTO spends much of its time outside
DuckDB: waiting for its next file from S3. Snowflake stops a COPY whenever the abort comes. So
the abort's time is also kept per DuckDB connection, and the COPY, before each statement it runs,
stops (604, as an interrupt would) if its session was aborted since the COPY began.
"""

import threading
import time

import duckdb

_aborted: dict[int, float] = {}  # id(DuckDB connection) -> monotonic time of its last abort
_lock = threading.Lock()


def record(duck_conn: object) -> None:
    """The client aborted the statement running on ``duck_conn`` (if any)."""
    with _lock:
        _aborted[id(duck_conn)] = time.monotonic()


def check(duck_conn: object, since: float) -> None:
    """``duckdb.InterruptException`` if ``duck_conn`` was aborted at or after ``since`` (a
    monotonic time: when the statement began; an older abort was for an earlier statement)."""
    with _lock:
        aborted = _aborted.get(id(duck_conn))
    if aborted is not None and aborted >= since:
        raise duckdb.InterruptException("INTERRUPT Error: the client aborted the statement")
