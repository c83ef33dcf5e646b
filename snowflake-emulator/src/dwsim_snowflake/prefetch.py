"""Download a COPY INTO's staged s3:// files in parallel to local spool files before DuckDB reads them.

DuckDB reads s3:// here through fsspec (its httpfs extension cannot be fetched), one small
ranged read at a time with the GIL held: ~2.5x slower than reading the same Parquet locally.
Whole-object GETs in parallel threads, ``AHEAD`` files beyond the one being read, overlap the
downloads with DuckDB's inserts; a file is deleted once inserted, so the spool holds at most
2 x ``AHEAD`` files (copy_batch.py inserts ``AHEAD`` files at a time). Only the path DuckDB reads changes: result rows and load history still
name the s3:// URL. A client's abort ends the wait for a download at once (``check``), even
one that hangs; that download is then left to end on its thread.
"""

import shutil
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyarrow.parquet as pq
from fsspec import AbstractFileSystem

from dwsim_shared.stoppable import Check, call_stoppable, wait_stoppable

AHEAD = 4  # files downloading (or downloaded) beyond the one being read


class Prefetch:
    """The spool of one COPY INTO statement; ``close`` deletes it."""

    def __init__(self, fs: AbstractFileSystem, spool_root: Path, check: Check = lambda: None):
        spool_root.mkdir(parents=True, exist_ok=True)
        self.fs = fs
        self.check = check  # raises if the statement was aborted (aborts.py)
        self.stopped = False  # aborted while waiting: a download may hang, not waited for
        self.dir = Path(tempfile.mkdtemp(prefix="copy-", dir=spool_root))
        self.pool = ThreadPoolExecutor(AHEAD, thread_name_prefix="copy-prefetch")
        self.order: list[str] = []  # s3:// URLs in the order the statement reads them
        self.files: dict[str, Future[str]] = {}
        self.urls: dict[str, str] = {}  # spool path -> url, to name the url in errors

    def start(self, urls: list[str]) -> None:
        """Remember the statement's files; the first few start downloading now."""
        self.order += [u for u in urls if u.startswith("s3://") and u not in self.order]
        self._schedule(AHEAD)

    def _schedule(self, upto: int) -> None:
        for url in self.order[:upto]:
            if url not in self.files:
                local = self.dir / f"{self.order.index(url):06d}{Path(url).suffix}"
                self.urls[str(local)] = url
                self.files[url] = self.pool.submit(self._download, url, local)

    def _download(self, url: str, local: Path) -> str:
        self.fs.get_file(url, str(local))
        return str(local)

    def local_path(self, url: str) -> str:
        """The spooled copy of ``url``, or ``url`` itself if it was not (or could not be) fetched;
        DuckDB then reads it directly and reports its own error, e.g. a missing file."""
        if url not in self.order:
            return url
        self._schedule(self.order.index(url) + 1 + AHEAD)
        future = self.files[url]
        wait_stoppable(future, self._check)
        try:
            return future.result()
        except Exception:
            return url

    def column_names(self, url: str) -> list[str] | None:
        """The column names of a staged Parquet file, read from its footer on S3 so that an
        abort ends the read at once (DuckDB, reading it, cannot be interrupted inside a read
        that hangs); None where DuckDB must read them itself: a path with ``key=value``
        folders (DuckDB adds them as hive partition columns), or a file that cannot be read
        (DuckDB's error names it as Snowflake's would)."""
        if not url.startswith("s3://") or "=" in url:
            return None
        try:
            return call_stoppable(lambda: _footer_names(self.fs, url), self._check, "copy-footer")
        except Exception:
            if self.stopped:
                raise
            return None

    def _check(self) -> None:
        try:
            self.check()
        except BaseException:
            self.stopped = True
            raise

    def release(self, sql: str) -> None:
        """Delete the spool files a finished statement read."""
        for local in self.urls:
            if local in sql:
                Path(local).unlink(missing_ok=True)

    def url_for(self, path: str) -> str:
        return self.urls.get(path, path)

    def close(self) -> None:
        self.pool.shutdown(wait=not self.stopped, cancel_futures=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def _footer_names(fs: AbstractFileSystem, url: str) -> list[str]:
    with fs.open(url, "rb") as file:
        return pq.read_schema(file).names


_current = threading.local()


def current() -> Prefetch | None:
    return getattr(_current, "prefetch", None)


def set_current(prefetch: Prefetch | None) -> None:
    _current.prefetch = prefetch
