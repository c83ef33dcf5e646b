"""The s3fs filesystem DuckDB reads ``s3://`` through (its httpfs extension cannot be fetched here)."""

import s3fs

from dwsim_shared.warehouses.connections import S3Access


def s3_filesystem(
    endpoint_url: str, key: str, secret: str, region: str, access: S3Access | None = None
) -> s3fs.S3FileSystem:
    """An S3 filesystem on the S3 server at ``endpoint_url``.

    Listings are never cached: the emulator runs for hours while files are written to the
    bucket, and a cached listing would make COPY INTO miss files staged after the first load.
    Timeouts and retries are the suite's (``access``: DWSIM_S3_CONNECT_TIMEOUT_S,
    DWSIM_S3_READ_TIMEOUT_S, DWSIM_S3_MAX_ATTEMPTS), so an S3 server away for a few seconds
    is waited for, and one that stays away fails the COPY INTO within a bounded time. s3fs's
    own retry loop is off (one try: its retries would multiply botocore's, doubling the wait
    for an S3 server that does not answer); a staged file whose download is cut off midway is
    read again by DuckDB from S3 (prefetch.py falls back to the s3:// URL).
    """
    access = access or S3Access()
    fs = s3fs.S3FileSystem(
        endpoint_url=endpoint_url,
        key=key,
        secret=secret,
        client_kwargs={"region_name": region},
        use_listings_cache=False,
        skip_instance_cache=True,
        config_kwargs={
            "connect_timeout": access.connect_timeout_s,
            "read_timeout": access.read_timeout_s,
            "retries": {"total_max_attempts": access.max_attempts, "mode": "standard"},
        },
    )
    fs.retries = 1  # a class attribute, not an __init__ argument
    return fs
