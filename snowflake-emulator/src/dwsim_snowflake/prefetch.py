"""Download a COPY INTO's staged s3:// files in parallel to local spool files before DuckDB reads them.

DuckDB reads s3:// here through fsspec (its httpfs extension cannot be fetched), one small
ranged read at a time with the GIL held: ~2.5x slower than reading the same Parquet locally.
Whole-object GETs in parallel threads, ``AHEAD`` files beyond the one being read, overlap the
downloads with DuckDB's inserts; a file is deleted once inserted, so the spool holds at most
2 x ``AHEAD`` files (copy_batch.py inserts ``AHEAD`` files at a time). Only the path DuckDB reads changes: result rows and load history still
name the s3:// URL.
"""

import shutil
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from fsspec import AbstractFileSystem

AHEAD = 4  # files downloading (or downloaded) beyond the one being read


class Prefetch:
    """The spool of one COPY INTO statement; ``close`` deletes it."""

    def __init__(self, fs: AbstractFileSystem, spool_root: Path):
        spool_root.mkdir(parents=True, exist_ok=True)
        self.fs = fs
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
        try:
            return self.files[url].result()
        except Exception:
            return url

    def release(self, sql: str) -> None:
        """Delete the spool files a finished statement read."""
        for local in self.urls:
            if local in sql:
                Path(local).unlink(missing_ok=True)

    def url_for(self, path: str) -> str:
        return self.urls.get(path, path)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.dir, ignore_errors=True)


_current = threading.local()


def current() -> Prefetch | None:
    return getattr(_current, "prefetch", None)


def set_current(prefetch: Prefetch | None) -> None:
    _current.prefetch = prefetch
