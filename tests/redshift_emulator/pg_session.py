"""A BackendSession (dwsim_redshift.backend.session) over one psycopg2 connection, to test the
COPY engine alone."""

from collections.abc import Iterable, Iterator

import psycopg2
import psycopg2.extensions

from dwsim_redshift.backend.session import BackendError


class _ChunkReader:
    """File-like view of an iterable of byte chunks, for cursor.copy_expert."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buf = memoryview(b"")

    def read(self, size: int = -1) -> bytes:
        while not self._buf:
            try:
                self._buf = memoryview(next(self._chunks))
            except StopIteration:
                return b""
        n = len(self._buf) if size is None or size < 0 else size
        out, self._buf = self._buf[:n], self._buf[n:]
        return bytes(out)

    readline = read


class PgSession:
    """Autocommit connection: statements run alone unless the test sends BEGIN, like a client."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        self.conn = psycopg2.connect(url)
        self.conn.autocommit = True
        if schema:
            self.execute(f'SET search_path TO "{schema}", public')

    @property
    def in_transaction(self) -> bool:
        status = self.conn.get_transaction_status()
        return status != psycopg2.extensions.TRANSACTION_STATUS_IDLE

    def check_cancelled(self) -> None:
        pass  # the tests of the engine alone send no CancelRequest

    def execute(self, sql: str) -> list[tuple]:
        return self.query(sql)[1]

    def query(self, sql: str) -> tuple[list[tuple[str, int]], list[tuple]]:
        try:
            with self.conn.cursor() as cur:
                cur.execute(sql)
                if cur.description is None:
                    return [], []
                return [(d.name, d.type_code) for d in cur.description], cur.fetchall()
        except psycopg2.Error as exc:
            raise _backend_error(exc) from None

    def copy_in(self, copy_sql: str, chunks: Iterable[bytes]) -> int:
        try:
            with self.conn.cursor() as cur:
                cur.copy_expert(copy_sql, _ChunkReader(chunks), size=1 << 20)
                return cur.rowcount
        except psycopg2.Error as exc:
            raise _backend_error(exc) from None

    def copy_out(self, copy_sql: str) -> Iterator[bytes]:
        parts: list[bytes] = []

        class _Sink:
            def write(self, data) -> int:
                parts.append(bytes(data))
                return len(data)

        try:
            with self.conn.cursor() as cur:
                cur.copy_expert(copy_sql, _Sink())
        except psycopg2.Error as exc:
            raise _backend_error(exc) from None
        yield from parts

    def close(self) -> None:
        self.conn.close()


def _backend_error(exc: psycopg2.Error) -> BackendError:
    message = (exc.diag.message_primary or str(exc)).strip()
    return BackendError(message, exc.pgcode or "XX000", exc.diag.message_detail)
