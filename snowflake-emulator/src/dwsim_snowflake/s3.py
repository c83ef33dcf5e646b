"""The s3fs filesystem DuckDB reads ``s3://`` through (its httpfs extension cannot be fetched here)."""

import s3fs


def s3_filesystem(endpoint_url: str, key: str, secret: str, region: str) -> s3fs.S3FileSystem:
    """An S3 filesystem on the S3 server at ``endpoint_url``.

    Listings are never cached: the emulator runs for hours while files are written to the
    bucket, and a cached listing would make COPY INTO miss files staged after the first load.
    Retries are few: the S3 server is local, and a COPY against one that is down should say so
    in about a second, not after s3fs's and botocore's retries multiplied (~13 s).
    """
    fs = s3fs.S3FileSystem(
        endpoint_url=endpoint_url,
        key=key,
        secret=secret,
        client_kwargs={"region_name": region},
        use_listings_cache=False,
        skip_instance_cache=True,
        config_kwargs={
            "connect_timeout": 5,
            "read_timeout": 300,
            "retries": {"max_attempts": 2, "mode": "standard"},
        },
    )
    fs.retries = 2  # a class attribute, not an __init__ argument
    return fs
