"""Per-column profiles with pyarrow.compute: NULLs, distinct values, range, top values and
a histogram for numbers and dates."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_shared.contracts.api import ValueCount
from dwsim_shared.contracts.inspection import Histogram, StagedColumnProfile, StagedTableProfile
from dwsim_shared.contracts.schema import Column

TEXT_LIMIT = 60  # values longer than this are shortened in the report


def jsonable(value: object) -> object:
    """A value as JSON can carry it: numbers, text, ISO dates."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        value = value.hex()
    text = str(value)
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _numeric(array: pa.ChunkedArray) -> np.ndarray | None:
    """Non-NULL values as float64 (temporal ones as their integer ticks), or None."""
    kind = array.type
    if pa.types.is_boolean(kind) or not (
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_decimal(kind)
        or pa.types.is_temporal(kind)
    ):
        return None
    values = pc.drop_null(array)
    if pa.types.is_decimal(kind):
        values = pc.cast(values, pa.float64())
    elif pa.types.is_temporal(kind):
        width = pa.int32() if kind.bit_width == 32 else pa.int64()
        values = values.cast(width)
    out = np.asarray(values.to_numpy(), dtype=np.float64)
    return out[np.isfinite(out)]


def _histogram(array: pa.ChunkedArray, low: object, high: object, bins: int) -> Histogram | None:
    values = _numeric(array)
    if values is None or len(values) == 0:
        return None
    counts, _ = np.histogram(values, bins=bins)
    return Histogram(low=low, high=high, counts=[int(c) for c in counts])


def _top(array: pa.ChunkedArray, top: int) -> list[ValueCount]:
    counts = pc.value_counts(pc.drop_null(array))
    if len(counts) == 0:
        return []
    order = pc.sort_indices(counts.field("counts"), sort_keys=[("", "descending")])
    picked = counts.take(order[:top])
    values, tallies = picked.field("values").to_pylist(), picked.field("counts").to_pylist()
    if tallies[0] <= 1:
        return []  # every value distinct: nothing is common
    return [ValueCount(value=jsonable(v), count=c) for v, c in zip(values, tallies, strict=True)]


def profile_column(
    column: Column, array: pa.ChunkedArray, top: int, bins: int
) -> StagedColumnProfile:
    rows, nulls = len(array), array.null_count
    distinct = pc.count_distinct(array, mode="only_valid").as_py() if rows else 0
    low = high = None
    kind = array.type
    if rows > nulls and not (pa.types.is_struct(kind) or pa.types.is_list(kind)):
        bounds = pc.min_max(array)
        low, high = jsonable(bounds["min"].as_py()), jsonable(bounds["max"].as_py())
    return StagedColumnProfile(
        name=column.name,
        type=column.type.raw,
        rows=rows,
        nulls=nulls,
        distinct=distinct,
        min=low,
        max=high,
        top=_top(array, top) if rows > nulls else [],
        histogram=_histogram(array, low, high, bins) if rows > nulls else None,
    )


def profile_table(run, name: str, top: int = 5, bins: int = 10) -> StagedTableProfile:  # type: ignore[no-untyped-def]
    table = run.table(name)
    columns = [profile_column(c, run.column(name, c.name), top, bins) for c in table.columns]
    rows = columns[0].rows if columns else 0
    return StagedTableProfile(name=table.name, rows=rows, columns=columns)
