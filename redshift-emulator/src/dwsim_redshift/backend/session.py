"""The client's backend session as the statements the emulator runs itself (COPY, UNLOAD) see it.

The relay hands a :class:`BackendSession` to ``dwsim_redshift.copy.run_copy``/``run_unload``.
The calls are SYNCHRONOUS: the relay runs the engine in a worker thread and marshals every call
onto the client's own backend session (bridged_session.py), so whatever the engine does happens
inside the client's transaction (a COPY rolled back with its transaction leaves nothing behind).
Tests may implement it over a psycopg2 connection.

Transactions: when the client is NOT inside a transaction block, the relay wraps the engine's
whole run in one backend transaction (BEGIN before, COMMIT after success, ROLLBACK after an
exception), so a COPY is all-or-nothing either way. Anything that must survive a rollback
(stl_load_errors rows) has to be written on a separate connection. When the engine raises
inside the client's block, the relay leaves that block failed, as PostgreSQL would.
"""

from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

Column = tuple[str, int]
"""A result column: (name, PostgreSQL type OID)."""


class BackendError(Exception):
    """The backend rejected a statement the engine sent; ``str()`` is PostgreSQL's message."""

    def __init__(self, message: str, sqlstate: str = "XX000", detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.sqlstate = sqlstate
        self.detail = detail


def cancelled_error() -> BackendError:
    """What a statement stopped by the client's CancelRequest fails with, as in PostgreSQL."""
    return BackendError("canceling statement due to user request", "57014")


@runtime_checkable
class BackendSession(Protocol):
    """One client's backend session (its own PostgreSQL connection and transaction), called
    synchronously."""

    @property
    def in_transaction(self) -> bool:
        """Whether the CLIENT opened a transaction block (BEGIN ... COMMIT) around this statement."""
        ...

    def check_cancelled(self) -> None:
        """Raise 57014 (:func:`cancelled_error`) if the client has sent a CancelRequest for the
        statement running: the engine calls it where it waits on something other than the
        backend (an S3 read)."""
        ...

    def query(self, sql: str) -> tuple[list[Column], list[tuple]]:
        """Run one statement; return (columns, rows) with values as Python objects.

        Values are decoded from PostgreSQL's text format: ``None`` for NULL, ``int`` for
        int2/int4/int8/oid, ``bool`` for boolean, ``float`` for float4/float8, ``str``
        otherwise (a psycopg2-backed test implementation may return richer types: engines
        should rely on no more than these). Raises :class:`BackendError`.
        """
        ...

    def copy_in(self, copy_sql: str, chunks: Iterable[bytes | memoryview]) -> int:
        """Run ``COPY ... FROM STDIN ...`` streaming ``chunks`` (bytes-like, one dimension of
        bytes); return the rows copied.

        Raises :class:`BackendError` with the backend's message if the COPY fails.
        """
        ...

    def copy_out(self, copy_sql: str) -> Iterator[bytes]:
        """Run ``COPY (...) TO STDOUT ...`` and yield the data chunks as they arrive.

        The iterator must be consumed to the end (the session is busy until then).
        Raises :class:`BackendError` with the backend's message if the COPY fails.
        """
        ...
