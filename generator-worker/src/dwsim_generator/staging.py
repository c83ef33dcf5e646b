"""Parts and manifests go to S3 straight from memory: no part of a run touches a worker's disk."""

import time

import pyarrow as pa
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError

from dwsim_shared.errors import DwsimError
from dwsim_shared.s3 import s3_did_not_answer

# A part goes up in one PUT unless it is over 128 MiB (a chunk's part rarely is: TPC-H's
# partsupp, long comments, makes 75 MiB of 2^20 rows, which went up in pieces under the 64 MiB
# this was); then as a multipart upload, 16 MiB a piece, a few pieces at a time. One PUT costs
# the S3 server (moto's, on the same cores as the workers) about 40% less CPU than the same
# bytes in pieces, which it must join on completion: measured 1.05 vs 1.75 CPU-s for 240 MiB
# of 30 MiB parts.
MULTIPART_THRESHOLD = 128 << 20
MULTIPART_PIECE = 16 << 20
TRANSFER = TransferConfig(
    multipart_threshold=MULTIPART_THRESHOLD, multipart_chunksize=MULTIPART_PIECE, max_concurrency=4
)
# S3 answers that mean "try again later", not "this request is wrong".
RETRYABLE_CODES = frozenset(
    {"InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "Throttling"}
)


GERUND = {"write": "writing", "list": "listing"}  # what a refused or unanswered request did


class StagingError(DwsimError):
    """S3 refused a write (no such bucket, access denied): retrying would not help."""


class S3UnavailableError(DwsimError):
    """S3 did not answer a write (refused, reset or timed out, or a 5xx) after the client's
    own retries (DWSIM_S3_MAX_ATTEMPTS): transient, so the task is retried with backoff; the
    message names the endpoint and the object for when the retries run out."""


def bucket_of(prefix: str, default: str) -> str:
    """The bucket of a run prefix ``s3://bucket/experiments/...`` (``default`` if none)."""
    if not prefix.startswith("s3://"):
        return default
    return prefix.removeprefix("s3://").split("/", 1)[0] or default


class Outage:
    """Since when this process's writes have found S3 unreachable (None: the last one went up)."""

    since: float | None = None

    @classmethod
    def seconds(cls) -> float:
        return 0.0 if cls.since is None else time.monotonic() - cls.since


def upload_part(client, bucket: str, key: str, data: pa.Buffer) -> int:
    """Upload a Parquet part from its in-memory buffer; returns its size in bytes."""
    try:
        client.upload_fileobj(pa.BufferReader(data), bucket, key, Config=TRANSFER)
    except ClientError as exc:
        _refused(client, exc, bucket, key)
    except BotoCoreError as exc:
        raise _unavailable(client, exc, bucket, key) from exc
    Outage.since = None
    return data.size


def put_text(client, bucket: str, key: str, text: str) -> None:
    """Write a small text object (a manifest) in one request."""
    try:
        client.put_object(
            Bucket=bucket, Key=key, Body=text.encode(), ContentType="application/json"
        )
    except ClientError as exc:
        _refused(client, exc, bucket, key)
    except BotoCoreError as exc:
        raise _unavailable(client, exc, bucket, key) from exc


def staged_sizes(client, bucket: str, prefix: str) -> dict[str, int]:
    """The size of every object under ``prefix``, by key relative to it."""
    sizes: dict[str, int] = {}
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            sizes.update((o["Key"][len(prefix) :], o["Size"]) for o in page.get("Contents", []))
    except ClientError as exc:
        _refused(client, exc, bucket, prefix, doing="list")
    except BotoCoreError as exc:
        raise _unavailable(client, exc, bucket, prefix, doing="list") from exc
    return sizes


def is_transient(exc: BaseException) -> bool:
    """An S3 failure worth retrying: no connection, a timeout, or a 5xx/throttling answer."""
    if isinstance(exc, S3UnavailableError | ConnectionError | HTTPClientError):
        return True
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return error.get("Code") in RETRYABLE_CODES or status >= 500
    return False


def _unavailable(
    client, exc: BaseException, bucket: str, key: str, doing: str = "write"
) -> S3UnavailableError:
    if Outage.since is None:
        Outage.since = time.monotonic()
    return S3UnavailableError(
        f"{s3_did_not_answer(client.meta.endpoint_url)} while {GERUND[doing]} "
        f"s3://{bucket}/{key}: "
        f"{type(exc).__name__}: {exc}"
    )


def _refused(client, exc: ClientError, bucket: str, key: str, doing: str = "write") -> None:
    if is_transient(exc):
        raise _unavailable(client, exc, bucket, key, doing) from exc
    error = exc.response.get("Error", {})
    code, message = error.get("Code", "Error"), error.get("Message", str(exc))
    hint = ""
    if code == "NoSuchBucket":
        hint = f"; create bucket {bucket!r} or set DWSIM_S3_BUCKET to one that exists"
    raise StagingError(
        f"S3 refused to {doing} s3://{bucket}/{key}: {code}: {message}{hint}"
    ) from exc
