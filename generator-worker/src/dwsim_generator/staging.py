"""Parts and manifests go to S3 straight from memory: no part of a run touches a worker's disk."""

import pyarrow as pa
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

from dwsim_shared.errors import DwsimError

# Parts above 8 MiB go up as a multipart upload, 8 MiB a piece, a few pieces at a time.
TRANSFER = TransferConfig(
    multipart_threshold=8 << 20, multipart_chunksize=8 << 20, max_concurrency=4
)
# S3 answers that mean "try again later", not "this request is wrong".
RETRYABLE_CODES = frozenset(
    {"InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "Throttling"}
)


class StagingError(DwsimError):
    """S3 refused a write (no such bucket, access denied): retrying would not help."""


def bucket_of(prefix: str, default: str) -> str:
    """The bucket of a run prefix ``s3://bucket/experiments/...`` (``default`` if none)."""
    if not prefix.startswith("s3://"):
        return default
    return prefix.removeprefix("s3://").split("/", 1)[0] or default


def upload_part(client, bucket: str, key: str, data: pa.Buffer) -> int:
    """Upload a Parquet part from its in-memory buffer; returns its size in bytes."""
    try:
        client.upload_fileobj(pa.BufferReader(data), bucket, key, Config=TRANSFER)
    except ClientError as exc:
        _refused(exc, bucket, key)
    return data.size


def put_text(client, bucket: str, key: str, text: str) -> None:
    """Write a small text object (a manifest) in one request."""
    try:
        client.put_object(
            Bucket=bucket, Key=key, Body=text.encode(), ContentType="application/json"
        )
    except ClientError as exc:
        _refused(exc, bucket, key)


def is_transient(exc: BaseException) -> bool:
    """An S3 failure worth retrying: no connection, a timeout, or a 5xx/throttling answer."""
    if isinstance(exc, ConnectionError | HTTPClientError):
        return True
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return error.get("Code") in RETRYABLE_CODES or status >= 500
    return False


def _refused(exc: ClientError, bucket: str, key: str) -> None:
    if is_transient(exc):
        raise exc
    error = exc.response.get("Error", {})
    code, message = error.get("Code", "Error"), error.get("Message", str(exc))
    hint = ""
    if code == "NoSuchBucket":
        hint = f"; create bucket {bucket!r} or set DWSIM_S3_BUCKET to one that exists"
    raise StagingError(f"S3 refused to write s3://{bucket}/{key}: {code}: {message}{hint}") from exc
