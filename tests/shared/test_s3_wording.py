"""S3 not answering is said in one wording (dwsim_shared.s3.s3_did_not_answer) by everything
that reads or writes staged runs; each message goes on with what it was doing. No S3 server:
the failures are made up."""

from types import SimpleNamespace

import pyarrow as pa
import pytest
from botocore.exceptions import EndpointConnectionError

from dwsim_generator.staging import Outage, S3UnavailableError, upload_part
from dwsim_redshift.copy.errors import CopyError
from dwsim_redshift.copy.sources import s3_reached
from dwsim_shared.s3 import s3_did_not_answer
from dwsim_shared.warehouses.staged import StagedFileError, _fetch
from dwsim_snowflake.patches import copy_into

ENDPOINT = "http://127.0.0.1:9"
DOWN = EndpointConnectionError(endpoint_url=ENDPOINT)
WORDING = f"S3 at {ENDPOINT} (DWSIM_S3_ENDPOINT_URL) did not answer"


class _DownClient:
    """A boto3 S3 client whose every call finds nobody at ``ENDPOINT``."""

    meta = SimpleNamespace(endpoint_url=ENDPOINT)

    def __getattr__(self, _name: str):
        def call(*_args, **_kwargs):
            raise DOWN

        return call


def test_the_wording() -> None:
    assert s3_did_not_answer(ENDPOINT) == WORDING


def test_reading_a_staged_file() -> None:
    with pytest.raises(StagedFileError) as info:
        _fetch(_DownClient(), "b", "k", "s3://b/k")
    assert str(info.value) == (
        f"cannot read staged file s3://b/k: {WORDING}: EndpointConnectionError: {DOWN}"
    )


def test_writing_a_part(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Outage, "since", None)  # the failed write marks an outage: undone after
    with pytest.raises(S3UnavailableError) as info:
        upload_part(_DownClient(), "b", "k", pa.py_buffer(b"x"))
    assert str(info.value) == f"{WORDING} while writing s3://b/k: EndpointConnectionError: {DOWN}"


def test_a_redshift_copy() -> None:
    client = _DownClient()
    client.dwsim_attempts = 3
    with pytest.raises(CopyError) as info, s3_reached(client, "s3://b/k"):
        raise DOWN
    assert str(info.value) == (
        f"S3ServiceException:{WORDING} after 3 attempts (EndpointConnectionError: {DOWN}),"
        "Status 503,Error ServiceUnavailable,Location 's3://b/k'"
    )


def test_a_snowflake_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(copy_into._settings, "fs", SimpleNamespace(endpoint_url=ENDPOINT))
    error = copy_into.load_error(str(DOWN), True, "SELECT 1", "T")
    # raw_msg: the connector puts errno and SQLSTATE before it in ``msg``, and a query id too
    # when its logger is at INFO (as an earlier test in this process may have left it)
    assert (error.errno, error.sqlstate) == (91016, "58030")
    assert error.raw_msg == (
        f"Cannot read staged data for table T: {WORDING}; nothing was loaded. {DOWN}"
    )
