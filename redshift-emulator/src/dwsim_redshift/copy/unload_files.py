"""UNLOAD's output file, written to local disk as the query's rows stream in (bounded memory)."""

import os
import tempfile
from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dwsim_redshift.copy.option_table import Compression
from dwsim_redshift.copy.unload_types import NUMERIC_OID, numeric_scale, typed_batch

CSV_BLOCK = 8 << 20


def temp_path() -> str:
    fd, path = tempfile.mkstemp(prefix="dwsim-unload-")
    os.close(fd)
    return path


def write_text(
    path: str, header: bytes, chunks: Iterable[bytes], csv: bool, compression: Compression
) -> int:
    """Write header + chunks (compressed if asked); return the number of rows."""
    raw = pa.OSFile(path, "wb")
    out = (
        raw
        if compression is Compression.NONE
        else pa.CompressedOutputStream(raw, compression.value)
    )
    rows, inside_quotes = 0, False
    try:
        out.write(header)
        for chunk in chunks:
            out.write(chunk)
            if csv:
                count, inside_quotes = _csv_rows(chunk, inside_quotes)
                rows += count
            else:  # PostgreSQL's text format escapes newlines inside values
                rows += chunk.count(b"\n")
    finally:
        out.close()
    return rows


def _csv_rows(chunk: bytes, inside: bool) -> tuple[int, bool]:
    """Line ends outside quoted values (a doubled quote toggles twice, so parity holds)."""
    data = np.frombuffer(chunk, np.uint8)
    if not len(data):
        return 0, inside
    parity = (np.cumsum(data == 34) + int(inside)) % 2
    return int(np.count_nonzero((data == 10) & (parity == 0))), bool(parity[-1])


def write_parquet(path: str, csv_path: str, columns: list[tuple[str, int]]) -> int:
    """Typed Parquet from PostgreSQL's CSV output, in batches; NUMERIC's scale from a first pass."""
    names = [f"c{i}" for i in range(len(columns))]
    numeric = [i for i, (_, oid) in enumerate(columns) if oid == NUMERIC_OID]
    scales = dict.fromkeys(numeric, 0)
    if numeric and os.path.getsize(csv_path):
        for batch in _read(csv_path, names):
            for i in numeric:
                scales[i] = max(scales[i], numeric_scale(batch.column(i)))
    writer, rows = None, 0
    try:
        batches = _read(csv_path, names) if os.path.getsize(csv_path) else []
        for batch in batches:
            table = typed_batch(batch, columns, scales)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="snappy")
            writer.write_table(table)
            rows += table.num_rows
        if writer is None:
            empty = pa.RecordBatch.from_arrays([pa.array([], pa.string()) for _ in names], names)
            table = typed_batch(empty, columns, scales)
            writer = pq.ParquetWriter(path, table.schema, compression="snappy")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return rows


def _read(csv_path: str, names: list[str]):
    return pacsv.open_csv(
        csv_path,
        read_options=pacsv.ReadOptions(column_names=names, block_size=CSV_BLOCK, use_threads=False),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            null_values=[""],
        ),
    )
