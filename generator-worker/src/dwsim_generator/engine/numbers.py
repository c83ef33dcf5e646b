"""Column values as numpy numbers for derived columns: decimals as exact scaled integers.

A DECIMAL(12,2) is its int64 unscaled value with scale 2, so sums and products are exact to
the cent; floats stay float64. Dates are days and timestamps microseconds since the epoch.
"""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_generator.engine.arrays import decimal_array, with_nulls
from dwsim_generator.engine.arrow_types import FLOAT_KINDS, INTEGER_BOUNDS, INTEGER_KINDS
from dwsim_generator.engine.columns.base import ColumnContext
from dwsim_shared.contracts.enums import TypeKind

US_PER_DAY = 86_400_000_000
_SAFE = 2.0**62  # products beyond this leave int64: computed in float64 instead


@dataclass
class Num:
    """Numbers: int64 scaled by 10**scale (exact), or float64 when ``scale`` is None."""

    values: np.ndarray
    scale: int | None
    mask: np.ndarray | None = None  # True where NULL


def plain(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array, dictionary-decoded."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    return array


def null_mask(array: pa.Array) -> np.ndarray | None:
    if array.null_count == 0:
        return None
    return array.is_null().to_numpy(zero_copy_only=False)


def _buffer(array: pa.Array, dtype: np.dtype, width: int = 1) -> np.ndarray:
    """The data buffer of a fixed-width array, as ``dtype`` (``width`` words per value)."""
    count = (array.offset + len(array)) * width
    data = np.frombuffer(array.buffers()[1], dtype=dtype, count=count)
    return data[array.offset * width :: width] if width > 1 else data[array.offset :]


def to_num(array: pa.Array | pa.ChunkedArray) -> Num:
    array = plain(array)
    kind, mask = array.type, null_mask(array)
    if pa.types.is_decimal(kind):
        # the low word of a decimal128 is its int64 value (the engine makes them from int64)
        return Num(_buffer(array, np.dtype(np.int64), 2).copy(), kind.scale, mask)
    if pa.types.is_integer(kind):
        return Num(_buffer(array, np.dtype(kind.to_pandas_dtype())).astype(np.int64), 0, mask)
    if pa.types.is_floating(kind):
        return Num(_buffer(array, np.dtype(kind.to_pandas_dtype())).astype(np.float64), None, mask)
    if pa.types.is_boolean(kind):
        return Num(array.fill_null(False).to_numpy(zero_copy_only=False).astype(np.int64), 0, mask)
    raise TypeError(f"{kind} values are not numbers")


def temporal_units(array: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, str, np.ndarray | None]:
    """(int64 values, 'day' or 'us', null mask) of a date or timestamp array."""
    array = plain(array)
    mask = null_mask(array)
    if pa.types.is_date32(array.type):
        return _buffer(array, np.dtype(np.int32)).astype(np.int64), "day", mask
    if pa.types.is_timestamp(array.type):
        factor = {"s": 1_000_000, "ms": 1000, "us": 1, "ns": 0}[array.type.unit]
        values = _buffer(array, np.dtype(np.int64))
        return (values // 1000 if factor == 0 else values * factor), "us", mask
    raise TypeError(f"{array.type} values are not dates or timestamps")


def convert_units(values: np.ndarray, unit: str, target: str) -> np.ndarray:
    """Days <-> microseconds; a timestamp becomes its day (a date follows a timestamp when it
    is the same day or later: a shipment of 10:00 can be delivered that day)."""
    if unit == target:
        return values
    if target == "us":
        return values * US_PER_DAY
    return values // US_PER_DAY


def align(a: Num, b: Num) -> tuple[Num, Num]:
    """Both at the same scale (or both float)."""
    if a.scale is None or b.scale is None:
        return as_float(a), as_float(b)
    if a.scale == b.scale:
        return a, b
    top = max(a.scale, b.scale)
    return rescale(a, top), rescale(b, top)


def as_float(num: Num) -> Num:
    if num.scale is None:
        return num
    return Num(num.values / 10.0**num.scale, None, num.mask)


def rescale(num: Num, scale: int) -> Num:
    """``num`` at ``scale`` (more digits: exact; fewer: rounded half away from zero)."""
    if num.scale is None:
        return Num(np.rint(num.values * 10.0**scale).astype(np.int64), scale, num.mask)
    if scale >= num.scale:
        factor = 10 ** (scale - num.scale)
        if factor > 1 and len(num.values) and np.abs(num.values).max() * float(factor) > _SAFE:
            return as_float(num)
        return Num(num.values * factor, scale, num.mask)
    return Num(round_down(num.values, num.scale - scale), scale, num.mask)


def round_down(values: np.ndarray, digits: int) -> np.ndarray:
    """Integers divided by 10**digits, rounded half away from zero."""
    divisor = 10**digits
    quotient, rest = np.divmod(np.abs(values), divisor)
    quotient += 2 * rest >= divisor
    return np.where(values < 0, -quotient, quotient)


def masks(*nums: Num) -> np.ndarray | None:
    found = [n.mask for n in nums if n.mask is not None]
    if not found:
        return None
    out = found[0].copy()
    for mask in found[1:]:
        out |= mask
    return out


def multiply(a: Num, b: Num) -> Num:
    mask = masks(a, b)
    if a.scale is not None and b.scale is not None and len(a.values):
        biggest = float(np.abs(a.values).max()) * float(np.abs(b.values).max())
        if biggest < _SAFE:
            return Num(a.values * b.values, a.scale + b.scale, mask)
    a, b = as_float(a), as_float(b)
    return Num(a.values * b.values, None, mask)


def conform(num: Num, ctx: ColumnContext) -> Num:
    """Numbers as the numeric column will hold them (its scale, its rounding, its range);
    refuses, naming the column, values the type cannot hold."""
    kind = ctx.kind
    values = num.values if num.mask is None else np.where(num.mask, 0, num.values)
    if kind in FLOAT_KINDS:
        floats = as_float(Num(values, num.scale)).values
        if kind == TypeKind.REAL:
            floats = floats.astype(np.float32).astype(np.float64)
        return Num(floats, None, num.mask)
    scale = (ctx.column.type.scale or 0) if kind == TypeKind.DECIMAL else 0
    unscaled = rescale(Num(values, num.scale), scale)
    if unscaled.scale is None:  # too large for exact digits
        raise ctx.error(f"derived values reach {np.abs(values).max():.6g}, beyond "
                        f"{ctx.column.type.raw}")  # fmt: skip
    if kind == TypeKind.DECIMAL:
        top = 10 ** min(ctx.column.type.precision or 18, 18)
        _check(ctx, unscaled.values, -top + 1, top - 1, scale)
    else:
        _check(ctx, unscaled.values, *INTEGER_BOUNDS[kind], 0)
    return Num(unscaled.values, scale, num.mask)


def to_arrow(num: Num, ctx: ColumnContext) -> pa.Array:
    """Numbers (``conform``-ed to a numeric column first) as the column's Arrow type."""
    kind = ctx.kind
    if kind in FLOAT_KINDS or kind in INTEGER_KINDS or kind == TypeKind.DECIMAL:
        num = conform(num, ctx)
        if kind == TypeKind.DECIMAL:
            out = decimal_array(num.values, ctx.column.type.precision or 18, num.scale or 0)
        elif kind in FLOAT_KINDS:
            out = pa.array(num.values.astype(np.float32 if kind == TypeKind.REAL else np.float64))
        else:
            out = pa.array(num.values.astype(ctx.arrow_type.to_pandas_dtype()))
    else:
        return as_text(num)
    return with_nulls(out, num.mask)


def as_text(num: Num) -> pa.Array:
    """Numbers as text: decimals with their scale's digits (12.50), NULL where masked."""
    if num.scale:
        out = pc.cast(decimal_array(num.values, 38, num.scale), pa.string())
    else:
        out = pc.cast(pa.array(num.values), pa.string())
    if num.mask is not None and num.mask.any():
        out = pc.if_else(pa.array(num.mask), pa.nulls(len(out), pa.string()), out)
    return out


def _check(ctx: ColumnContext, ints: np.ndarray, low: int, high: int, scale: int) -> None:
    if not len(ints):
        return
    least, most = int(ints.min()), int(ints.max())
    if least < low or most > high:
        worst = most if most > high else least
        raise ctx.error(
            f"a derived value ({worst / 10**scale:,.{scale}f}) does not fit "
            f"{ctx.column.type.raw}; widen the column or narrow the values it is computed from"
        )
