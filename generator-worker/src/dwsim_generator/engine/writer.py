"""Parquet parts and the run's manifests, laid out as the S3 layout (relative keys).

Parts are written to a temporary name and renamed, so a retried chunk replaces its file
whole; ``manifest.json`` is written last: a folder without it is an incomplete run. The
generator worker stages the same bytes in S3 (``part_bytes``, ``manifest_documents``).
"""

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dwsim_shared.contracts.jobs import ManifestFile, RunManifest, TableManifest
from dwsim_shared.contracts.s3layout import MANIFEST_NAME, RunLayout, redshift_manifest

# Measured on the customers table: dictionary encoding only for pool-drawn columns (already
# dictionary arrays) and no statistics write ~1.5x faster than pyarrow's defaults; snappy
# costs ~2x the time of no compression for files ~2x smaller. Columns of random numbers or
# times spread over a range are the exception (see ``encoded``).
PARQUET_OPTIONS = {
    "write_statistics": False,
    "store_schema": False,  # readers see the Parquet logical types: plain strings, not dictionaries
    "version": "2.6",
}


class PartLike(Protocol):
    """What a manifest needs of a part: a ``PartResult`` here, a ``StagedPart`` in a worker."""

    chunk: int
    key: str
    rows: int
    bytes: int


@dataclass(frozen=True)
class PartResult:
    table: str
    chunk: int
    key: str  # relative to the run folder, e.g. "orders/part-00000.parquet"
    rows: int
    bytes: int
    seconds: float


def write_part(table: pa.Table, out_dir: Path, name: str, chunk: int) -> tuple[str, int]:
    """Write one chunk as ``{name}/part-{chunk:05d}.parquet``; returns (key, size in bytes)."""
    key = RunLayout.relative_part(name, chunk)
    path = out_dir / key
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write_parquet(table, temp)
    os.replace(temp, path)
    return key, path.stat().st_size


def part_bytes(table: pa.Table) -> pa.Buffer:
    """One chunk as a Parquet file in memory: the same bytes ``write_part`` writes to disk."""
    sink = pa.BufferOutputStream()
    write_parquet(table, sink)
    return sink.getvalue()


# How a column is written, as its field's metadata (``encoded``; not stored in the file).
ENCODING = b"dwsim.encoding"
PLAIN = b"plain"  # random numbers over a wide range: plain values, uncompressed
DICTIONARY = b"dictionary"  # ... over a small range: Parquet dictionary indices, uncompressed
SMALL_RANGE = 1 << 14  # values in a range this small are written as a dictionary
DELTA = b"delta"  # integers in order (sequences, keys laid out parent by parent): delta-packed


def encoded(schema: pa.Schema, producers: list) -> pa.Schema:
    """``schema`` with the writer encoding of each column whose producer names one.

    Measured on TPC-H lineitem (1M rows): snappy saves only ~20% on random dates, prices and
    quantities at 2-3x the time of writing them plain, and a dictionary of a small range
    (1 to 50, 0.00 to 0.10, the days of a few years) is bit-packed to the range's entropy,
    smaller than snappy makes it: together the part is written ~10% faster and ~16% smaller.
    Integer sequences, delta-packed, take ~0.01 of the bytes of snappy's plain values, at
    half the time.
    """
    hints = {name: p.encoding for p in producers if getattr(p, "encoding", None)
             for name in p.columns}  # fmt: skip
    if not hints:
        return schema
    return pa.schema([f.with_metadata({ENCODING: hints[f.name]}) if f.name in hints else f
                      for f in schema])  # fmt: skip


def write_parquet(table: pa.Table, where: str | os.PathLike | pa.NativeFile) -> None:
    """The one Parquet writer of parts (a file path or an in-memory sink, same bytes)."""
    hints = {f.name: (f.metadata or {}).get(ENCODING) for f in table.schema}
    for field in table.schema:  # delta packing is for integers only (not decimals, text)
        if hints[field.name] == DELTA and not pa.types.is_integer(field.type):
            hints[field.name] = None
    deltas = {n: "DELTA_BINARY_PACKED" for n, hint in hints.items() if hint == DELTA}
    codecs = {n: "none" if hint in (PLAIN, DICTIONARY) else "snappy" for n, hint in hints.items()}
    dictionaries = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
    for name in dictionaries:
        index = table.schema.get_field_index(name)
        column = used_only(table.column(index))
        table = table.set_column(index, table.field(index).with_type(column.type), column)
    pq.write_table(
        table,
        where,
        row_group_size=max(table.num_rows, 1),
        use_dictionary=dictionaries + [n for n, hint in hints.items() if hint == DICTIONARY],
        compression=codecs,
        column_encoding=deltas or None,
        **PARQUET_OPTIONS,
    )


def used_only(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A dictionary column whose dictionary holds only the values its rows use, each once.

    pyarrow 26 writes a dictionary page with uninitialised trailing bytes (its size counts
    every dictionary entry, its content each distinct value once) when a dictionary holds a
    value twice, as Faker pools do (4 repeats in 1,024 emails): measured, the same table gave
    different files from one write to the next. Distinct used values, in the order they first
    appear in the dictionary, give one file; a dictionary already so is left as it is.
    """
    if column.num_chunks == 0:
        return column
    if column.num_chunks > 1:
        column = column.unify_dictionaries()
    dictionary = column.chunk(0).dictionary
    distinct = pc.unique(dictionary)
    repeats = len(distinct) < len(dictionary)
    used = np.zeros(len(dictionary), dtype=bool)
    indices = []
    for chunk in column.chunks:
        indices.append(chunk.indices.fill_null(0).to_numpy())
        used[indices[-1]] = True
        if not repeats and used.all():  # the usual case, mostly seen in the first chunk
            return column
    # each entry's first occurrence, then the used ones of those, renumbered from 0
    first = pc.index_in(dictionary, value_set=distinct, skip_nulls=False).to_numpy()
    used_distinct = np.zeros(len(distinct), dtype=bool)
    used_distinct[first[used]] = True
    remap = ((np.cumsum(used_distinct) - 1).astype(np.int32))[first]
    kept = distinct.filter(pa.array(used_distinct))
    chunks = [
        pa.DictionaryArray.from_arrays(pa.array(remap[i], mask=c.is_null().to_numpy(False)), kept)
        for i, c in zip(indices, column.chunks, strict=True)
    ]
    return pa.chunked_array(chunks, pa.dictionary(pa.int32(), kept.type))


def clear_outputs(out_dir: Path, tables: list[str]) -> None:
    """Remove the manifest and the parts of these tables left by an earlier run in the folder."""
    (out_dir / MANIFEST_NAME).unlink(missing_ok=True)
    for name in tables:
        folder = out_dir / name
        if folder.is_dir():
            for part in folder.glob("part-*.parquet"):
                part.unlink()


def manifest_documents(
    layout: RunLayout,
    bucket: str,
    seed: int,
    schema_hash: str,
    chunk_rows: int,
    parts: dict[str, list[PartLike]],
) -> tuple[dict[str, str], RunManifest]:
    """The run's manifests as {key relative to the run: text}, ``manifest.json`` last.

    Per-table Redshift manifests list ``s3://{bucket}/{run prefix}{part key}``; the run
    manifest holds the seed, schema hash, files and rows per table (in ``parts``' order).
    """
    documents: dict[str, str] = {}
    tables: dict[str, TableManifest] = {}
    for name, results in parts.items():
        results = sorted(results, key=lambda r: r.chunk)
        files = [ManifestFile(key=r.key, rows=r.rows, bytes=r.bytes) for r in results]
        tables[name] = TableManifest(rows=sum(r.rows for r in results), files=files)
        urls = [(f"s3://{bucket}/{layout.prefix}{r.key}", r.bytes) for r in results]
        documents[RunLayout.relative_redshift_manifest(name)] = redshift_manifest(urls)
    manifest = RunManifest(
        experiment=layout.experiment,
        run_id=layout.run_id,
        seed=seed,
        schema_hash=schema_hash,
        chunk_rows=chunk_rows,
        created_at=datetime.now(UTC),
        tables=tables,
    )
    documents[MANIFEST_NAME] = manifest.model_dump_json(indent=2)
    return documents, manifest


def write_manifests(
    out_dir: Path,
    layout: RunLayout,
    bucket: str,
    seed: int,
    schema_hash: str,
    chunk_rows: int,
    parts: dict[str, list[PartLike]],
) -> RunManifest:
    """Per-table Redshift manifests, then ``manifest.json`` (seed, schema hash, files, rows)."""
    documents, manifest = manifest_documents(layout, bucket, seed, schema_hash, chunk_rows, parts)
    for key, text in documents.items():
        path = out_dir / key
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.tmp")
        temp.write_text(text)
        os.replace(temp, path)
    return manifest
