"""A bounded cache of statement results, in place of fakesnow's ``results_cache``.

fakesnow keeps every statement's result (its Arrow table, SQL, parameters and parsed statement)
in one dict shared by all sessions, for RESULT_SCAN and the connector's
``get_results_from_sfqid``, and never forgets any: a long-running emulator grew with every
query (a parsed statement alone takes about 100 bytes per byte of SQL). The launcher replaces
the instance's dict, before any session connects (each takes the instance's cache), with one
that keeps the newest results of all sessions within a number of results and of bytes
(``DWSIM_SNOWFLAKE_RESULT_CACHE_RESULTS``, ``DWSIM_SNOWFLAKE_RESULT_CACHE_MB``): the oldest go
first, and a result larger than the whole budget is not kept. An entry keeps the result, its
SQL and parameters but not the parsed statement (a scan answers as a SELECT; fakesnow restored
the statement, so the emulator's follow-ups ran again, e.g. a scan of a TRUNCATE's result
cleared the table's load history). Snowflake keeps a result for 24 hours: RESULT_SCAN of one
the emulator let go fails naming the limit (``evicted_error``), not as an unknown id.
"""

import threading
from collections import OrderedDict
from typing import Any

from snowflake.connector.errors import ProgrammingError
from sqlglot import exp

RESULTS_SETTING = "DWSIM_SNOWFLAKE_RESULT_CACHE_RESULTS"
BYTES_SETTING = "DWSIM_SNOWFLAKE_RESULT_CACHE_MB"
_FORGOTTEN_KEPT = 50_000  # ids of evicted results remembered, to say why a scan of one fails


def _size(value: tuple) -> int:
    """Bytes a cached result holds: its Arrow table's buffers, SQL text and parameters."""
    table, _rowcount, sql, params, *_rest = value
    return (getattr(table, "nbytes", 0) or 0) + len(sql or "") + len(str(params or ""))


def _describes_a_result(statement: object) -> bool:
    """fakesnow's server describes every result by running ``DESCRIBE <its SQL>`` (a DESCRIBE
    of a query, not of a TABLE or VIEW), whose result it caches under an id no client sees."""
    return isinstance(statement, exp.Describe) and not statement.args.get("kind")


class ResultCache(dict[str, tuple]):
    """fakesnow's ``results_cache``, keeping the newest results within a count and a byte
    budget. fakesnow only sets and gets items, which ``dict`` serves; sessions run on several
    threads, so a write (which may evict) holds a lock."""

    def __init__(self, max_results: int, max_bytes: int) -> None:
        super().__init__()
        self.max_results = max(1, max_results)
        self.max_bytes = max(1, max_bytes)
        self.bytes = 0
        self._sizes: dict[str, int] = {}
        self._evicted: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def __setitem__(self, query_id: str, value: tuple) -> None:
        with self._lock:
            self._put(query_id, value)

    def _put(self, query_id: str, value: tuple) -> None:
        if query_id in self:
            self._drop(query_id)
        if _describes_a_result(value[4]):
            return
        value = (*value[:4], exp.Select())  # (table, rowcount, sql, params, statement)
        size = _size(value)
        if size > self.max_bytes:
            self._forget(query_id)
            return
        super().__setitem__(query_id, value)
        self._sizes[query_id] = size
        self.bytes += size
        self._evicted.pop(query_id, None)
        while len(self) > self.max_results or self.bytes > self.max_bytes:
            oldest = next(iter(self))
            self._drop(oldest)
            self._forget(oldest)

    def _drop(self, query_id: str) -> None:
        super().__delitem__(query_id)
        self.bytes -= self._sizes.pop(query_id)

    def _forget(self, query_id: str) -> None:
        self._evicted[query_id] = None
        while len(self._evicted) > _FORGOTTEN_KEPT:
            self._evicted.popitem(last=False)

    def evicted(self, query_id: str) -> bool:
        return query_id in self._evicted

    def describe(self) -> str:
        return (
            f"the last {self.max_results} results, up to {self.max_bytes // 2**20} MB, "
            f"across sessions ({RESULTS_SETTING}, {BYTES_SETTING})"
        )


def evicted_error(cache: ResultCache, query_id: str) -> ProgrammingError:
    """RESULT_SCAN of a result the cache let go, in the shape of Snowflake's unknown id."""
    return ProgrammingError(
        msg=f"Statement {query_id} not found: its result is no longer kept by the Snowflake "
        f"emulator, which keeps {cache.describe()}. This is an emulator limit, not a Snowflake "
        "one (Snowflake keeps a result for 24 hours): raise the settings, or scan the result "
        "sooner.",
        errno=709,
        sqlstate="02000",
    )


def bound(instance: Any, max_results: int, max_mb: int) -> ResultCache:
    """Replace the instance's results cache (before any session takes it at connect)."""
    cache = ResultCache(max_results, max_mb * 2**20)
    instance.results_cache = cache
    return cache
