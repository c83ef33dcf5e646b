"""UNLOAD ('select ...') TO 's3://...': run the query on the client's session, write files to S3.

One slice is emulated: PARALLEL ON writes ``<prefix>0000_part_00``, PARALLEL OFF ``<prefix>000``
(``.parquet`` added for Parquet, ``.gz``/``.bz2``/``.zst`` for compression), as Redshift names them.
"""

import io
import json
import logging
import os
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.csv as pacsv

from dwsim_redshift.copy.errors import CopyError
from dwsim_redshift.copy.options import Compression, DataFormat, UnloadCommand, parse_unload
from dwsim_redshift.copy.sources import s3_client, split_s3_url
from dwsim_redshift.copy.target import quote_literal
from dwsim_redshift.copy.unload_files import temp_path, write_parquet, write_text
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
    name = "0000_part_00" if cmd.parallel else "000"
    key = prefix + name
    if cmd.format is DataFormat.PARQUET:
        key += ".parquet"
    else:
        key += _SUFFIX.get(cmd.compression, "")
    path = temp_path()
    try:
        try:
            rows = _render(cmd, query, session, path)
        except BackendError as exc:
            raise CopyError(exc.message, detail=exc.detail, sqlstate=exc.sqlstate) from None
        size = os.path.getsize(path)
        client.upload_file(path, bucket, key)
    finally:
        os.unlink(path)
    url = f"s3://{bucket}/{key}"
    if cmd.has("MANIFEST"):
        entry = {"url": url, "meta": {"content_length": size, "record_count": rows}}
        body = json.dumps({"entries": [entry]}).encode()
        client.put_object(Bucket=bucket, Key=prefix + "manifest", Body=body)
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


def _render(cmd: UnloadCommand, query: str, session: Session, path: str) -> int:
    """Write the output file at ``path``; return the number of rows."""
    columns, _ = session.query(f"SELECT * FROM ({query}) AS unload_query LIMIT 0")
    names = [name for name, _ in columns]
    null = quote_literal(cmd.options.get("NULL") or "")
    delimiter = quote_literal(cmd.delimiter)
    if cmd.format is DataFormat.PARQUET:
        csv_path = temp_path()
        try:
            chunks = session.copy_out(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)")
            write_text(csv_path, b"", chunks, True, Compression.NONE)
            return write_parquet(path, csv_path, columns)
        finally:
            os.unlink(csv_path)
    csv = cmd.format is DataFormat.CSV or cmd.has("ADDQUOTES")
    if cmd.format is DataFormat.CSV:
        options = f"FORMAT csv, DELIMITER {delimiter}, NULL {null}"
        header = _csv_header(names, cmd.delimiter)
    elif cmd.has("ADDQUOTES"):
        options = f"FORMAT csv, DELIMITER {delimiter}, NULL {null}, FORCE_QUOTE *"
        header = (cmd.delimiter.join(names) + "\n").encode()
    else:
        options = f"FORMAT text, DELIMITER {delimiter}, NULL {null}"
        header = (cmd.delimiter.join(names) + "\n").encode()
    chunks = session.copy_out(f"COPY ({query}) TO STDOUT WITH ({options})")
    return write_text(path, header if cmd.has("HEADER") else b"", chunks, csv, cmd.compression)


def _csv_header(names: list[str], delimiter: str) -> bytes:
    sink = io.BytesIO()
    table = pa.table({f"c{i}": pa.array([n]) for i, n in enumerate(names)})
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, delimiter=delimiter))
    return sink.getvalue()
