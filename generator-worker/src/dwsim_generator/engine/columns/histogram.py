"""Histogram rules on numbers, dates, timestamps and times: a database's statistics as a rule.

The rule's most common values are point masses with their shares; the rest is spread over
``bounds``, buckets of equal share (PostgreSQL's ``histogram_bounds``). Points and buckets are
laid out in value order as one inverse CDF, so one uniform draw per row picks a value, and
``params.correlation`` can make a share of the rows follow the row order (``pg_stats``'
correlation) while every row keeps the same distribution.
"""

from decimal import Decimal

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.arrow_types import FLOAT_KINDS, TEMPORAL_KINDS
from dwsim_generator.engine.columns.base import ColumnContext, Maker
from dwsim_generator.engine.columns.numeric import check_range, number, to_numbers
from dwsim_generator.engine.columns.temporal import _as_units
from dwsim_generator.engine.streams import BLOCK_ROWS
from dwsim_shared.contracts.enums import TypeKind

MIN_GRID_SAMPLES = 8  # fewer values than this share a spacing by chance too often
MAX_POOL = 1 << 22  # most candidate points for the rest's distinct values
POOL_GROWTH = 16  # candidates tried per distinct value wanted, at most


class NumericHistogram(Maker):
    """Most common values plus equal-share buckets, as one inverse CDF over value order."""

    def __init__(self, ctx: ColumnContext):
        rule = ctx.rule
        self.ctx, self.kind, self.rows = ctx, ctx.kind, max(ctx.rows, 1)
        self.arrow_type = ctx.arrow_type
        self.temporal = ctx.kind in TEMPORAL_KINDS
        points = [self._units(v, "histogram value") for v in rule.values or []]
        bounds = [self._units(v, "histogram bound") for v in rule.bounds or []]
        if any(b > a for a, b in zip(bounds[1:], bounds, strict=False)):
            raise ctx.error("histogram bounds must be in ascending order")
        if not self.temporal and (points or bounds):
            low, high = min(points + bounds), max(points + bounds)
            check_range(ctx, Decimal(repr(low)), Decimal(repr(high)))
        self.step = self._grid(self._step(), points + bounds)
        weights = list(rule.weights or [1.0] * len(points))
        rest = max(0.0, 1.0 - sum(weights)) if bounds else 0.0
        if len(bounds) == 1:
            bounds = bounds * 2
        self.bounds = np.asarray(bounds, dtype=np.float64)
        buckets = max(len(bounds) - 1, 0)
        self.buckets = buckets
        self.distinct = rule.distinct or self._support(len(points))
        # items in value order: points (index >= 0 into points) and buckets (-1 - bucket)
        items = [(p, i) for i, p in enumerate(points)] + [(bounds[b], -1 - b)
                                                          for b in range(buckets)]  # fmt: skip
        items.sort(key=lambda item: item[0])
        masses = np.array(
            [weights[i] if i >= 0 else rest / buckets for _, i in items], dtype=np.float64
        )
        if masses.sum() <= 0:
            raise ctx.error("histogram rule gives no value any weight")
        self.ends = np.cumsum(masses) / masses.sum()
        self.ends[-1] = 1.0
        self.masses = masses / masses.sum()
        self.item = np.array([i for _, i in items], dtype=np.int64)
        self.points = np.asarray([*points, 0.0], dtype=np.float64)
        self.pool = self._pool(set(points)) if self.distinct and buckets else None
        correlation = rule.params.get("correlation", 0.0)
        self.ordered, self.descending = abs(correlation), correlation < 0

    def _units(self, value: object, what: str) -> float:
        if self.temporal:
            return float(_as_units(value, self.ctx, what))
        found = number(value, self.ctx, what)
        assert found is not None
        return float(found)

    def _step(self) -> float:
        """The spacing of the column's values (0: continuous)."""
        if self.kind in FLOAT_KINDS:
            return 0.0
        if self.kind == TypeKind.DECIMAL:
            return 10.0 ** -(self.ctx.column.type.scale or 0)
        precision = self.ctx.column.type.precision
        if self.kind in (TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ, TypeKind.TIME):
            return float(10 ** (6 - precision)) if precision is not None and precision < 6 else 1.0
        return 1.0  # integers, and dates as days

    def _grid(self, step: float, samples: list[float]) -> float:
        """The spacing the rule's own values share (whole hours, multiples of 5...) when there
        are enough of them to tell, else the type's."""
        if step == 0 or len(samples) < MIN_GRID_SAMPLES:
            return step
        units = np.rint(np.asarray(samples) / step).astype(np.int64)
        common = int(np.gcd.reduce(units - units.min()))
        return step * common if common > 1 else step

    def _support(self, common: int) -> int | None:
        """Without ``distinct``: every value on the grid within the buckets, when they are few
        enough to list (so the rest never repeats a most common value), else None."""
        if not common or self.step == 0 or self.buckets == 0:
            return None
        widths = np.diff(self.bounds) / self.step + 1
        support = int(widths.sum())
        return max(support - common, 1) if support * POOL_GROWTH <= MAX_POOL else None

    def _pool(self, common: set[float]) -> np.ndarray:
        """``distinct`` values for the rest, in quantile order: evenly spaced quantiles of the
        buckets, more of them where the type's spacing merges neighbours (so the pool still
        holds about ``distinct`` different values), none equal to a most common value (such a
        point takes its neighbour's value, so every bucket keeps its share)."""
        assert self.distinct is not None
        target, count = self.distinct, self.distinct
        while True:
            values = self._at_share((np.arange(count) + 0.5) / count)
            if common and self.step:
                values = _skip(values, np.isin(values, list(common)))
            found = len(np.unique(values))
            if found >= target or count >= min(MAX_POOL, POOL_GROWTH * target) or not len(values):
                return values if len(values) else self._at_share(np.array([0.5]))
            count = min(int(count * min(max(target / max(found, 1), 1.25), 4.0)) + 1, MAX_POOL)

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        return self.sample_block(rng, 0, n)

    def sample_block(self, rng: np.random.Generator, block: int, n: int) -> pa.Array:
        q = rng.random(n)
        if self.ordered > 0:
            rows = block * BLOCK_ROWS + np.arange(n, dtype=np.float64)
            in_order = (rows + 0.5) / self.rows
            if self.descending:
                in_order = 1.0 - in_order
            q = np.where(rng.random(n) < self.ordered, in_order, q)
        return self._arrow(self.quantile(q))

    def quantile(self, q: np.ndarray) -> np.ndarray:
        """The value at each cumulative share ``q`` in [0, 1)."""
        at = np.minimum(np.searchsorted(self.ends, q, side="right"), len(self.ends) - 1)
        item = self.item[at]
        values = self.points[np.maximum(item, 0)]
        bucketed = np.flatnonzero(item < 0)
        if len(bucketed):
            start = self.ends[at[bucketed]] - self.masses[at[bucketed]]
            local = np.clip((q[bucketed] - start) / self.masses[at[bucketed]], 0.0, 1.0)
            values[bucketed] = self._in_buckets(-1 - item[bucketed], local)
        return values

    def _in_buckets(self, bucket: np.ndarray, local: np.ndarray) -> np.ndarray:
        share = (bucket + local) / self.buckets  # where in the rest, in [0, 1]
        if self.pool is not None:
            at = np.minimum((share * len(self.pool)).astype(np.int64), len(self.pool) - 1)
            return self.pool[at]
        return self._at_share(share)

    def _at_share(self, share: np.ndarray) -> np.ndarray:
        """The rest's value at ``share`` of it: uniform within the bucket, on the grid."""
        position = share * self.buckets
        bucket = np.clip(np.floor(position).astype(np.int64), 0, self.buckets - 1)
        local = position - bucket
        low, high = self.bounds[bucket], self.bounds[bucket + 1]
        if self.step == 0:
            return low + local * (high - low)
        values = low + np.floor(local * ((high - low) / self.step + 1)) * self.step
        return np.minimum(values, high)

    def _arrow(self, values: np.ndarray) -> pa.Array:
        if not self.temporal:
            return to_numbers(values, self.ctx)
        ticks = np.rint(values).astype(np.int64)
        if self.kind == TypeKind.DATE:
            return pa.array(ticks.astype(np.int32)).view(self.arrow_type)
        return pa.array(ticks).view(self.arrow_type)


def _skip(values: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """``values`` with each ``taken`` one replaced by the nearest earlier one not taken (the
    first ones by the first not taken); all of them when every one is taken."""
    if taken.all() or not taken.any():
        return values
    index = np.where(taken, 0, np.arange(len(values)))
    first = int(np.argmax(~taken))
    index[:first] = first
    return values[np.maximum.accumulate(index)]
