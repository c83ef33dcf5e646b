"""The S3 client every service builds from its settings, and the bucket it needs."""

import contextlib
from typing import Any

from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses.connections import s3_access


def s3_client(settings: DwsimSettings) -> Any:
    """A boto3 S3 client for ``DWSIM_S3_ENDPOINT_URL`` (moto's server, LocalStack or AWS)."""
    return s3_access(settings).client()


def s3_did_not_answer(endpoint: str | None) -> str:
    """The one wording, in every service, for S3 not answering (refused, reset or timed out
    after the client's retries, or a 5xx): it names the endpoint and the setting that chose it.
    The caller goes on with what was being done and the error (``... did not answer while
    writing s3://b/k: ...``)."""
    return f"S3 at {endpoint} (DWSIM_S3_ENDPOINT_URL) did not answer"


def ensure_bucket(settings: DwsimSettings, client: Any | None = None) -> None:
    """Create ``DWSIM_S3_BUCKET`` unless it exists already."""
    client = client or s3_client(settings)
    try:
        client.head_bucket(Bucket=settings.s3_bucket)
    except client.exceptions.ClientError:
        with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
            client.create_bucket(Bucket=settings.s3_bucket)


def delete_prefix(client: Any, bucket: str, prefix: str) -> int:
    """Delete every object under ``prefix``; returns how many were deleted."""
    deleted = 0
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
        if keys:
            client.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
            deleted += len(keys)
    return deleted
