"""Children per parent: counts drawn per parent, scaled to sum exactly to the child rows.

Ends (a prefix sum over the parents) are computed once per process; a child row then maps
by binary search to (parent index, position within the parent), for any chunk, without
reading the parent's data.
"""

from functools import lru_cache

import numpy as np

from dwsim_generator.engine.columns.distributions import draw, normalise, problem
from dwsim_generator.engine.keys import IndexMap
from dwsim_generator.engine.streams import BLOCK_ROWS, Stream, block_size
from dwsim_shared.contracts.enums import Distribution


def fanout_problem(distribution: Distribution, params: dict[str, float]) -> str | None:
    if params.get("min", 0) < 0:
        return "min (children every parent gets at least) must be >= 0"
    if distribution == Distribution.HISTOGRAM:
        return None  # its bounds are checked by the contract
    if distribution == Distribution.ZIPF:
        a = normalise(distribution, params).get("a", 1.0)
        return None if a > 0 else "zipf fan-out: a must be > 0"
    return problem(distribution, params)


@lru_cache(maxsize=32)
def child_ends(
    stream_key: int,
    children: int,
    parents: int,
    distribution: Distribution,
    params: tuple[tuple[str, float], ...],
    bounds: tuple[float, ...] = (),
    pinned: tuple[tuple[int, float], ...] = (),
) -> np.ndarray:
    """ends[p] = number of children of parents 0..p (so ends[-1] == children).

    ``bounds``: quantiles of children per parent (histogram); ``pinned``: (parent index,
    share of the children) for parents whose share is known, the others sharing the rest.
    """
    index = np.arange(parents, dtype=np.int64)
    if distribution == Distribution.UNIFORM and not params and not pinned:  # equal shares
        base, extra = divmod(children, parents)
        return (index + 1) * base + ((index + 1) * extra) // parents
    spec = dict(params)
    # every parent first gets ``min`` children (as many as the rows allow); the rest follow
    # the drawn weights
    least = min(int(spec.pop("min", 0)), children // parents) if parents else 0
    stream = Stream(stream_key)
    weights = _weights(stream, parents, distribution, spec, bounds)
    if pinned:
        _pin(weights, pinned)
    total = weights.sum()
    if not np.isfinite(total) or total <= 0:
        return child_ends(stream_key, children, parents, Distribution.UNIFORM, ())
    rest = children - least * parents
    ends = np.floor(np.cumsum(weights) * (rest / total)).astype(np.int64)
    np.minimum(ends, rest, out=ends)
    ends[-1] = rest
    if least:
        ends += (index + 1) * least
    return ends


def _pin(weights: np.ndarray, pinned: tuple[tuple[int, float], ...]) -> None:
    """Pinned parents get their share; the others' weights are scaled to share the rest."""
    where = np.array([p for p, _ in pinned], dtype=np.int64)
    shares = np.array([w for _, w in pinned], dtype=np.float64)
    others = np.ones(len(weights), dtype=bool)
    others[where] = False
    rest = max(0.0, 1.0 - shares.sum())
    total = weights[others].sum()
    weights[others] *= rest / total if total > 0 else 0.0
    if total <= 0 and rest > 0 and others.any():  # the rest spread evenly
        weights[others] = rest / others.sum()
    weights[where] = shares


def _histogram(stream: Stream, parents: int, bounds: tuple[float, ...]) -> np.ndarray:
    """Per-parent weights drawn from the measured quantiles of children per parent."""
    edges = np.asarray(bounds, dtype=np.float64)
    buckets = len(edges) - 1
    parts = []
    for block in range((parents + BLOCK_ROWS - 1) // BLOCK_ROWS):
        position = stream.rng(block).random(block_size(block, parents)) * buckets
        bucket = np.minimum(position.astype(np.int64), buckets - 1)
        low, high = edges[bucket], edges[bucket + 1]
        parts.append(low + (position - bucket) * (high - low))
    return np.concatenate(parts) if parts else np.zeros(0)


def _weights(
    stream: Stream,
    parents: int,
    distribution: Distribution,
    params: dict[str, float],
    bounds: tuple[float, ...] = (),
) -> np.ndarray:
    if distribution == Distribution.HISTOGRAM:
        return _histogram(stream, parents, bounds)
    if distribution == Distribution.ZIPF:
        a = normalise(distribution, params).get("a", 1.0)
        rank = IndexMap(parents, parents, stream.salt)(np.arange(parents, dtype=np.int64))
        return (rank + 1.0) ** -a
    parts = []
    for block in range((parents + BLOCK_ROWS - 1) // BLOCK_ROWS):
        size = block_size(block, parents)
        parts.append(draw(stream.rng(block), distribution, params, size))
    return np.clip(np.concatenate(parts), 0.0, None)


class Fanout:
    """Child rows laid out parent by parent, following the drawn counts."""

    def __init__(self, ends: np.ndarray):
        self.ends = ends
        self.children = int(ends[-1]) if len(ends) else 0

    def parent_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(parent index, 0-based position among its children) of child rows."""
        parent = np.searchsorted(self.ends, rows, side="right")
        starts = np.where(parent > 0, self.ends[np.maximum(parent - 1, 0)], 0)
        return parent, rows - starts

    def parent_of_range(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """``parent_of`` of the rows [start, end), by repeating each parent over its children
        in the range (no search per row)."""
        if end <= start:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        first, last = np.searchsorted(self.ends, [start, end - 1], side="right")
        parents = np.arange(first, last + 1, dtype=np.int64)
        stops = np.minimum(self.ends[first : last + 1], end)
        begins = self.ends[first - 1 : last] if first > 0 else np.r_[0, self.ends[:last]]
        counts = np.diff(stops, prepend=start)
        return np.repeat(parents, counts), np.arange(start, end) - np.repeat(begins, counts)

    def draw(self, uniforms: np.ndarray) -> np.ndarray:
        """Parents drawn at random with the same skew (for foreign keys not laid out)."""
        picks = np.minimum((uniforms * self.children).astype(np.int64), self.children - 1)
        return np.searchsorted(self.ends, picks, side="right")

    def max_children(self) -> int:
        return int(np.diff(self.ends, prepend=0).max()) if len(self.ends) else 0
