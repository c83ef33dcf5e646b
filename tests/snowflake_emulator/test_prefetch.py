"""The COPY INTO spool: downloads a few files ahead of the insert and frees each once read."""

import threading
from pathlib import Path

from dwsim_snowflake.prefetch import AHEAD, Prefetch


class RecordingFs:
    """Stands in for s3fs: writes each object's URL as its content and records the requests."""

    def __init__(self):
        self.fetched: list[str] = []
        self.lock = threading.Lock()

    def get_file(self, url: str, local: str) -> None:
        with self.lock:
            self.fetched.append(url)
        Path(local).write_text(url)


def test_spool_stays_a_few_files_ahead_and_is_freed_as_files_are_read(tmp_path):
    fs = RecordingFs()
    urls = [f"s3://bucket/run/part-{i:05d}.parquet" for i in range(12)]
    spool = Prefetch(fs, tmp_path)
    spool.start(urls)

    held = []
    for i, url in enumerate(urls):
        local = spool.local_path(url)
        assert Path(local).read_text() == url
        assert spool.url_for(local) == url
        assert len(fs.fetched) <= i + 1 + AHEAD  # never more than AHEAD beyond the reader
        spool.release(f"INSERT INTO t SELECT * FROM read_parquet('{local}')")
        held.append(len(list(spool.dir.iterdir())))
    spool.close()

    assert sorted(fs.fetched) == urls  # each object fetched once
    assert max(held) <= AHEAD + 1
    assert not spool.dir.exists()


def test_urls_outside_s3_and_failed_downloads_are_read_directly(tmp_path):
    class FailingFs(RecordingFs):
        def get_file(self, url: str, local: str) -> None:
            raise FileNotFoundError(url)

    spool = Prefetch(FailingFs(), tmp_path)
    spool.start(["s3://bucket/missing.parquet", "/local/stage/file.csv"])

    assert spool.local_path("s3://bucket/missing.parquet") == "s3://bucket/missing.parquet"
    assert spool.local_path("/local/stage/file.csv") == "/local/stage/file.csv"
    spool.close()
