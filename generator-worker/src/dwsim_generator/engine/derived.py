"""Producers of columns derived from other columns, each still a pure function of its rows.

- ``Lookup``: the parent's column at the parent row the foreign key drew (``values_at``).
- ``Aggregate``: the child rows of a range of parents are one contiguous range (children are
  laid out parent by parent), so the child's columns are computed over it and reduced per
  parent (``np.add.reduceat`` and friends).
- ``Expression``: other columns of the same rows.
- ``After``: a date/timestamp of the row or of its parent row, plus a non-negative offset.

None reads another chunk's output: determinism over chunkings and workers is unchanged.
"""

from datetime import date, datetime, time
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.arrays import with_nulls
from dwsim_generator.engine.columns.base import ColumnContext
from dwsim_generator.engine.columns.distributions import draw, problem
from dwsim_generator.engine.columns.temporal import _as_units
from dwsim_generator.engine.emails import Emails
from dwsim_generator.engine.evaluate import Evaluator, text
from dwsim_generator.engine.numbers import (
    US_PER_DAY,
    Num,
    conform,
    convert_units,
    plain,
    temporal_units,
    to_arrow,
    to_num,
)
from dwsim_generator.engine.producers import Arrays, NullColumns, Producer
from dwsim_generator.engine.producers import ForeignKey as ForeignKeyProducer
from dwsim_generator.engine.rows import Rows
from dwsim_shared.contracts.derived import Derivation, family_of
from dwsim_shared.contracts.enums import AggregateFunction, TypeKind
from dwsim_shared.contracts.expressions import NUMBER, TEMPORAL, TEXT, column_refs, uses_email

if TYPE_CHECKING:
    from dwsim_generator.engine.table_plan import TablePlan


class Derived(Producer):
    """What every derived column shares: its context, the plans it reads, its final form.

    A subclass computes ``compute(rows)``: numbers (``Num``) or an Arrow array. A numeric
    column is also offered as numbers (``numbers``), so a column derived from it (a line's
    total, an order's sum) reads it without an Arrow round trip.
    """

    def __init__(self, ctx: ColumnContext, plan: "TablePlan", derivation: Derivation):
        self.ctx, self.plan, self.derivation = ctx, plan, derivation
        self.columns = [ctx.column.name]
        self.null_ratio = ctx.rule.null_ratio
        self.nulls = ctx.stream("nulls")
        self.numeric = family_of(ctx.column) == NUMBER

    def link(self) -> None:
        """Resolve the producers this column reads (every table is built by now)."""

    def may_be_null(self) -> bool:
        return self.null_ratio > 0

    def chunk(self, start: int, end: int) -> Arrays:
        return self.produce(Rows(self.plan, start, end))

    def at(self, rows: np.ndarray) -> Arrays:
        return self.produce(Rows(self.plan, index=rows))

    def own_nulls(self, rows: Rows) -> np.ndarray | None:
        if self.null_ratio <= 0:
            return None
        ratio = self.null_ratio
        return rows.draws(self.ctx.rows, lambda b, size: self.nulls.rng(b).random(size) < ratio)

    def numbers(self, rows: Rows, name: str) -> Num:
        """The column's values as the column holds them, as numbers (numeric columns)."""
        value = self.compute(rows)
        num = conform(value if isinstance(value, Num) else to_num(value), self.ctx)
        own = self.own_nulls(rows)
        if own is not None:
            num = Num(num.values, num.scale, own if num.mask is None else num.mask | own)
        return num

    def produce(self, rows: Rows) -> Arrays:
        name = self.ctx.column.name
        if self.numeric:
            return {name: to_arrow(rows.number(name), self.ctx)}
        return {name: with_nulls(self.finish(self.compute(rows)), self.own_nulls(rows))}

    def compute(self, rows: Rows) -> Num | pa.Array:
        raise NotImplementedError

    def finish(self, value: Num | pa.Array) -> pa.Array:
        """A computed value as the column's (non-numeric) type: text cut to its length."""
        if isinstance(value, Num):
            return self.plan.fit_text(self.ctx.column, text(value))
        value = plain(value)
        if value.type == self.ctx.arrow_type:
            return value
        kind = family_of(self.ctx.column)
        if kind == TEMPORAL and (
            pa.types.is_date32(value.type) or pa.types.is_timestamp(value.type)
        ):
            units, unit, mask = temporal_units(value)
            return temporal_array(units, unit, mask, self.ctx)
        if kind == TEXT:
            return self.plan.fit_text(self.ctx.column, text(value))
        return value.cast(self.ctx.arrow_type)

    def parent_rows(self, rows: Rows) -> np.ndarray:
        assert self.derivation.link is not None
        return self.plan.parent_rows(rows, self.derivation.link.columns)


def temporal_array(units: np.ndarray, unit: str, mask, ctx: ColumnContext) -> pa.Array:  # type: ignore[no-untyped-def]
    """Days or microseconds as the column's date/timestamp type (up to its precision's tick)."""
    if ctx.kind == TypeKind.DATE:
        out = pa.array(convert_units(units, unit, "day").astype(np.int32)).view(pa.date32())
    else:
        micros = convert_units(units, unit, "us")
        digits = ctx.column.type.precision
        if digits is not None and digits < 6:
            tick = 10 ** (6 - digits)
            micros = -(-micros // tick) * tick  # never before the value it follows
        out = pa.array(micros.astype(np.int64)).view(ctx.arrow_type)
    return with_nulls(out, mask)


class Lookup(Derived):
    """The parent's column at the row the foreign key points to, times 1 +- noise if asked."""

    def link(self) -> None:
        self.parent = self.plan.registry[self.derivation.parent or ""]
        self.noise = self.ctx.rule.noise or 0.0
        self.draws = self.ctx.stream("noise")
        self.plan.check_link(self.derivation.link, self.ctx)

    def may_be_null(self) -> bool:
        return super().may_be_null() or self.parent.may_be_null(self.derivation.source or "")

    def compute(self, rows: Rows) -> Num | pa.Array:
        source = self.derivation.source or ""
        parents = self.parent_rows(rows)
        at = Rows(self.parent, index=parents)
        if not self.numeric:
            return at.column(source)
        num = at.number(source)
        if not self.noise:
            return num
        u = rows.draws(self.ctx.rows, lambda b, size: self.draws.rng(b).random(size))
        noisy = num.values * (1.0 + self.noise * (2.0 * u - 1.0))
        if num.scale is None:
            return Num(noisy, None, num.mask)
        return Num(np.rint(noisy).astype(np.int64), num.scale, num.mask)


class Expression(Derived):
    """An expression over the row's own columns."""

    def link(self) -> None:
        assert self.derivation.expression is not None
        unique = self.ctx.unique or self.ctx.rule.unique
        emails = Emails(self.ctx, unique) if uses_email(self.derivation.expression) else None
        self.evaluate = Evaluator(self.plan, emails)
        self.inputs = [r.name for r in column_refs(self.derivation.expression)]

    def may_be_null(self) -> bool:
        node = self.derivation.expression
        if node is not None and uses_email(node):
            return super().may_be_null()
        return super().may_be_null() or any(self.plan.may_be_null(c) for c in self.inputs)

    def compute(self, rows: Rows) -> Num | pa.Array:
        assert self.derivation.expression is not None
        return self.evaluate(self.derivation.expression, rows)


class Aggregate(Derived):
    """sum/count/min/max over each parent's child rows (a contiguous range per parent chunk)."""

    def link(self) -> None:
        derivation = self.derivation
        assert derivation.link is not None
        assert derivation.child is not None
        self.child = self.plan.registry[derivation.child]
        self.evaluate = Evaluator(self.child)
        self.function = derivation.function
        producer = self.child.by_column.get(derivation.link.columns[0])
        if isinstance(producer, NullColumns) or not self.plan.rows:
            self.fanout = None  # no parent row: nothing is ever aggregated
            return
        if not isinstance(producer, ForeignKeyProducer) or producer.layout != "fanout":
            raise self.ctx.error(
                f"an aggregate over {derivation.child} needs its rows laid out parent by "
                f"parent by the foreign key ({', '.join(derivation.link.columns)}); another "
                f"foreign key of {derivation.child} is laid out already"
            )
        assert producer.fanout is not None
        self.fk, self.fanout = producer, producer.fanout

    def may_be_null(self) -> bool:
        empty_null = self.function in (AggregateFunction.MIN, AggregateFunction.MAX)
        return super().may_be_null() or (empty_null and self.ctx.column.nullable)

    def _children(self, rows: Rows) -> tuple[Rows, np.ndarray]:
        """The child rows of ``rows`` (in order) and where each parent's children end in them."""
        fanout = self.fanout
        if rows.is_range:
            ends, first = fanout.ends_range(rows.start, rows.end)
            last = int(ends[-1]) if len(ends) else first
            return Rows(self.child, first, last), ends - first
        index = rows.index
        starts = np.where(index > 0, fanout.ends_at(np.maximum(index - 1, 0)), 0)
        counts = fanout.ends_at(index) - starts
        bounds = np.cumsum(counts)
        total = int(bounds[-1]) if len(bounds) else 0
        # child rows: each parent's range, concatenated
        shift = np.repeat(starts - (bounds - counts), counts)
        return Rows(self.child, index=np.arange(total, dtype=np.int64) + shift), bounds

    def compute(self, rows: Rows) -> Num | pa.Array:
        if self.fanout is None:  # a table without rows
            return Num(np.zeros(rows.size, dtype=np.int64), 0)
        children, bounds = self._children(rows)
        starts = np.concatenate([[0], bounds[:-1]]).astype(np.int64)
        orphans = self.fk.null_rows(children) if children.size else None
        keep = None if orphans is None else ~orphans  # a NULL key belongs to no parent
        derivation = self.derivation
        if derivation.expression is None and derivation.source is None:  # count(children)
            if keep is None:
                return Num((bounds - starts).astype(np.int64), 0)
            return Num(_segment_sum(keep.astype(np.int64), starts, bounds), 0)
        if derivation.source is not None:
            if family_of(self.child.table.column(derivation.source)) == NUMBER:
                value = children.number(derivation.source)
            else:
                value = plain(children.column(derivation.source))
        else:
            assert derivation.expression is not None
            value = self.evaluate(derivation.expression, children)
        unit = None
        if isinstance(value, Num):
            numbers, mask = value.values, value.mask
        else:
            numbers, unit, mask = temporal_units(value)
        if mask is not None:
            keep = ~mask if keep is None else keep & ~mask
        if self.function == AggregateFunction.COUNT:
            ones = np.ones(len(numbers), np.int64) if keep is None else keep.astype(np.int64)
            return Num(_segment_sum(ones, starts, bounds), 0)
        if self.function == AggregateFunction.SUM:
            summed = numbers if keep is None else np.where(keep, numbers, 0)
            total = _segment_sum(summed, starts, bounds)
            return Num(total, value.scale if isinstance(value, Num) else None)
        return self._extreme(numbers, keep, starts, bounds, value, unit)

    def _extreme(self, numbers, keep, starts, bounds, value, unit):  # type: ignore[no-untyped-def]
        biggest = self.function == AggregateFunction.MAX
        if numbers.dtype.kind == "f":
            fill = -np.inf if biggest else np.inf
        else:
            info = np.iinfo(np.int64)
            fill = info.min if biggest else info.max
        values = numbers if keep is None else np.where(keep, numbers, fill)
        found = _segment_sum((np.ones(len(values), np.int64) if keep is None
                              else keep.astype(np.int64)), starts, bounds) > 0  # fmt: skip
        out = np.zeros(len(bounds), dtype=values.dtype)
        nonempty = bounds > starts
        if nonempty.any():
            reduce = np.maximum if biggest else np.minimum
            out[nonempty] = reduce.reduceat(values, starts[nonempty])
        mask = ~found if self.ctx.column.nullable else None
        out = np.where(found, out, 0)
        if unit is not None:
            return temporal_array(out.astype(np.int64), unit, mask, self.ctx)
        return Num(out, value.scale, mask if mask is not None and mask.any() else None)


def _segment_sum(values: np.ndarray, starts: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Per segment [starts[i], bounds[i]) sums, 0 for empty segments."""
    out = np.zeros(len(bounds), dtype=values.dtype)
    nonempty = bounds > starts
    if nonempty.any():
        out[nonempty] = np.add.reduceat(values, starts[nonempty])
    return out


class After(Derived):
    """At or after a date/timestamp of the row or its parent row; never after ``max``."""

    def link(self) -> None:
        rule, ctx = self.ctx.rule, self.ctx
        self.high = self.bound_high()
        from dwsim_shared.ddl.inference import INFERENCE_ANCHOR, YEARS_BACK  # (DDL import: lazy)

        start = INFERENCE_ANCHOR.replace(year=INFERENCE_ANCHOR.year - YEARS_BACK)
        self.low = _bound(rule.min, ctx, _start_of(start, self.unit), "min")
        if self.low > self.high:
            raise ctx.error(f"min {rule.min} is after max {rule.max}")
        if rule.distribution is not None:
            issue = problem(rule.distribution, rule.params)
            if issue:
                raise ctx.error(f"offset: {issue}")
        self.draws = ctx.stream("after")
        derivation = self.derivation
        self.parent = self.plan.registry[derivation.parent] if derivation.parent else None
        if derivation.link is not None:
            self.plan.check_link(derivation.link, ctx)
        elif derivation.source == ctx.column.name:
            raise ctx.error("a column cannot come after itself")

    @property
    def unit(self) -> str:
        return "day" if self.ctx.kind == TypeKind.DATE else "us"

    def bound_high(self) -> int:
        """The latest value (days or microseconds): the rule's max, else the reference date."""
        from dwsim_shared.ddl.inference import INFERENCE_ANCHOR  # (DDL import: lazy)

        return _bound(self.ctx.rule.max, self.ctx, _end_of(INFERENCE_ANCHOR, self.unit), "max")

    def _block(self, block: int, size: int) -> np.ndarray:
        """(uniform, offset in days) per row of a block, as a (size, 2) array."""
        rng = self.draws.rng(block)
        u = rng.random(size)
        rule = self.ctx.rule
        if rule.distribution is None:
            return np.stack([u, np.zeros(size)], axis=1)
        days = draw(rng, rule.distribution, rule.params, size, 0.0, None)
        return np.stack([u, np.clip(np.nan_to_num(days, nan=0.0), 0.0, 1e6)], axis=1)

    def compute(self, rows: Rows) -> Num | pa.Array:
        source = self.derivation.source or ""
        if self.parent is None:
            base = rows.column(source)
        else:
            base = self.parent.values_at([source], self.parent_rows(rows))[source]
        units, unit, mask = temporal_units(base)
        units = convert_units(units, unit, self.unit)  # a date after a timestamp: its day on
        draws = rows.draws(self.ctx.rows, self._block)
        u, days = draws[:, 0], draws[:, 1]
        room = np.maximum(self.high - units, 0)
        if self.ctx.rule.distribution is None:
            offset = np.floor(u * (room + 1)).astype(np.int64)
        else:
            per_day = 1 if self.unit == "day" else US_PER_DAY
            offset = np.floor(days * per_day).astype(np.int64) % (room + 1)
        out = units + offset
        if mask is not None:  # nothing to follow: anywhere in [min, max]
            anywhere = self.low + np.floor(u * (self.high - self.low + 1)).astype(np.int64)
            out = np.where(mask, anywhere, out)
        return temporal_array(out, self.unit, None, self.ctx)


def _start_of(day: date, unit: str) -> int:
    days = (day - date(1970, 1, 1)).days
    return days if unit == "day" else days * US_PER_DAY


def _end_of(day: date, unit: str) -> int:
    days = (day - date(1970, 1, 1)).days
    return days if unit == "day" else days * US_PER_DAY + US_PER_DAY - 1_000_000


def _bound(value, ctx: ColumnContext, default: int, what: str) -> int:  # type: ignore[no-untyped-def]
    if value is None:
        return default
    if isinstance(value, datetime | date | time):
        value = value.isoformat()
    return _as_units(value, ctx, what)


PRODUCERS = {"lookup": Lookup, "aggregate": Aggregate, "expression": Expression, "after": After}
