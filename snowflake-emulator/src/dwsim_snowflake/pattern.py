"""Which staged files a COPY INTO reads: every object under the location, then PATTERN.

fakesnow listed a location with a one-level glob and rejected PATTERN. Here a location is a
key prefix, listed at any depth, as Snowflake does.

As in Snowflake's bulk loads, the regular expression must match a file's whole path (it is
anchored at both ends): the object key for ``s3://bucket/key`` (so '.*[.]parquet' or
'runs/r1/.*/part-[0-9]+[.]parquet'). The full URL is accepted as well.
"""

import re
from urllib.parse import urlparse

from fsspec import AbstractFileSystem
from snowflake.connector.errors import ProgrammingError
from sqlglot import exp


def take_pattern(expr: exp.Copy) -> re.Pattern[str] | None:
    """Remove PATTERN from the statement's options; the compiled expression, if there was one."""
    params = expr.args.get("params") or []
    for param in params:
        if isinstance(param.this, exp.Var) and param.this.name.upper() == "PATTERN":
            value = param.args.get("expression")
            if not isinstance(value, exp.Literal) or not value.is_string:
                raise ProgrammingError(
                    msg="SQL compilation error:\nPATTERN must be a string literal",
                    errno=1003,
                    sqlstate="42000",
                )
            params.remove(param)
            try:
                return re.compile(value.this)
            except re.error as exc:
                raise ProgrammingError(
                    msg=f"Invalid regular expression in PATTERN '{value.this}': {exc}",
                    errno=100048,
                    sqlstate="2201B",
                ) from None
    return None


def matching(pattern: re.Pattern[str], urls: list[str]) -> list[str]:
    return [u for u in urls if pattern.fullmatch(_key(u)) or pattern.fullmatch(u)]


def _key(url: str) -> str:
    parsed = urlparse(url)
    return parsed.path.lstrip("/") if parsed.scheme else url


def list_prefix(fs: AbstractFileSystem, source: str) -> list[str]:
    """s3:// URLs of every object whose key starts with the location's path, sorted."""
    parsed = urlparse(source)
    bucket, prefix = parsed.netloc, parsed.path.lstrip("/")
    folder = prefix if prefix.endswith("/") or not prefix else prefix.rpartition("/")[0] + "/"
    found = fs.find(f"{bucket}/{folder}".rstrip("/"))
    keys = sorted(
        key.partition("/")[2]
        for key in found
        if not key.endswith("/") and key.partition("/")[2].startswith(prefix)
    )
    return [f"s3://{bucket}/{key}" for key in keys]
