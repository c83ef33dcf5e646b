"""SQL string literals for the few values the adapters must write into statements (S3 URLs,
file names, credentials): each is checked for shape first, then quoted."""

import re

from dwsim_shared.contracts.jobs import ManifestFile

_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9._=-]+$")


class UnsafeValueError(ValueError):
    """A value that cannot be written into SQL safely (the message says which and why)."""


def sql_string(value: str) -> str:
    """A single-quoted literal; backslashes (escapes in Snowflake) and control characters are
    refused rather than escaped, so the text means the same in every warehouse."""
    if "\\" in value or any(ord(ch) < 32 for ch in value):
        raise UnsafeValueError(f"{value!r} contains a backslash or a control character")
    return "'" + value.replace("'", "''") + "'"


def check_bucket(bucket: str) -> str:
    if not _BUCKET.match(bucket):
        raise UnsafeValueError(f"{bucket!r} is not a valid S3 bucket name")
    return bucket


def part_file_names(table: str, files: list[ManifestFile]) -> list[str]:
    """File names of a table's parts, relative to the table folder (``part-00000.parquet``)."""
    names = []
    for f in files:
        folder, _, name = f.key.rpartition("/")
        if folder != table or not _FILE_NAME.match(name):
            raise UnsafeValueError(
                f"manifest file {f.key!r} is not a part of table {table} ({table}/<file name>)"
            )
        names.append(name)
    return names
