"""Turning driver values into JSON-safe ones, the same way for every warehouse."""

import datetime as dt
import math
import uuid
from decimal import Decimal
from typing import Any

Scalar = str | int | float | bool | None


def json_safe(value: Any) -> Any:
    """A value the HTTP API can put in JSON unchanged.

    Decimals become strings (exact), dates/times ISO 8601 strings, bytes lowercase hex,
    UUIDs strings, intervals ISO-ish strings, NaN and infinities the strings ``NaN``,
    ``Infinity``, ``-Infinity``; lists and dicts are converted item by item.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else json_safe(float(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(v) for v in value]
    return str(value)


def json_safe_row(row: tuple | list) -> list[Any]:
    return [json_safe(v) for v in row]
