"""Snowflake-style errors built from DuckDB's, shared by the fix modules."""

import re

from snowflake.connector.errors import ProgrammingError

_RAISED = re.compile(r"^[A-Za-z_.]*(Error|Exception)\b.*: ")
CANCELLED_ERRNO = 604  # Snowflake's "SQL execution canceled"


def short_message(text: str) -> str:
    """DuckDB's first paragraph (what and where), without its tuning advice or SQL echo; for an
    error raised in Python under DuckDB (s3fs), the exception line without the traceback."""
    if "Traceback (most recent call last)" in text:
        raised = [line for line in text.splitlines() if _RAISED.match(line)]
        return raised[-1] if raised else text.strip()
    lines = []
    for line in text.strip().splitlines():
        if not line.strip() or line.startswith("LINE "):
            break
        lines.append(line)
    return "\n".join(lines) or text.strip()


def cancelled() -> ProgrammingError:
    return ProgrammingError(msg="SQL execution canceled", errno=CANCELLED_ERRNO, sqlstate="57014")
