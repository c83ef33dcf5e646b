"""UNLOAD ('select ...') TO 's3://...': run the query on the client's backend session, write
parts to S3 (unload_parts.py), Hive-style partition folders for PARTITION BY
(unload_partitions.py), and a manifest that lists what was written."""

import csv
import io
import logging
import os
from dataclasses import dataclass

from dwsim_redshift.backend.session import BackendError, BackendSession
from dwsim_redshift.copy.errors import CopyError
from dwsim_redshift.copy.options import DataFormat, UnloadCommand, parse_unload
from dwsim_redshift.copy.sources import s3_client, split_s3_url
from dwsim_redshift.copy.target import quote_ident, quote_literal
from dwsim_redshift.copy.unload_checks import check_options
from dwsim_redshift.copy.unload_files import temp_path, write_parquet
from dwsim_redshift.copy.unload_manifest import write_manifest
from dwsim_redshift.copy.unload_partitions import partitioned
from dwsim_redshift.copy.unload_parts import ParquetParts, Parts, write_text

log = logging.getLogger("dwsim_redshift.copy")

NOT_EMPTY = (
    "Specified unload destination on S3 is not empty. Consider using a different bucket / "
    "prefix, manually removing the target files in S3, or using the ALLOWOVERWRITE option."
)
_TEXT_OIDS = {1082, 1083, 1114, 1184, 1266}  # date/time types: JSON gets Redshift's text


@dataclass(frozen=True)
class UnloadResult:
    rows: int
    files: list[str]


def run_unload(sql: str, session: BackendSession, settings) -> UnloadResult:
    cmd = parse_unload(sql)
    check_options(cmd)
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

    def upload(path: str, key: str) -> None:
        client.upload_file(path, bucket, key)

    try:
        columns, _ = session.query(f"SELECT * FROM ({query}) AS unload_query LIMIT 0")
        if cmd.partition_by:
            written = partitioned(cmd, query, columns, session, bucket, prefix, upload, _render)
        else:
            parts = Parts(cmd, bucket, prefix, upload)
            _render(cmd, query, columns, session, parts)
            written = parts.files
    except BackendError as exc:
        raise CopyError(exc.message, detail=exc.detail, sqlstate=exc.sqlstate) from None
    if cmd.has("MANIFEST"):
        write_manifest(client, bucket, prefix, cmd, written, columns, session)
    rows = sum(w.rows for w in written)
    log.info("redshift.unload rows=%d files=%d prefix=%s", rows, len(written), cmd.target)
    return UnloadResult(rows=rows, files=[w.url for w in written])


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


def _render(
    cmd: UnloadCommand,
    query: str,
    columns: list[tuple[str, int]],
    session: BackendSession,
    parts: Parts,
) -> int:
    """Write the query's rows into ``parts``; return the number of rows."""
    names = [name for name, _ in columns]
    null = quote_literal(cmd.options.get("NULL") or "")
    delimiter = quote_literal(cmd.delimiter)
    if cmd.format is DataFormat.PARQUET:
        csv_path = temp_path()
        try:
            with open(csv_path, "wb") as out:
                for chunk in session.copy_out(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)"):
                    out.write(chunk)
            return write_parquet(ParquetParts(parts), csv_path, columns)
        finally:
            os.unlink(csv_path)
    if cmd.format is DataFormat.JSON:
        fields = ", ".join(
            f"{quote_ident(n)}::text AS {quote_ident(n)}" if oid in _TEXT_OIDS else quote_ident(n)
            for n, oid in columns
        )
        rows = f"SELECT {fields} FROM ({query}) AS unload_query"
        # CSV with quote and delimiter characters JSON text never holds raw: lines as they are
        sql = (
            f"COPY (SELECT pg_catalog.row_to_json(r) FROM ({rows}) AS r) TO STDOUT "
            "WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
        )
        return write_text(parts, b"", session.copy_out(sql), csv=False)
    quoted = cmd.format is DataFormat.CSV or cmd.has("ADDQUOTES")
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
    return write_text(parts, header if cmd.has("HEADER") else b"", chunks, quoted)


def _csv_header(names: list[str], delimiter: str) -> bytes:
    """Column names quoted only where they need it, as the rows are."""
    sink = io.StringIO()
    csv.writer(sink, delimiter=delimiter, lineterminator="\n").writerow(names)
    return sink.getvalue().encode()
