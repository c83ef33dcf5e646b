"""Python values (rule constants, categorical values, Faker pools) to Arrow arrays of a column."""

import json
from typing import Any

import pyarrow as pa

from dwsim_generator.engine.arrow_types import JSON_KINDS
from dwsim_generator.engine.columns.base import ColumnContext
from dwsim_shared.contracts.enums import TypeKind


def to_arrow(values: list[Any], ctx: ColumnContext, what: str) -> pa.Array:
    """``values`` as the column's Arrow type, or an error naming the value that does not fit."""
    target = ctx.arrow_type
    if ctx.kind in JSON_KINDS:
        texts = [None if v is None else _json_text(v, ctx, what) for v in values]
        return pa.array(texts, pa.string())
    if pa.types.is_string(target):
        texts = [v if isinstance(v, str) or v is None else _text(v) for v in values]
        for text in texts:
            if text is not None and ctx.max_chars is not None and ctx.length(text) > ctx.max_chars:
                raise ctx.error(
                    f"{what} value {text!r} is longer than the column's {ctx.max_chars} "
                    f"{'bytes' if ctx.limit_in_bytes else 'characters'} ({ctx.column.type.raw})"
                )
        return pa.array(texts, pa.string())
    if pa.types.is_binary(target):
        return pa.array([v if isinstance(v, bytes) else str(v).encode() for v in values], target)
    if ctx.kind == TypeKind.BOOLEAN and all(isinstance(v, bool) for v in values):
        return pa.array(values, target)
    try:
        return _cast(values, target)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError):
        pass
    for value in values:
        try:
            _cast([value], target)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError):
            raise ctx.error(
                f"{what} value {value!r} cannot be stored in a {ctx.column.type.raw} column"
            ) from None
    raise ctx.error(f"{what} values cannot be stored in a {ctx.column.type.raw} column")


def _cast(values: list[Any], target: pa.DataType) -> pa.Array:
    if all(isinstance(v, str) for v in values) or pa.types.is_decimal(target):
        return pa.array([None if v is None else str(v) for v in values]).cast(target)
    return pa.array(values).cast(target)


def _text(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, default=str)
    return str(value)


def _json_text(value: Any, ctx: ColumnContext, what: str) -> str:
    if ctx.kind == TypeKind.OBJECT and not isinstance(value, dict):
        raise ctx.error(f"{what} value {value!r} is not a JSON object (column is OBJECT)")
    if ctx.kind == TypeKind.ARRAY and not isinstance(value, list | tuple):
        raise ctx.error(f"{what} value {value!r} is not a JSON array (column is ARRAY)")
    return json.dumps(value, default=str, separators=(",", ":"))
