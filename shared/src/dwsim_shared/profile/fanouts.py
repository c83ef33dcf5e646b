"""A foreign key's measured children per parent as the fan-out the engine draws from.

The most common values of the child's key column (``pg_stats``) pin those parents' shares of
the children (``values``/``weights``); the other parents' counts become a ``histogram``
fan-out over the quantiles of their measured counts (``bounds``), less the fewest children any
parent has, which every parent gets first (``params.min``). Equal counts stay ``uniform``.
"""

import bisect

from dwsim_shared.contracts.enums import Distribution, RuleSource, TypeKind
from dwsim_shared.contracts.schema import FanOut
from dwsim_shared.profile.column_rules import shorten
from dwsim_shared.profile.stats import ColumnStats, FanoutCounts
from dwsim_shared.profile.values import convert

QUANTILES = 100  # buckets of the measured counts: 1% of the parents each


def _without_top(counts: list[tuple[int, int]], drop: int) -> list[tuple[int, int]]:
    """``counts`` less the ``drop`` parents with the most children."""
    out = []
    for n, parents in sorted(counts, reverse=True):
        taken = min(drop, parents)
        drop -= taken
        if parents > taken:
            out.append((n, parents - taken))
    return sorted(out)


def _quantiles(counts: list[tuple[int, int]]) -> list[float]:
    """Children per parent at 0%, 1%, ..., 100% of the parents (linear between ranks)."""
    ends, running = [], 0
    for _, parents in counts:
        running += parents
        ends.append(running)

    def at(rank: int) -> int:
        return counts[bisect.bisect_right(ends, rank)][0]

    last = ends[-1] - 1
    out = []
    for step in range(QUANTILES + 1):
        position = step * last / QUANTILES
        low = int(position)
        high = min(low + 1, last)
        out.append(at(low) + (position - low) * (at(high) - at(low)))
    return out


def profile_fanout(
    counts: FanoutCounts, key_stats: ColumnStats | None, key_kind: TypeKind | None
) -> FanOut | None:
    """The fan-out of one foreign key (None: no parent or no child to measure)."""
    if counts.parents == 0 or counts.children == 0:
        return None
    values: list = []
    weights: list[float] = []
    if key_stats is not None and key_kind is not None:
        for text, share in zip(key_stats.common, key_stats.shares(), strict=False):
            value = convert(text, key_kind)
            if value is not None:
                values.append(value)
                weights.append(shorten(min(share, 1.0)))
        if sum(weights) > 1:
            weights = [shorten(w / sum(weights)) for w in weights]
    rest = _without_top(counts.counts, len(values)) if values else counts.counts
    if values and all(n == 0 for n, _ in rest):  # the pinned parents have every child
        weights = [w / sum(weights) for w in weights]
        weights = [shorten(w) for w in weights[:-1]] + [0.0]
        weights[-1] = shorten(max(0.0, 1.0 - sum(weights)))
    pinned = {"values": values, "weights": weights} if values else {}
    if not rest:
        return FanOut(distribution=Distribution.UNIFORM, source=RuleSource.PROFILED, **pinned)
    least = rest[0][0]
    if least == rest[-1][0] and not values:  # every parent has as many children
        return FanOut(distribution=Distribution.UNIFORM, source=RuleSource.PROFILED)
    bounds = [round(q - least, 4) for q in _quantiles(rest)]
    if bounds[-1] <= 0:  # the other parents all have the fewest: equal weights
        bounds = [0.0, 1.0]
    return FanOut(
        distribution=Distribution.HISTOGRAM,
        bounds=bounds,
        params={"min": float(least)} if least > 0 else {},
        source=RuleSource.PROFILED,
        **pinned,
    )
