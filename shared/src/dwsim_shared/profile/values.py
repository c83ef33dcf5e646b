"""Values as ``pg_stats`` prints them, turned into what a rule holds for the column's type."""

import math
import re
from datetime import date, datetime, time
from typing import Any

from dwsim_shared.contracts.enums import TypeKind

INTEGERS = {TypeKind.SMALLINT, TypeKind.INTEGER, TypeKind.BIGINT}
NUMBERS = INTEGERS | {TypeKind.DECIMAL, TypeKind.REAL, TypeKind.DOUBLE}
TEMPORAL = {TypeKind.DATE, TypeKind.TIME, TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ}
TEXT = {TypeKind.CHAR, TypeKind.VARCHAR, TypeKind.TEXT}
_SHORT_OFFSET = re.compile(r"([+-]\d\d)$")


def convert(text: object, kind: TypeKind) -> Any:
    """``text`` as a rule value for a column of ``kind``; None when a rule cannot hold it
    (infinity, NaN, BC dates, types profiles do not shape)."""
    if not isinstance(text, str):
        return None
    try:
        if kind in INTEGERS:
            return int(text)
        if kind in NUMBERS:
            value = float(text)
            return value if math.isfinite(value) else None
        if kind == TypeKind.DATE:
            return date.fromisoformat(text).isoformat()
        if kind in (TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ):
            return datetime.fromisoformat(_SHORT_OFFSET.sub(r"\1:00", text)).isoformat()
        if kind == TypeKind.TIME:
            return time.fromisoformat(text).isoformat()
        if kind == TypeKind.BOOLEAN:
            return {"t": True, "f": False, "true": True, "false": False}.get(text.lower())
        if kind in TEXT:
            return text
    except ValueError:
        return None
    return None
