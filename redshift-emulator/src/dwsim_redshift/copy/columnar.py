"""Columnar files (Parquet, ORC) -> Arrow record batches, mapped to the table by position."""

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.orc as orc
import pyarrow.parquet as pq

from dwsim_redshift.copy.errors import CopyError
from dwsim_redshift.copy.option_table import DataFormat
from dwsim_redshift.copy.sources import SourceFile

BATCH_ROWS = 131_072
COLUMNAR = (DataFormat.PARQUET, DataFormat.ORC)


def column_count(data: bytes, fmt: DataFormat) -> int | None:
    """How many columns the file has (None when it cannot be read: decode() says why)."""
    try:
        return len(_open(data, fmt).schema)
    except (pa.ArrowInvalid, OSError):
        return None


def decode_columnar(
    data: bytes, source: SourceFile, fmt: DataFormat, ncols: int
) -> Iterator[tuple[list[pa.Array], int, int]]:
    """(columns, rows, first line) per batch; the file must have the table's column count."""
    name = "Parquet" if fmt is DataFormat.PARQUET else "ORC"
    try:
        reader = _open(data, fmt)
    except (pa.ArrowInvalid, OSError) as exc:
        raise CopyError(f"File '{source.url}' is not a valid {name} file: {exc}") from None
    found = len(reader.schema)
    if found != ncols:
        raise CopyError(
            "Unmatched number of columns between table and file. "
            f"Table columns: {ncols}, Data columns: {found}, File name: {source.url}"
        )
    line = 1
    for rb in _batches(reader, fmt):
        yield list(rb.columns), rb.num_rows, line
        line += rb.num_rows


def _open(data: bytes, fmt: DataFormat):
    if fmt is DataFormat.ORC:
        return orc.ORCFile(pa.BufferReader(data))
    return pq.ParquetFile(pa.BufferReader(data))


def _batches(reader, fmt: DataFormat) -> Iterator[pa.RecordBatch]:
    if fmt is DataFormat.PARQUET:
        yield from reader.iter_batches(batch_size=BATCH_ROWS, use_threads=False)
        return
    for stripe in range(reader.nstripes):
        yield reader.read_stripe(stripe)
