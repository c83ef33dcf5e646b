"""UNLOAD's output files: rows streamed into numbered parts, a new part once MAXFILESIZE is
reached (files are written to local disk, uploaded, and deleted as they close).

Names follow Redshift's: PARALLEL ON ``<prefix>0000_part_00``, ``..._part_01`` (one slice is
emulated), PARALLEL OFF ``<prefix>000``, ``001``; ``.parquet`` for Parquet, ``.gz``/``.bz2``/
``.zst`` for compressed text, and EXTENSION's before the compression's.
"""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dwsim_redshift.copy.option_table import Compression, DataFormat
from dwsim_redshift.copy.options import UnloadCommand
from dwsim_redshift.copy.unload_files import temp_path

_SUFFIX = {Compression.GZIP: ".gz", Compression.BZIP2: ".bz2", Compression.ZSTD: ".zst"}


@dataclass
class Written:
    url: str
    size: int
    rows: int


@dataclass
class Parts:
    """Numbered files under one key prefix; ``upload(path, key)`` stores a finished one."""

    cmd: UnloadCommand
    bucket: str
    prefix: str
    upload: Callable[[str, str], None]
    files: list[Written] = field(default_factory=list)

    def key(self, number: int) -> str:
        name = f"0000_part_{number:02d}" if self.cmd.parallel else f"{number:03d}"
        if self.cmd.format is DataFormat.PARQUET:
            return self.prefix + name + ".parquet"
        extension = (self.cmd.options.get("EXTENSION") or "").lstrip(".")
        suffix = _SUFFIX.get(self.cmd.compression, "")
        if extension:
            name += "." + extension
        if suffix and not name.endswith(suffix):
            name += suffix
        return self.prefix + name

    def store(self, path: str, rows: int) -> None:
        key = self.key(len(self.files))
        size = os.path.getsize(path)
        self.upload(path, key)
        self.files.append(Written(f"s3://{self.bucket}/{key}", size, rows))


def write_text(parts: Parts, header: bytes, chunks: Iterable[bytes], csv: bool) -> int:
    """Rows (chunks end on row ends) into parts of at most MAXFILESIZE bytes before compression
    (a single longer row gets a part of its own). Every part starts with ``header``."""
    limit = parts.cmd.max_file_size
    out, path, size, rows, total = None, "", 0, 0, 0

    def close() -> None:
        nonlocal out
        if out is not None:
            out.close()
            out = None
            try:
                parts.store(path, rows)
            finally:
                os.unlink(path)

    try:
        for chunk in chunks:
            while chunk:
                if out is None:
                    path, size, rows = temp_path(), 0, 0
                    out = _open(path, parts.cmd.compression)
                    out.write(header)
                    size = len(header)
                ends = _row_ends(chunk, csv)
                fits = ends[ends <= limit - size]
                if len(fits) == len(ends):
                    take = len(chunk)
                elif len(fits):
                    take = int(fits[-1])
                elif rows == 0:  # a row longer than the limit: alone in its part
                    take = int(ends[0])
                else:
                    close()
                    continue
                count = int(np.count_nonzero(ends <= take))
                out.write(chunk[:take])
                size, rows, total = size + take, rows + count, total + count
                chunk = chunk[take:]
                if size >= limit:
                    close()
        if out is None and not parts.files:  # an empty result still writes one file
            path, rows = temp_path(), 0
            out = _open(path, parts.cmd.compression)
            out.write(header)
        close()
    finally:
        if out is not None:
            out.close()
            os.unlink(path)
    return total


def _open(path: str, compression: Compression):
    raw = pa.OSFile(path, "wb")
    if compression is Compression.NONE:
        return raw
    return pa.CompressedOutputStream(raw, compression.value)


def _row_ends(chunk: bytes, csv: bool) -> np.ndarray:
    """Offsets just past each row's newline (for CSV, newlines outside quoted values)."""
    data = np.frombuffer(chunk, np.uint8)
    newline = data == 10
    if csv:
        newline &= np.cumsum(data == 34) % 2 == 0
    return np.flatnonzero(newline) + 1


class ParquetParts:
    """Typed tables into Parquet parts: a new part before a slice would pass MAXFILESIZE."""

    def __init__(self, parts: Parts) -> None:
        self.parts = parts
        self.writer: pq.ParquetWriter | None = None
        self.path = ""
        self.rows = 0
        self.total = 0
        self.schema: pa.Schema | None = None

    def write(self, table: pa.Table) -> None:
        self.schema = table.schema
        limit = self.parts.cmd.max_file_size
        step = max(1, int(table.num_rows * (limit / 8) / max(table.nbytes, 1)))
        for start in range(0, table.num_rows, step):
            piece = table.slice(start, step)
            if self.writer is not None and self.rows and self._size() + piece.nbytes > limit:
                self._close()
            if self.writer is None:
                self.path = temp_path()
                self.writer = pq.ParquetWriter(self.path, piece.schema, compression="snappy")
            self.writer.write_table(piece)
            self.rows += piece.num_rows
            self.total += piece.num_rows

    def finish(self, empty: pa.Table) -> int:
        if self.writer is None and not self.parts.files:
            self.path = temp_path()
            self.writer = pq.ParquetWriter(self.path, empty.schema, compression="snappy")
            self.writer.write_table(empty)
        self._close()
        return self.total

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
            os.unlink(self.path)

    def _size(self) -> int:
        return os.path.getsize(self.path)

    def _close(self) -> None:
        if self.writer is None:
            return
        self.writer.close()
        self.writer = None
        try:
            self.parts.store(self.path, self.rows)
        finally:
            os.unlink(self.path)
        self.rows = 0
