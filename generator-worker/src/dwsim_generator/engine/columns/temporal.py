"""Dates, times and timestamps: uniform in a range, as integer days or microseconds."""

from datetime import UTC, date, datetime, time

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.columns.base import ColumnContext, Maker
from dwsim_shared.contracts.enums import TypeKind

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DEFAULT_START, DEFAULT_END = "2020-01-01", "2025-12-31"
US_PER_DAY = 86_400_000_000


def _as_units(value: object, ctx: ColumnContext, what: str) -> int:
    """A rule bound as days (DATE) or microseconds (TIME, TIMESTAMP) since the epoch/midnight."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    try:
        if ctx.kind == TypeKind.DATE:
            return (date.fromisoformat(text[:10]) - date(1970, 1, 1)).days
        if ctx.kind == TypeKind.TIME:
            t = time.fromisoformat(text)
            return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ctx.error(f"{what} {value!r} is not an ISO {ctx.kind.value} value") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class TemporalRange(Maker):
    """Uniform days or microseconds in [low, high], viewed as date32/time64/timestamp."""

    spread_numbers = True

    def __init__(self, ctx: ColumnContext):
        rule = ctx.rule
        if ctx.kind == TypeKind.TIME:
            default_low, default_high = 0, US_PER_DAY - 1
        else:
            default_low = _as_units(DEFAULT_START, ctx, "min")
            default_high = _as_units(DEFAULT_END, ctx, "max")
            if ctx.kind != TypeKind.DATE:
                default_high += US_PER_DAY - 1
        self.low = default_low if rule.min is None else _as_units(rule.min, ctx, "min")
        self.high = default_high if rule.max is None else _as_units(rule.max, ctx, "max")
        if rule.min is None and self.high < self.low:
            self.low = self.high
        if rule.max is None and self.high < self.low:
            self.high = self.low
        if self.low > self.high:
            raise ctx.error(f"min {rule.min} is after max {rule.max}")
        self.arrow_type = ctx.arrow_type
        self.kind = ctx.kind
        # TIMESTAMP(p)/TIME(p) keep p fractional digits: values are whole ticks of 10^(6-p) us.
        digits = ctx.column.type.precision if ctx.kind != TypeKind.DATE else None
        self.tick = 10 ** (6 - digits) if digits is not None and digits < 6 else 1
        self.first, self.last = -(-self.low // self.tick), self.high // self.tick
        if self.first > self.last:
            raise ctx.error(
                f"no {ctx.column.type.raw} value lies between {rule.min} and {rule.max}"
            )

    def _arrow(self, ticks: np.ndarray) -> pa.Array:
        if self.kind == TypeKind.DATE:
            return pa.array(ticks.astype(np.int32)).view(self.arrow_type)
        return pa.array(ticks.astype(np.int64) * self.tick).view(self.arrow_type)

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        return self._arrow(rng.integers(self.first, self.last, size=n, endpoint=True))

    def capacity(self) -> int:
        return self.last - self.first + 1

    def from_index(self, index: np.ndarray) -> pa.Array:
        return self._arrow(self.first + index.astype(np.int64))
