"""UNLOAD ('select ...') TO 's3://...': run the query on the client's session, write files to S3.

One slice is emulated: PARALLEL ON writes ``<prefix>0000_part_00``, PARALLEL OFF ``<prefix>000``
(``.parquet`` added for Parquet, ``.gz``/``.bz2``/``.zst`` for compression), as Redshift names them.
"""

import bz2
import gzip
import io
import json
import logging
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dwsim_redshift.copy.errors import CopyError
from dwsim_redshift.copy.options import Compression, DataFormat, UnloadCommand, parse_unload
from dwsim_redshift.copy.sources import s3_client, split_s3_url
from dwsim_redshift.copy.target import quote_literal
from dwsim_redshift.copy.unload_types import arrow_table
from dwsim_redshift.session import BackendError, Session

log = logging.getLogger("dwsim_redshift.copy")

NOT_EMPTY = (
    "Specified unload destination on S3 is not empty. Consider using a different bucket / "
    "prefix, manually removing the target files in S3, or using the ALLOWOVERWRITE option."
)
_SUFFIX = {Compression.GZIP: ".gz", Compression.BZIP2: ".bz2", Compression.ZSTD: ".zst"}


@dataclass(frozen=True)
class UnloadResult:
    rows: int
    files: list[str]


def run_unload(sql: str, session: Session, settings) -> UnloadResult:
    cmd = parse_unload(sql)
    client = s3_client(settings, cmd.options.get("REGION"))
    bucket, prefix = split_s3_url(cmd.target)
    existing = _existing(client, bucket, prefix)
    if existing and cmd.has("CLEANPATH"):
        for i in range(0, len(existing), 1000):
            chunk = [{"Key": k} for k in existing[i : i + 1000]]
            client.delete_objects(Bucket=bucket, Delete={"Objects": chunk})
    elif existing and not cmd.has("ALLOWOVERWRITE"):
        raise CopyError(NOT_EMPTY)
    query = _translate(cmd.query.strip().rstrip(";"))
    try:
        body, rows = _render(cmd, query, session)
    except BackendError as exc:
        raise CopyError(exc.message, detail=exc.detail, sqlstate=exc.sqlstate) from None
    name = "0000_part_00" if cmd.parallel else "000"
    key = prefix + name + (".parquet" if cmd.format is DataFormat.PARQUET else "")
    if cmd.format is not DataFormat.PARQUET:
        body = _compress(body, cmd.compression)
        key += _SUFFIX.get(cmd.compression, "")
    client.put_object(Bucket=bucket, Key=key, Body=body)
    url = f"s3://{bucket}/{key}"
    if cmd.has("MANIFEST"):
        manifest = {
            "entries": [{"url": url, "meta": {"content_length": len(body), "record_count": rows}}]
        }
        client.put_object(
            Bucket=bucket, Key=prefix + "manifest", Body=json.dumps(manifest).encode()
        )
    log.info("redshift.unload rows=%d file=%s", rows, url)
    return UnloadResult(rows=rows, files=[url])


def _existing(client, bucket: str, prefix: str) -> list[str]:
    try:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return [o["Key"] for page in pages for o in page.get("Contents", [])]
    except client.exceptions.NoSuchBucket:
        raise CopyError(
            f"S3ServiceException:The specified bucket does not exist,Status 404,Error NoSuchBucket,Bucket '{bucket}'"
        ) from None


def _translate(query: str) -> str:
    """Redshift SQL -> PostgreSQL with the emulator's translator, when it is installed."""
    try:
        from dwsim_redshift.sql.translate import translate
    except ImportError:
        return query
    try:
        return translate(query)
    except Exception as exc:  # the translator's own errors carry a message for the user
        raise CopyError(str(exc)) from None


def _render(cmd: UnloadCommand, query: str, session: Session) -> tuple[bytes, int]:
    columns, _ = session.query(f"SELECT * FROM ({query}) AS unload_query LIMIT 0")
    names = [name for name, _ in columns]
    null = cmd.options.get("NULL") or ""
    if cmd.format is DataFormat.PARQUET:
        data = b"".join(session.copy_out(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)"))
        table = arrow_table(data, columns)
        sink = io.BytesIO()
        pq.write_table(table, sink, compression="snappy")
        return sink.getvalue(), table.num_rows
    if cmd.format is DataFormat.CSV:
        options = (
            f"FORMAT csv, DELIMITER {quote_literal(cmd.delimiter)}, NULL {quote_literal(null)}"
        )
        header = _csv_header(names, cmd.delimiter)
    else:
        quote = ", FORCE_QUOTE *" if cmd.has("ADDQUOTES") else ""
        options = (
            f"FORMAT csv, DELIMITER {quote_literal(cmd.delimiter)}, NULL {quote_literal(null)}{quote}"
            if cmd.has("ADDQUOTES")
            else f"FORMAT text, DELIMITER {quote_literal(cmd.delimiter)}, NULL {quote_literal(null)}"
        )
        header = (cmd.delimiter.join(names) + "\n").encode()
    data = b"".join(session.copy_out(f"COPY ({query}) TO STDOUT WITH ({options})"))
    rows = data.count(b"\n") if cmd.format is not DataFormat.CSV else _csv_rows(data, cmd.delimiter)
    return (header if cmd.has("HEADER") else b"") + data, rows


def _csv_header(names: list[str], delimiter: str) -> bytes:
    sink = io.BytesIO()
    table = pa.table({f"c{i}": pa.array([n]) for i, n in enumerate(names)})
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, delimiter=delimiter))
    return sink.getvalue()


def _csv_rows(data: bytes, delimiter: str) -> int:
    if not data:
        return 0
    opts = pacsv.ReadOptions(autogenerate_column_names=True)
    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True)
    return pacsv.read_csv(pa.BufferReader(data), read_options=opts, parse_options=parse).num_rows


def _compress(body: bytes, compression: Compression) -> bytes:
    if compression is Compression.GZIP:
        return gzip.compress(body, compresslevel=6)
    if compression is Compression.BZIP2:
        return bz2.compress(body)
    if compression is Compression.ZSTD:
        return pa.compress(body, codec="zstd", asbytes=True)
    return body
