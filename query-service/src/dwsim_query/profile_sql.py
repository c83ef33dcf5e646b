"""The SQL of a column profile, and how its answers become numbers and histogram bins.

What a column gets depends on its kind (``SHAPES``): MIN/MAX where the warehouses can order
it, equal-width bins for numbers, dates and timestamps, most frequent values for the rest.
What differs per warehouse (casts, epoch arithmetic, FLOOR) is data in the warehouse's
``ProfileSql``; every name is quoted as the warehouse stores it (``ident``).

Bins: ``k`` bins of equal width from ``min`` to ``max``; a value ``x`` falls in bin
``floor((x - min) * k / span)``, the last bin also holding ``max``. Whole numbers and dates
are discrete: ``span`` is the ``max - min + 1`` values they can take, ``k`` at most that, and
the bin edges are the whole numbers (days) that start each bin. Bins collapse to one when
``min == max``.
"""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from dwsim_shared.contracts.api import HistogramBin
from dwsim_shared.contracts.enums import TypeKind, Warehouse
from dwsim_shared.contracts.schema import Column
from dwsim_shared.warehouses.profiles import ProfileSql, profile
from dwsim_shared.warehouses.typemap import ident

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class Binning(StrEnum):
    WHOLE = "whole"  # integers: discrete
    NUMBER = "number"  # decimals and floats: continuous
    DATE = "date"  # days: discrete
    TIMESTAMP = "timestamp"  # seconds: continuous


@dataclass(frozen=True)
class Shape:
    ordered: bool  # MIN/MAX work on it in every warehouse
    binning: Binning | None  # None: top values instead of a histogram


_TOP_ORDERED = Shape(ordered=True, binning=None)
_TOP_ONLY = Shape(ordered=False, binning=None)
SHAPES: dict[TypeKind, Shape] = {
    TypeKind.SMALLINT: Shape(True, Binning.WHOLE),
    TypeKind.INTEGER: Shape(True, Binning.WHOLE),
    TypeKind.BIGINT: Shape(True, Binning.WHOLE),
    TypeKind.DECIMAL: Shape(True, Binning.NUMBER),
    TypeKind.REAL: Shape(True, Binning.NUMBER),
    TypeKind.DOUBLE: Shape(True, Binning.NUMBER),
    TypeKind.DATE: Shape(True, Binning.DATE),
    TypeKind.TIMESTAMP: Shape(True, Binning.TIMESTAMP),
    TypeKind.TIMESTAMPTZ: Shape(True, Binning.TIMESTAMP),
    TypeKind.CHAR: _TOP_ORDERED,
    TypeKind.VARCHAR: _TOP_ORDERED,
    TypeKind.TEXT: _TOP_ORDERED,
    TypeKind.UUID: _TOP_ORDERED,
    TypeKind.TIME: _TOP_ORDERED,
    TypeKind.BOOLEAN: _TOP_ONLY,  # PostgreSQL has no MIN(boolean)
    TypeKind.BINARY: _TOP_ONLY,
    TypeKind.JSON: _TOP_ONLY,
    TypeKind.OBJECT: _TOP_ONLY,
    TypeKind.ARRAY: _TOP_ONLY,
}
_NO_VALUE_ORDER = {TypeKind.JSON, TypeKind.OBJECT, TypeKind.ARRAY}  # ties in any order


def shape(column: Column) -> Shape:
    return SHAPES.get(column.type.kind, _TOP_ONLY)


def aggregate_sql(warehouse: Warehouse, table: str, columns: list[Column]) -> str:
    """One statement for every column: COUNT(*), then per column COUNT(c), COUNT(DISTINCT c)
    and, where the kind is ordered, MIN(c) and MAX(c)."""
    parts = ["COUNT(*)"]
    for column in columns:
        name = ident(column.name, warehouse)
        parts += [f"COUNT({name})", f"COUNT(DISTINCT {name})"]
        if shape(column).ordered:
            parts += [f"MIN({name})", f"MAX({name})"]
    return f"SELECT {', '.join(parts)} FROM {ident(table, warehouse)}"


@dataclass(frozen=True)
class Bins:
    """``count`` bins over ``[low, low + span)`` (as numbers), for a column whose
    non-NULL values run from ``low`` to ``high``."""

    binning: Binning
    low: float
    high: float
    count: int
    span: float

    @classmethod
    def plan(cls, binning: Binning, low: float, high: float, wanted: int) -> "Bins":
        if binning in (Binning.WHOLE, Binning.DATE):
            values = int(high - low) + 1
            return cls(binning, low, high, min(wanted, values), values)
        return cls(binning, low, high, wanted if high > low else 1, high - low)

    def sql(self, warehouse: Warehouse, table: str, column: Column) -> str:
        """Rows per bin index (indices outside ``[0, count)`` from rounding are clamped)."""
        facts = profile(warehouse).profile_sql
        name = ident(column.name, warehouse)
        low = int(self.low) if self.binning in (Binning.WHOLE, Binning.DATE) else repr(self.low)
        offset = f"({_number(facts, self.binning, name)} - ({low}))"
        index = facts.floor.format(value=f"{offset} * {self.count} / {_literal(self.span)}")
        return (
            f"SELECT {index}, COUNT(*) FROM {ident(table, warehouse)} "
            f"WHERE {name} IS NOT NULL GROUP BY 1"
        )

    def histogram(self, counts: dict[int, int], column: Column) -> list[HistogramBin]:
        edges = self._edges()
        return [
            HistogramBin(
                lower=self._render(edges[i], column),
                upper=self._render(edges[i + 1] if i + 1 < self.count else self.high, column),
                count=counts.get(i, 0),
            )
            for i in range(self.count)
        ]

    def _edges(self) -> list[float]:
        if self.binning in (Binning.WHOLE, Binning.DATE):  # the first whole value of each bin
            span = int(self.span)
            return [self.low + -(-i * span // self.count) for i in range(self.count)]
        return [self.low + i * self.span / self.count for i in range(self.count)]

    def _render(self, value: float, column: Column) -> Any:
        if self.binning == Binning.WHOLE:
            return int(value)
        if self.binning == Binning.DATE:
            return (EPOCH.date() + dt.timedelta(days=int(value))).isoformat()
        if self.binning == Binning.TIMESTAMP:
            moment = EPOCH + dt.timedelta(seconds=value)
            aware = column.type.kind == TypeKind.TIMESTAMPTZ
            return (moment if aware else moment.replace(tzinfo=None)).isoformat()
        return value


def _number(facts: ProfileSql, binning: Binning, name: str) -> str:
    template = {
        Binning.WHOLE: facts.to_float,
        Binning.NUMBER: facts.to_float,
        Binning.DATE: facts.date_days,
        Binning.TIMESTAMP: facts.timestamp_seconds,
    }[binning]
    return template.format(value=name)


def _literal(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def as_number(binning: Binning, value: Any) -> float | None:
    """A MIN/MAX as the warehouse returned it (JSON-safe) as the number bins are made of:
    days since 1970 for dates, seconds since 1970 UTC for timestamps (naive ones as UTC).
    None when it is not a finite number."""
    if value is None:
        return None
    try:
        if binning == Binning.DATE:
            day = dt.date.fromisoformat(str(value)[:10])
            return float((day - EPOCH.date()).days)
        if binning == Binning.TIMESTAMP:
            moment = dt.datetime.fromisoformat(str(value))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            return (moment - EPOCH).total_seconds()
        number = float(Decimal(str(value)))
    except (ValueError, ArithmeticError):
        return None
    return number if math.isfinite(number) else None


def top_sql(warehouse: Warehouse, table: str, column: Column, top: int) -> str:
    """The ``top`` most frequent non-NULL values, most frequent first (ties by value)."""
    name = ident(column.name, warehouse)
    order = "2 DESC" if column.type.kind in _NO_VALUE_ORDER else "2 DESC, 1"
    return (
        f"SELECT {name}, COUNT(*) FROM {ident(table, warehouse)} WHERE {name} IS NOT NULL "
        f"GROUP BY {name} ORDER BY {order} LIMIT {int(top)}"
    )


def probe_sql(warehouse: Warehouse, table: str) -> str:
    """Succeeds exactly when the table exists (reads no row)."""
    return f"SELECT * FROM {ident(table, warehouse)} WHERE 1 = 0"


def bin_index(value: Any) -> int:
    """A bin index as the warehouse returned it (int, float, or a numeric's text)."""
    return int(Decimal(str(value)))
