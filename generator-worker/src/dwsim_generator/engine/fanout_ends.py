"""Where each parent's children end: ``ends[p]`` = children of parents 0..p, block by block.

Counts are drawn per parent (a weight each, from the counter-based streams, block by block)
and scaled to sum exactly to the child rows: ``ends = floor(cumsum(weights) * rest / total)``.
Nothing of the size of the parents is kept: planning walks the weights once, keeping the
running sum at each block of ``BLOCK_ROWS`` parents, and a block's ends are made again from
its own draws and that checkpoint when a chunk needs them (a few blocks per chunk, the last
few kept). The values are those of the whole-array computation: numpy's running sum is
sequential (so it restarts exactly from a checkpoint) and its sum pairwise (its split is
followed here, summing at most ``LEAF`` weights at once).
"""

import copy
import threading
from collections import OrderedDict
from functools import lru_cache

import numpy as np

from dwsim_generator.engine.columns.distributions import draw, normalise
from dwsim_generator.engine.keys import IndexMap
from dwsim_generator.engine.streams import BLOCK_ROWS, Stream, block_size, blocks
from dwsim_shared.contracts.enums import Distribution

LEAF = 1 << 20  # weights summed at once while planning (8 MiB)
CACHED_BLOCKS = 20  # blocks of ends kept per fan-out (10 MiB: a chunk of 1M parents needs 17)


class Ends:
    """``ends`` of a fan-out, any block of parents on demand."""

    def __init__(self, parents: int, children: int):
        self.parents, self.children = parents, children
        self.blocks = (parents + BLOCK_ROWS - 1) // BLOCK_ROWS
        self.last = np.zeros(0, dtype=np.int64)  # ends at the last parent of each block
        self._cache: OrderedDict[int, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # chunks made on threads share a plan

    def block(self, b: int) -> np.ndarray:
        """ends[b * BLOCK_ROWS : (b + 1) * BLOCK_ROWS] (read only)."""
        with self._lock:
            cached = self._cache.get(b)
            if cached is not None:
                self._cache.move_to_end(b)
                return cached
        cached = self._make(b)
        cached.flags.writeable = False
        with self._lock:
            if len(self._cache) >= CACHED_BLOCKS:
                self._cache.popitem(last=False)
            self._cache[b] = cached
        return cached

    def fresh(self) -> "Ends":
        """These ends with a cache of their own (a plan's: the planned ends are shared by
        every plan of the process, their blocks are not kept between runs)."""
        out = copy.copy(self)
        out._cache, out._lock = OrderedDict(), threading.Lock()
        return out

    def _make(self, b: int) -> np.ndarray:
        raise NotImplementedError

    def before(self, b: int) -> int:
        """ends[b * BLOCK_ROWS - 1]: the children of the parents of the blocks before b."""
        return int(self.last[b - 1]) if b > 0 else 0

    def span(self, first: int, last: int) -> np.ndarray:
        """ends of the parents of blocks first..last (inclusive)."""
        if first == last:
            return self.block(first)
        return np.concatenate([self.block(b) for b in range(first, last + 1)])

    def whole(self) -> np.ndarray:
        return self.span(0, self.blocks - 1) if self.blocks else np.zeros(0, dtype=np.int64)

    def bound(self) -> int:
        """At least the most children a parent gets (cheaper than ``most``)."""
        return self.most()

    def most(self) -> int:
        """The most children a parent gets."""
        most = 0
        for b in range(self.blocks):
            counts = np.diff(self.block(b), prepend=self.before(b))
            most = max(most, int(counts.max()))
        return most


class ArrayEnds(Ends):
    """Ends held whole (pinned parents, or given as an array)."""

    def __init__(self, ends: np.ndarray):
        super().__init__(len(ends), int(ends[-1]) if len(ends) else 0)
        self.ends = ends
        self.last = ends[BLOCK_ROWS - 1 :: BLOCK_ROWS].copy()
        if len(ends) and len(ends) % BLOCK_ROWS:
            self.last = np.append(self.last, ends[-1])

    def _make(self, b: int) -> np.ndarray:
        return self.ends[b * BLOCK_ROWS : (b + 1) * BLOCK_ROWS]

    def whole(self) -> np.ndarray:
        return self.ends

    def most(self) -> int:
        return int(np.diff(self.ends, prepend=0).max()) if len(self.ends) else 0


class EvenEnds(Ends):
    """Equal shares: ends[p] = (p + 1) * base + (p + 1) * extra // parents, by formula."""

    def __init__(self, children: int, parents: int):
        super().__init__(parents, children)
        self.base, self.extra = divmod(children, parents)
        last = np.minimum(np.arange(1, self.blocks + 1, dtype=np.int64) * BLOCK_ROWS, parents)
        self.last = self._at(last - 1)

    def _at(self, index: np.ndarray) -> np.ndarray:
        return (index + 1) * self.base + ((index + 1) * self.extra) // self.parents

    def _make(self, b: int) -> np.ndarray:
        start = b * BLOCK_ROWS
        return self._at(np.arange(start, start + block_size(b, self.parents), dtype=np.int64))

    def most(self) -> int:
        return self.base + (1 if self.extra else 0)


class DrawnEnds(Ends):
    """Ends from drawn weights, kept as one running sum per block (see the module doc)."""

    def __init__(self, weights: "Weights", children: int, least: int, total: float):
        super().__init__(weights.parents, children)
        self.weights, self.least = weights, least
        self.rest = children - least * weights.parents
        self.scale = self.rest / total
        self.sums = np.zeros(self.blocks + 1)  # running sum of the weights before each block

    def bound(self) -> int:
        # a parent's count is its weight scaled, floored, plus at most one from each rounding
        return int(np.floor(self.weights.most * self.scale)) + 3 + self.least

    def checkpoint(self, b: int, running: float) -> None:
        self.sums[b] = running

    def finish(self) -> None:
        """The ends at each block's last parent, from the running sums alone."""
        last = np.floor(self.sums[1:] * self.scale).astype(np.int64)
        np.minimum(last, self.rest, out=last)
        if self.blocks:
            last[-1] = self.rest
        stops = np.minimum(np.arange(1, self.blocks + 1, dtype=np.int64) * BLOCK_ROWS, self.parents)
        self.last = last + stops * self.least if self.least else last

    def _make(self, b: int) -> np.ndarray:
        start = b * BLOCK_ROWS
        size = block_size(b, self.parents)
        w = np.empty(size + 1)
        w[0], w[1:] = self.sums[b], self.weights.range(start, start + size)
        ends = np.floor(np.cumsum(w)[1:] * self.scale).astype(np.int64)
        np.minimum(ends, self.rest, out=ends)
        if b == self.blocks - 1:
            ends[-1] = self.rest
        if self.least:
            ends += (np.arange(start, start + size, dtype=np.int64) + 1) * self.least
        return ends


class Weights:
    """A fan-out's per-parent weights, any range of parents (drawn block by block)."""

    def __init__(self, stream: Stream, parents: int, distribution: Distribution, params: dict,
                 bounds: tuple[float, ...]):  # fmt: skip
        self.stream, self.parents = stream, parents
        self.distribution, self.params, self.bounds = distribution, params, bounds
        self._last: tuple[int, np.ndarray] | None = None  # the last block drawn
        self.most = 0.0  # the largest weight seen

    def range(self, start: int, end: int) -> np.ndarray:
        if self.distribution == Distribution.ZIPF:
            a = normalise(self.distribution, self.params).get("a", 1.0)
            rank = IndexMap(self.parents, self.parents, self.stream.salt)(
                np.arange(start, end, dtype=np.int64)
            )
            return (rank + 1.0) ** -a
        pieces = [self._block(b)[first:last] for b, first, last in blocks(start, end)]
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)

    def _block(self, b: int) -> np.ndarray:
        last = self._last
        if last is not None and last[0] == b:
            return last[1]
        size = block_size(b, self.parents)
        if self.distribution == Distribution.HISTOGRAM:
            edges = np.asarray(self.bounds, dtype=np.float64)
            buckets = len(edges) - 1
            position = self.stream.rng(b).random(size) * buckets
            bucket = np.minimum(position.astype(np.int64), buckets - 1)
            low, high = edges[bucket], edges[bucket + 1]
            values = low + (position - bucket) * (high - low)
        else:
            values = np.clip(
                draw(self.stream.rng(b), self.distribution, self.params, size), 0.0, None
            )
        self._last = (b, values)
        return values


def total_and_sums(weights: Weights) -> tuple[float, list[tuple[int, float]]]:
    """``weights.sum()`` over all parents as numpy sums one array (pairwise, same split),
    and the running sum at each block boundary (one pass over the weights)."""
    sums: list[tuple[int, float]] = []
    running = 0.0

    def walk(start: int, n: int) -> float:
        nonlocal running
        if n <= LEAF:
            values = weights.range(start, start + n)
            cumulative = np.cumsum(np.concatenate([[running], values]))
            first = (start // BLOCK_ROWS + 1) * BLOCK_ROWS  # the next block boundary
            for boundary in range(first, start + n + 1, BLOCK_ROWS):
                sums.append((boundary // BLOCK_ROWS, float(cumulative[boundary - start])))
            running = float(cumulative[-1])
            if n:
                weights.most = max(weights.most, float(values.max()))
            return float(np.add.reduce(values))
        half = n // 2
        half -= half % 8
        return walk(start, half) + walk(start + half, n - half)

    total = walk(0, weights.parents) if weights.parents else 0.0
    sums.append(((weights.parents + BLOCK_ROWS - 1) // BLOCK_ROWS, running))  # the last block's end
    return total, sums


@lru_cache(maxsize=32)
def fanout_ends(
    stream_key: int,
    children: int,
    parents: int,
    distribution: Distribution,
    params: tuple[tuple[str, float], ...],
    bounds: tuple[float, ...] = (),
    pinned: tuple[tuple[int, float], ...] = (),
) -> Ends:
    """The ends of a fan-out of ``children`` rows over ``parents``.

    ``bounds``: quantiles of children per parent (histogram); ``pinned``: (parent index,
    share of the children) for parents whose share is known, the others sharing the rest
    (those ends are held whole: pinning rescales every weight).
    """
    if distribution == Distribution.UNIFORM and not params and not pinned:  # equal shares
        return EvenEnds(children, parents)
    if pinned:
        return ArrayEnds(whole_ends(stream_key, children, parents, distribution, params,
                                    bounds, pinned))  # fmt: skip
    spec = dict(params)
    least = min(int(spec.pop("min", 0)), children // parents) if parents else 0
    weights = Weights(Stream(stream_key), parents, distribution, spec, bounds)
    total, sums = total_and_sums(weights)
    if not np.isfinite(total) or total <= 0:
        return EvenEnds(children, parents)
    ends = DrawnEnds(weights, children, least, total)
    for b, running in sums:
        ends.checkpoint(b, running)
    ends.finish()
    return ends


def whole_ends(
    stream_key: int,
    children: int,
    parents: int,
    distribution: Distribution,
    params: tuple[tuple[str, float], ...],
    bounds: tuple[float, ...] = (),
    pinned: tuple[tuple[int, float], ...] = (),
) -> np.ndarray:
    """ends[p] for every parent at once (pinned parents; small tables and tests)."""
    if not pinned:
        ends = fanout_ends(stream_key, children, parents, distribution, params, bounds)
        return ends.fresh().whole()
    spec = dict(params)
    least = min(int(spec.pop("min", 0)), children // parents) if parents else 0
    weights = Weights(Stream(stream_key), parents, distribution, spec, bounds).range(0, parents)
    _pin(weights, pinned)
    total = weights.sum()
    if not np.isfinite(total) or total <= 0:
        return EvenEnds(children, parents).whole()
    rest = children - least * parents
    ends = np.floor(np.cumsum(weights) * (rest / total)).astype(np.int64)
    np.minimum(ends, rest, out=ends)
    ends[-1] = rest
    if least:
        ends += (np.arange(parents, dtype=np.int64) + 1) * least
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
