"""Reading a staged run's Parquet parts from S3, batch by batch, for adapters that load rows
themselves (SQLite). Needs the ``sqlite`` extra (pyarrow, boto3)."""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from dwsim_shared.contracts.jobs import TableManifest
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Table
from dwsim_shared.s3 import s3_did_not_answer
from dwsim_shared.stoppable import Check, call_stoppable
from dwsim_shared.warehouses.connections import S3Access

BATCH_ROWS = 65536


class StagedFileError(Exception):
    """A staged file is missing or does not fit the table; the message names file and column."""


@dataclass(frozen=True)
class StagedFile:
    url: str
    rows: int  # rows the manifest says the file holds


def staged_files(layout: RunLayout, bucket: str, staged: TableManifest) -> list[StagedFile]:
    return [StagedFile(f"s3://{bucket}/{layout.prefix}{f.key}", f.rows) for f in staged.files]


def iter_row_batches(
    s3: S3Access,
    layout: RunLayout,
    bucket: str,
    staged: TableManifest,
    table: Table,
    check: Check = lambda: None,
) -> Iterator[tuple[StagedFile, list[tuple[Any, ...]]]]:
    """Yield (file, rows) per record batch, rows as tuples in the table's column order.

    Values are converted for SQLite: decimals, dates, times and timestamps to strings
    (SQLite's date functions read them), nested values to JSON text, binary to bytes.
    ``check`` raises when the load is cancelled: it ends the wait for a file's download at
    once, even one that hangs (dwsim_shared.stoppable).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    client = s3.client()
    for staged_file in staged_files(layout, bucket, staged):
        key = staged_file.url.removeprefix(f"s3://{bucket}/")
        read = partial(_fetch, client, bucket, key, staged_file.url)
        body = call_stoppable(read, check, "staged-read")
        try:
            parquet = pq.ParquetFile(io.BytesIO(body))
            names = _column_order(parquet.schema_arrow.names, table, staged_file.url)
            batches = parquet.iter_batches(batch_size=BATCH_ROWS, columns=names)
            for batch in batches:
                columns = [_to_python(batch.column(i)) for i in range(batch.num_columns)]
                yield staged_file, list(zip(*columns, strict=True))
        except (pa.ArrowException, OSError) as exc:  # a corrupt or truncated part
            raise StagedFileError(
                f"staged file {staged_file.url} is not readable Parquet: {exc}"
            ) from None


def _fetch(client: Any, bucket: str, key: str, url: str) -> bytes:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        raise StagedFileError(f"cannot read staged file {url}: {code or exc}") from None
    except BotoCoreError as exc:  # after the client's retries (DWSIM_S3_MAX_ATTEMPTS)
        raise StagedFileError(
            f"cannot read staged file {url}: {s3_did_not_answer(client.meta.endpoint_url)}: "
            f"{type(exc).__name__}: {exc}"
        ) from None


def _column_order(file_columns: list[str], table: Table, url: str) -> list[str]:
    by_lower = {name.lower(): name for name in file_columns}
    wanted = {c.name.lower() for c in table.columns}
    missing = [c.name for c in table.columns if c.name.lower() not in by_lower]
    if missing:
        raise StagedFileError(f"staged file {url} has no column {', '.join(missing)}")
    extra = [name for name in file_columns if name.lower() not in wanted]
    if extra:
        raise StagedFileError(
            f"staged file {url} has column {', '.join(extra)}, which the table does not have"
        )
    return [by_lower[c.name.lower()] for c in table.columns]


def _to_python(array: Any) -> list[Any]:
    import json

    import pyarrow as pa
    import pyarrow.compute as pc

    kind = array.type
    if pa.types.is_decimal(kind):
        return pc.cast(array, pa.string()).to_pylist()
    if pa.types.is_temporal(kind) and not pa.types.is_duration(kind):
        return _iso(array)
    if pa.types.is_nested(kind):
        return [None if v is None else json.dumps(v, default=str) for v in array.to_pylist()]
    if pa.types.is_dictionary(kind):
        return _to_python(array.dictionary_decode())
    return array.to_pylist()


def _iso(array: Any) -> list[Any]:
    """Text SQLite's date functions read: ``2024-01-31``, ``13:45:00.250000``,
    ``2024-01-31 13:45:00.000000`` and, for time-zone-aware values, UTC with a ``Z``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(array, pa.string()).to_pylist()
