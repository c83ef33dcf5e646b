"""Which S3 objects a COPY reads: every key under the prefix, or the entries of a MANIFEST."""

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from dwsim_redshift.copy.errors import CopyError
from dwsim_shared.s3 import s3_did_not_answer


@dataclass(frozen=True)
class SourceFile:
    bucket: str
    key: str
    size: int

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


def s3_client(settings, region: str | None = None):
    """boto3 client for the configured S3 endpoint; COPY's credentials are accepted, not used.
    Timeouts and retries are the suite's (DWSIM_S3_CONNECT_TIMEOUT_S, DWSIM_S3_READ_TIMEOUT_S,
    DWSIM_S3_MAX_ATTEMPTS): an S3 server that is away for a few seconds is waited for."""
    import boto3

    from dwsim_shared.warehouses.connections import s3_access

    client = boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=region or settings.s3_region,
        aws_access_key_id=settings.aws_access_key_id,
        aws_secret_access_key=settings.aws_secret_access_key,
        config=s3_access(settings).botocore_config(),
    )
    client.dwsim_attempts = settings.s3_max_attempts  # what an unreachable-S3 error says
    return client


@contextmanager
def s3_reached(client, url: str) -> Iterator[None]:
    """S3 not answering (refused, reset or timed out after every retry, or a 5xx) becomes a
    CopyError naming S3's endpoint and the object. Redshift itself retries an unreadable file
    for 15 to 30 minutes; the emulator for as long as the S3 settings say."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if status < 500:
            raise
        raise _unreachable(client, url, exc) from None
    except (BotoCoreError, OSError) as exc:
        raise _unreachable(client, url, exc) from None


def _unreachable(client, url: str, exc: BaseException) -> CopyError:
    endpoint = client.meta.endpoint_url
    attempts = getattr(client, "dwsim_attempts", None)
    tries = f" after {attempts} attempts" if attempts else ""
    return CopyError(
        f"S3ServiceException:{s3_did_not_answer(endpoint)}{tries} ({type(exc).__name__}: "
        f"{exc}),Status 503,Error ServiceUnavailable,Location '{url}'",
        detail="the emulator retried with backoff (DWSIM_S3_MAX_ATTEMPTS, DWSIM_S3_READ_TIMEOUT_S)",
        sqlstate="58030",
    )


def split_s3_url(url: str) -> tuple[str, str]:
    if not url.lower().startswith("s3://"):
        raise CopyError(f"Invalid S3 location '{url}': expected s3://bucket/key")
    bucket, _, key = url[5:].partition("/")
    if not bucket:
        raise CopyError(f"Invalid S3 location '{url}': no bucket name")
    return bucket, key


def list_prefix(client, url: str) -> list[SourceFile]:
    """Every object whose key starts with the prefix (so 'orders' also matches 'orders_2024/')."""
    bucket, prefix = split_s3_url(url)
    files = []
    try:
        with s3_reached(client, url):
            pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for page in pages:
                for obj in page.get("Contents", []):
                    if not obj["Key"].endswith("/"):
                        files.append(SourceFile(bucket, obj["Key"], int(obj["Size"])))
    except client.exceptions.NoSuchBucket:
        raise CopyError(
            _s3_error("The specified bucket does not exist", 404, "NoSuchBucket", url)
        ) from None
    if not files:
        raise CopyError(f"The specified S3 prefix '{prefix}' does not exist")
    return sorted(files, key=lambda f: f.key)


def read_manifest(client, url: str) -> list[SourceFile]:
    """Entries of a Redshift manifest; a missing mandatory file fails, a missing optional one is skipped."""
    bucket, key = split_s3_url(url)
    try:
        with s3_reached(client, url):
            body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except client.exceptions.NoSuchKey:
        raise CopyError(
            "Problem reading manifest file - "
            + _s3_error("The specified key does not exist.", 404, "NoSuchKey", url)
        ) from None
    except client.exceptions.NoSuchBucket:
        raise CopyError(
            "Problem reading manifest file - "
            + _s3_error("The specified bucket does not exist", 404, "NoSuchBucket", url)
        ) from None
    try:
        entries = json.loads(body)["entries"]
        wanted = [(str(e["url"]), bool(e.get("mandatory", False))) for e in entries]
    except (ValueError, KeyError, TypeError):
        raise CopyError(f"Manifest file '{url}' is not in correct json format") from None
    files = []
    for entry_url, mandatory in wanted:
        entry_bucket, entry_key = split_s3_url(entry_url)
        try:
            with s3_reached(client, entry_url):
                head = client.head_object(Bucket=entry_bucket, Key=entry_key)
        except client.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in (
                "404",
                "NoSuchKey",
                "NoSuchBucket",
            ):
                raise
            if mandatory:
                raise CopyError(
                    f"Manifest file '{url}' has a mandatory entry '{entry_url}' that does not exist - "
                    + _s3_error("The specified key does not exist.", 404, "NoSuchKey", entry_url)
                ) from None
            continue
        files.append(SourceFile(entry_bucket, entry_key, int(head["ContentLength"])))
    if not files:
        raise CopyError(f"Manifest file '{url}' lists no file that exists")
    return files


def read_object(client, source: SourceFile) -> bytes:
    """The whole object (Parquet needs random access). A body cut off midway (the connection
    reset or timed out) is fetched again, like a request botocore retries itself."""
    from botocore.exceptions import BotoCoreError

    attempts = getattr(client, "dwsim_attempts", 1)
    for attempt in range(1, attempts + 1):
        body = open_object(client, source)
        try:
            with s3_reached(client, source.url):
                return body.read()
        except CopyError as exc:
            if attempt == attempts or not isinstance(exc.__context__, BotoCoreError | OSError):
                raise
        time.sleep(min(0.5 * 2 ** (attempt - 1), 8))
    raise AssertionError("unreachable")  # pragma: no cover


def read_url(client, url: str) -> bytes:
    """A whole object named by its s3:// URL (a JSONPaths file)."""
    bucket, key = split_s3_url(url)
    return read_object(client, SourceFile(bucket, key, 0))


def open_object(client, source: SourceFile):
    """The object's body as a stream (text formats are decoded as they download)."""
    try:
        with s3_reached(client, source.url):
            return client.get_object(Bucket=source.bucket, Key=source.key)["Body"]
    except client.exceptions.NoSuchKey:
        raise CopyError(
            _s3_error("The specified key does not exist.", 404, "NoSuchKey", source.url)
        ) from None


def read_all(stream) -> bytes:
    """Everything left in a (possibly unseekable, decompressing) stream."""
    return b"".join(iter(lambda: stream.read(1 << 20), b""))


def _s3_error(message: str, status: int, code: str, url: str) -> str:
    return f"S3ServiceException:{message},Status {status},Error {code},Location '{url}'"
