"""Numbers: integer, decimal and float ranges, sequences and distributions."""

import math
from decimal import Decimal, InvalidOperation

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.arrays import decimal_array
from dwsim_generator.engine.arrow_types import FLOAT_KINDS, INTEGER_BOUNDS, INTEGER_KINDS
from dwsim_generator.engine.columns.base import ColumnContext, Maker
from dwsim_generator.engine.columns.distributions import draw, problem
from dwsim_shared.contracts.enums import TypeKind

INT64_MAX = 2**63 - 1
_NUMPY = {TypeKind.SMALLINT: np.int16, TypeKind.INTEGER: np.int32, TypeKind.BIGINT: np.int64}
DEFAULT_INT_RANGE = {TypeKind.SMALLINT: (0, 10_000)}


def number(value: object, ctx: ColumnContext, what: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ctx.error(f"{what} {value!r} is not a number") from None


def bounds(ctx: ColumnContext) -> tuple[Decimal, Decimal]:
    """The inclusive range of the column's type, in unscaled units for DECIMAL."""
    if ctx.kind in INTEGER_KINDS:
        lo, hi = INTEGER_BOUNDS[ctx.kind]
        return Decimal(lo), Decimal(hi)
    if ctx.kind == TypeKind.DECIMAL:
        precision, scale = ctx.column.type.precision or 18, ctx.column.type.scale or 0
        top = min(Decimal(10) ** precision - 1, Decimal(INT64_MAX))
        return -top / Decimal(10) ** scale, top / Decimal(10) ** scale
    return Decimal("-1e300"), Decimal("1e300")


def check_range(ctx: ColumnContext, low: Decimal, high: Decimal) -> None:
    if low > high:
        raise ctx.error(f"min {low} is above max {high}")
    type_low, type_high = bounds(ctx)
    if low < type_low or high > type_high:
        raise ctx.error(
            f"range [{low}, {high}] does not fit {ctx.column.type.raw} "
            f"(values must lie in [{type_low}, {type_high}])"
        )


def to_numbers(values: np.ndarray, ctx: ColumnContext) -> pa.Array:
    """Float or integer draws as the column's numeric Arrow type (rounded as the type needs)."""
    if ctx.kind in INTEGER_KINDS:
        if not np.issubdtype(values.dtype, np.integer):
            values = np.rint(values)
        return pa.array(values.astype(_NUMPY[ctx.kind]))
    if ctx.kind == TypeKind.DECIMAL:
        scale = ctx.column.type.scale or 0
        unscaled = np.rint(np.asarray(values, dtype=np.float64) * 10.0**scale).astype(np.int64)
        return decimal_array(unscaled, ctx.column.type.precision or 18, scale)
    if ctx.kind == TypeKind.REAL:
        return pa.array(np.asarray(values, dtype=np.float32))
    return pa.array(np.asarray(values, dtype=np.float64))


class IntegerRange(Maker):
    """Integers (or DECIMAL unscaled integers) uniform in [low, high]."""

    spread_numbers = True

    def __init__(self, ctx: ColumnContext, low: Decimal, high: Decimal):
        check_range(ctx, low, high)
        self.ctx = ctx
        self.arrow_type = ctx.arrow_type
        self.scale = (ctx.column.type.scale or 0) if ctx.kind == TypeKind.DECIMAL else 0
        factor = Decimal(10) ** self.scale
        self.low = math.ceil(low * factor)
        self.high = math.floor(high * factor)
        if self.low > self.high:
            raise ctx.error(f"no {ctx.column.type.raw} value lies in [{low}, {high}]")

    def _arrow(self, unscaled: np.ndarray) -> pa.Array:
        if self.ctx.kind == TypeKind.DECIMAL:
            return decimal_array(unscaled, self.ctx.column.type.precision or 18, self.scale)
        if self.ctx.kind in INTEGER_KINDS:
            return pa.array(unscaled.astype(_NUMPY[self.ctx.kind]))
        return to_numbers(unscaled, self.ctx)

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        return self._arrow(rng.integers(self.low, self.high, size=n, endpoint=True))

    def capacity(self) -> int:
        return self.high - self.low + 1

    def from_index(self, index: np.ndarray) -> pa.Array:
        return self._arrow(self.low + index.astype(np.int64))


class FloatRange(Maker):
    """REAL/DOUBLE uniform in [low, high]; distinct values by stratifying the range."""

    spread_numbers = True

    STEPS = 2**40

    def __init__(self, ctx: ColumnContext, low: Decimal, high: Decimal):
        check_range(ctx, low, high)
        self.ctx, self.low, self.high = ctx, float(low), float(high)
        self.arrow_type = ctx.arrow_type

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        return to_numbers(rng.uniform(self.low, self.high, n), self.ctx)

    def capacity(self) -> int:
        if self.high <= self.low:
            return 1
        return self.STEPS if self.ctx.kind == TypeKind.DOUBLE else 2**20

    def from_index(self, index: np.ndarray) -> pa.Array:
        step = (self.high - self.low) / self.capacity()
        return to_numbers(self.low + index.astype(np.float64) * step, self.ctx)


class Sequence(Maker):
    """start, start + step, ...: the row index itself, so never shuffled."""

    sequential = True

    def __init__(self, ctx: ColumnContext, start: int, step: int):
        if step == 0:
            raise ctx.error("sequence step must not be 0")
        self.ctx, self.start, self.step = ctx, start, step
        self.arrow_type = ctx.arrow_type
        low, high = bounds(ctx)
        last = start + step * (max(ctx.rows, 1) - 1)
        if not (low <= start <= high and low <= last <= high):
            raise ctx.error(
                f"sequence from {start} by {step} reaches {last} over {ctx.rows} rows, "
                f"beyond {ctx.column.type.raw}"
            )
        widest = max(len(str(start)), len(str(last)))
        if ctx.max_chars is not None and widest > ctx.max_chars:
            raise ctx.error(f"sequence values reach {widest} characters; the column is "
                            f"{ctx.column.type.raw}")  # fmt: skip

    def capacity(self) -> int:
        return max(self.ctx.rows, 1)

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        raise NotImplementedError("sequences are made from the row index")

    def from_index(self, index: np.ndarray) -> pa.Array:
        values = self.start + index.astype(np.int64) * self.step
        if pa.types.is_string(self.arrow_type):
            return pa.array(values).cast(pa.string())
        if self.ctx.kind == TypeKind.DECIMAL:
            scale = self.ctx.column.type.scale or 0
            return decimal_array(values * 10**scale, self.ctx.column.type.precision or 18, scale)
        return to_numbers(values, self.ctx)


class DistributionMaker(Maker):
    """Draws from a named distribution, clipped to [min, max] when given."""

    spread_numbers = True

    def __init__(self, ctx: ColumnContext):
        rule = ctx.rule
        assert rule.distribution is not None
        issue = problem(rule.distribution, rule.params)
        if issue:
            raise ctx.error(issue)
        low, high = number(rule.min, ctx, "min"), number(rule.max, ctx, "max")
        if low is not None and high is not None:
            check_range(ctx, low, high)
        type_low, type_high = bounds(ctx)
        self.low = float(low) if low is not None else float(type_low)
        self.high = float(high) if high is not None else float(type_high)
        self.given = (None if low is None else self.low, None if high is None else self.high)
        self.ctx = ctx
        self.arrow_type = ctx.arrow_type

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        rule = self.ctx.rule
        assert rule.distribution is not None
        values = draw(rng, rule.distribution, rule.params, n, *self.given)
        return to_numbers(np.clip(values, self.low, self.high), self.ctx)


def numeric_range(ctx: ColumnContext) -> Maker:
    """A range rule (or the type's default range) on a numeric column."""
    low, high = number(ctx.rule.min, ctx, "min"), number(ctx.rule.max, ctx, "max")
    default_low, default_high = DEFAULT_INT_RANGE.get(ctx.kind, (1, 1_000_000))
    if ctx.kind == TypeKind.DECIMAL:
        precision, scale = ctx.column.type.precision or 18, ctx.column.type.scale or 0
        default_high = min(default_high, 10 ** (precision - scale) - 1)
        default_low = min(default_low, default_high)
    if ctx.kind in FLOAT_KINDS:
        default_low, default_high = 0, 1000
    if low is None:
        low = Decimal(default_low) if high is None else min(Decimal(default_low), high)
    if high is None:
        high = max(Decimal(default_high), low)
    if ctx.kind in FLOAT_KINDS:
        return FloatRange(ctx, low, high)
    return IntegerRange(ctx, low, high)
