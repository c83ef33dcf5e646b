"""UNLOAD's scratch files on local disk, and Parquet built from PostgreSQL's CSV output."""

import os
import tempfile

import pyarrow as pa
import pyarrow.csv as pacsv

from dwsim_redshift.copy.unload_types import NUMERIC_OID, numeric_scale, typed_batch

CSV_BLOCK = 8 << 20


def temp_path() -> str:
    fd, path = tempfile.mkstemp(prefix="dwsim-unload-")
    os.close(fd)
    return path


def write_parquet(sink, csv_path: str, columns: list[tuple[str, int]]) -> int:
    """Typed Parquet parts from PostgreSQL's CSV output, in batches; NUMERIC's scale from a first
    pass. ``sink`` is a ParquetParts; returns the number of rows."""
    names = [f"c{i}" for i in range(len(columns))]
    numeric = [i for i, (_, oid) in enumerate(columns) if oid == NUMERIC_OID]
    scales = dict.fromkeys(numeric, 0)
    if numeric and os.path.getsize(csv_path):
        for batch in _read(csv_path, names):
            for i in numeric:
                scales[i] = max(scales[i], numeric_scale(batch.column(i)))
    try:
        if os.path.getsize(csv_path):
            for batch in _read(csv_path, names):
                sink.write(typed_batch(batch, columns, scales))
        empty = pa.RecordBatch.from_arrays([pa.array([], pa.string()) for _ in names], names)
        return sink.finish(typed_batch(empty, columns, scales))
    except BaseException:
        sink.abort()
        raise


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
