"""LIST @stage[/path] [PATTERN='<regex>'] for stages on S3, which fakesnow answered with no rows.

The location is listed like COPY INTO's (pattern.py: a key prefix at any depth); the rows are
Snowflake's: name (the s3:// URL), size, md5 (the object's ETag), last_modified. Internal
stages are left to fakesnow.
"""

import re
from datetime import datetime

import fakesnow.transforms.stage as fs_stage
from fakesnow.cursor import FakeSnowflakeCursor
from fsspec import AbstractFileSystem

from dwsim_snowflake.pattern import list_prefix, matching
from dwsim_snowflake.sql_text import without_comments

_LIST = re.compile(
    r"^\s*(?:LIST|LS)\s+@(?P<stage>[^\s;/]+)(?P<path>/[^\s;]*)?"
    r"(?:\s+PATTERN\s*=\s*'(?P<pattern>(?:[^']|'')*)')?\s*;?\s*$",
    re.IGNORECASE,
)
COLUMNS = '"name", "size", "md5", "last_modified"'


def parse(command: str) -> tuple[str, str, str | None] | None:
    """(stage name, path, pattern) when ``command`` is a LIST of a named stage."""
    match = _LIST.match(without_comments(command))
    if not match or match["stage"].startswith(("~", "%")):
        return None
    pattern = match["pattern"].replace("''", "'") if match["pattern"] is not None else None
    return match["stage"], (match["path"] or "").lstrip("/"), pattern


def stage_url(cursor: FakeSnowflakeCursor, stage: str) -> str | None:
    """The stage's s3:// URL; None for an internal stage. Raises if there is no such stage."""
    conn = cursor._conn
    database, schema, name = fs_stage.parts_from_var(stage, conn.database, conn.schema)
    row = cursor._duck_conn.execute(
        "SELECT url FROM _fs_global._fs_information_schema._fs_stages "
        "WHERE database_name = ? AND schema_name = ? AND name = ?",
        [database, schema, name],
    ).fetchone()
    if row is None:
        raise fs_stage.not_found_error(f"{database}.{schema}.{name}")
    return row[0] if row[0] and row[0].startswith("s3://") else None


def listing_sql(fs: AbstractFileSystem, url: str, path: str, pattern: str | None) -> str:
    """A SELECT returning Snowflake's LIST rows for the objects under ``url``/``path``."""
    location = url.rstrip("/") + "/" + path if path else url
    urls = list_prefix(fs, location)
    if pattern is not None:
        urls = matching(re.compile(pattern), urls)
    rows = []
    for found in urls:
        info = fs.info(found)
        modified = info.get("LastModified")
        stamp = (
            modified.strftime("%a, %d %b %Y %H:%M:%S GMT") if isinstance(modified, datetime) else ""
        )
        etag = str(info.get("ETag", "")).strip('"')
        rows.append(
            f"({_literal(found)}, {int(info.get('size', 0))}, {_literal(etag)}, {_literal(stamp)})"
        )
    if not rows:
        return f"SELECT * FROM (VALUES ('', 0, '', '')) t({COLUMNS}) WHERE false"
    return f"SELECT * FROM (VALUES {', '.join(rows)}) t({COLUMNS})"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
