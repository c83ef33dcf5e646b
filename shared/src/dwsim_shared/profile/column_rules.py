"""A column's ``pg_stats`` row as a generation rule (``source: profiled``).

- NULLs: ``null_frac`` (nullable columns only).
- Most common values and their frequencies: a categorical rule when they are all the values
  there are (no histogram), else the ``values``/``weights`` of a histogram rule whose
  ``bounds`` are ``histogram_bounds``: equal-share buckets for numbers, dates, timestamps and
  times; sample values of the rest for text, the rest made in their shape.
- ``n_distinct``: the rest's ``distinct`` count (negative = a share of the rows).
- ``correlation`` (|c| >= 0.5): that share of rows follows the row order.
- Booleans: the share of true. Key columns keep their rule (keys must stay unique) unless
  every value of a one-column text key is listed, which becomes a categorical rule of those
  values.
Rules the user wrote (``source: user``) and rules tying a column to other rows (lookup,
aggregate, expression, after) are kept; only their NULL share is updated.
"""

import math

from dwsim_shared.contracts.enums import RuleKind, RuleSource, TypeKind
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.schema import Column
from dwsim_shared.profile.stats import ColumnStats
from dwsim_shared.profile.values import NUMBERS, TEMPORAL, TEXT, convert

KEPT_KINDS = (RuleKind.LOOKUP, RuleKind.AGGREGATE, RuleKind.EXPRESSION, RuleKind.AFTER)
MIN_CORRELATION = 0.5  # below this the row order is left random
DIGITS = 6
NEARLY_ALL = 0.95  # distinct values over drawn rows above this: treat every value as new
UNBOUNDED_POOL = 64  # text values to draw from per drawn row, when nearly all differ


def _profiled(**fields: object) -> GenerationRule:
    return GenerationRule(source=RuleSource.PROFILED, **fields)


def _with_nulls(rule: GenerationRule | None, column: Column, null_ratio: float) -> GenerationRule:
    """``rule`` with the measured NULL share (``source: profiled`` when that changed it)."""
    base = rule or GenerationRule(kind=_default_kind(column.type.kind), source=RuleSource.DDL)
    if base.null_ratio == null_ratio:
        return base
    source = base.source if base.source == RuleSource.USER else RuleSource.PROFILED
    return base.model_copy(update={"null_ratio": null_ratio, "source": source})


def _default_kind(kind: TypeKind) -> RuleKind:
    if kind in NUMBERS or kind in TEMPORAL:
        return RuleKind.RANGE
    return {TypeKind.BOOLEAN: RuleKind.BOOLEAN, TypeKind.UUID: RuleKind.UUID}.get(
        kind, RuleKind.JSON if kind in (TypeKind.JSON, TypeKind.OBJECT, TypeKind.ARRAY)
        else RuleKind.TEXT
    )  # fmt: skip


def _common(stats: ColumnStats, kind: TypeKind) -> tuple[list, list[float]]:
    """Most common values that fit the type, with their shares of the non-NULL rows."""
    values, weights = [], []
    for text, share in zip(stats.common, stats.shares(), strict=False):
        value = convert(text, kind)
        if value is not None:
            values.append(value)
            weights.append(share)
    total = sum(weights)
    if total > 1:  # rounding in the statistics
        weights = [w / total for w in weights]
    return values, [shorten(w) for w in weights]


def shorten(share: float) -> float:
    """A share cut (never rounded up) to a few digits, so shares still sum to at most 1."""
    return math.floor(share * 10**DIGITS) / 10**DIGITS


def pool_size(distinct: float, drawn: float) -> int | None:
    """How many values to draw ``drawn`` rows from so that about ``distinct`` of them show up
    (``p (1 - exp(-drawn / p)) = distinct``); None when nearly every drawn row differs."""
    if drawn <= 0 or distinct <= 1:
        return max(1, round(distinct))
    if distinct >= drawn * NEARLY_ALL:
        return None
    low, high = distinct, distinct * 2.0
    while high * (1 - math.exp(-drawn / high)) < distinct:
        low, high = high, high * 2.0
    for _ in range(60):
        middle = (low + high) / 2
        if middle * (1 - math.exp(-drawn / middle)) < distinct:
            low = middle
        else:
            high = middle
    return round(high)


def profile_rule(
    column: Column, stats: ColumnStats, rows: int, *, unique: bool, keyed: bool, foreign: bool
) -> GenerationRule:
    """The rule of ``column`` shaped by ``stats`` (over ``rows`` rows). ``unique``: its own
    values must be unique (a one-column key, or referenced); ``keyed``: part of a key (its
    rule keeps the key's values distinct); ``foreign``: a foreign key column (its values come
    from the parent, only its NULL share is read)."""
    kind = column.type.kind
    nulls = round(stats.null_frac, DIGITS) if column.nullable and not keyed else 0.0
    base = column.rule
    if (base is not None and (base.source == RuleSource.USER or base.kind in KEPT_KINDS)) or (
        foreign
    ):
        return _with_nulls(base, column, nulls)
    values, weights = _common(stats, kind)
    bounds = [b for b in (convert(t, kind) for t in stats.bounds) if b is not None]
    listed = kind in TEXT and not values and len(set(bounds)) == len(bounds) >= rows > 0
    if listed and (unique or (stats.n_distinct == -1 and not keyed)):  # every value, once each
        return _profiled(kind=RuleKind.CATEGORICAL, values=bounds, unique=True, null_ratio=nulls)
    if keyed or unique:
        return _with_nulls(base, column, 0.0)
    if kind == TypeKind.BOOLEAN:
        true = sum(w for v, w in zip(values, weights, strict=True) if v is True)
        return _profiled(kind=RuleKind.BOOLEAN, probability=round(min(true, 1.0), DIGITS),
                         null_ratio=nulls)  # fmt: skip
    if kind not in NUMBERS | TEMPORAL | TEXT or not (values or bounds):
        return _with_nulls(base, column, nulls)
    if not bounds:
        return _profiled(kind=RuleKind.CATEGORICAL, values=values, weights=weights,
                         null_ratio=nulls)  # fmt: skip
    drawn = rows * (1 - stats.null_frac) * max(0.0, 1 - sum(weights))
    pool = pool_size(max(1, stats.distinct(rows) - len(values)), drawn)
    if pool is None and kind in TEXT:  # nearly every value differs: a pool draws seldom repeat
        pool = max(1, round(UNBOUNDED_POOL * drawn))
    params = {}
    correlation = stats.correlation or 0.0
    if kind not in TEXT and abs(correlation) >= MIN_CORRELATION:
        params["correlation"] = round(correlation, 4)
    return _profiled(
        kind=RuleKind.HISTOGRAM,
        values=values or None,
        weights=weights or None,
        bounds=bounds,
        distinct=pool,
        params=params,
        null_ratio=nulls,
    )
