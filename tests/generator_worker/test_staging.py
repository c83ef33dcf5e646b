"""Parts go to S3 from memory (multipart when large); refusals name the object, outages retry."""

import os

import boto3
import pyarrow as pa
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError

from dwsim_generator.staging import (
    MULTIPART_PIECE,
    MULTIPART_THRESHOLD,
    S3UnavailableError,
    StagingError,
    bucket_of,
    is_transient,
    put_text,
    upload_part,
)
from dwsim_generator.tasks import _transient
from dwsim_shared.metadata_client import MetadataUnavailableError
from tests.fixtures.servers import free_port


def test_a_large_part_goes_up_in_pieces_and_comes_back_whole(s3_server, s3_bucket):
    client = s3_server.client()
    data = pa.py_buffer(os.urandom(MULTIPART_THRESHOLD + (1 << 20)))  # just over: in pieces
    assert upload_part(client, s3_bucket, "runs/r/t/part-00000.parquet", data) == data.size
    head = client.head_object(Bucket=s3_bucket, Key="runs/r/t/part-00000.parquet")
    pieces = -(-data.size // MULTIPART_PIECE)
    assert head["ETag"].strip('"').endswith(f"-{pieces}")  # a multipart upload's ETag
    body = client.get_object(Bucket=s3_bucket, Key="runs/r/t/part-00000.parquet")["Body"]
    assert body.read() == data.to_pybytes()
    usual = pa.py_buffer(os.urandom(30 << 20))  # a usual chunk's part: one PUT
    upload_part(client, s3_bucket, "runs/r/t/part-00001.parquet", usual)
    head = client.head_object(Bucket=s3_bucket, Key="runs/r/t/part-00001.parquet")
    assert "-" not in head["ETag"]
    body = client.get_object(Bucket=s3_bucket, Key="runs/r/t/part-00001.parquet")["Body"]
    assert body.read() == usual.to_pybytes()


def test_a_missing_bucket_is_a_refusal_naming_the_object_and_the_setting(s3_server):
    client = s3_server.client()
    with pytest.raises(StagingError) as info:
        upload_part(client, "no-such-bucket", "a/part-00000.parquet", pa.py_buffer(b"x"))
    message = str(info.value)
    assert message.startswith("S3 refused to write s3://no-such-bucket/a/part-00000.parquet: ")
    assert "NoSuchBucket" in message
    assert "DWSIM_S3_BUCKET" in message
    assert not _transient(info.value)
    with pytest.raises(StagingError, match=r"s3://no-such-bucket/m/manifest\.json"):
        put_text(client, "no-such-bucket", "m/manifest.json", "{}")


def test_an_unreachable_s3_or_metadata_service_is_retried():
    client = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{free_port()}",  # nothing listens there
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    with pytest.raises(S3UnavailableError) as info:
        upload_part(client, "b", "k", pa.py_buffer(b"x"))
    assert str(info.value).startswith(
        f"S3 at {client.meta.endpoint_url} (DWSIM_S3_ENDPOINT_URL) did not answer while "
        "writing s3://b/k: EndpointConnectionError: "
    )
    assert isinstance(info.value.__cause__, EndpointConnectionError)
    assert is_transient(info.value)
    assert _transient(info.value)
    assert _transient(MetadataUnavailableError("the metadata service does not answer"))
    busy = ClientError({"Error": {"Code": "SlowDown", "Message": "slow down"},
                        "ResponseMetadata": {"HTTPStatusCode": 503}}, "PutObject")  # fmt: skip
    assert is_transient(busy)


def test_the_bucket_of_a_run_prefix():
    assert bucket_of("s3://dwsim/experiments/e/runs/r/", "other") == "dwsim"
    assert bucket_of("", "other") == "other"
