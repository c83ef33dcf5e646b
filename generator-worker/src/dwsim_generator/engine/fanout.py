"""Children per parent: counts drawn per parent, scaled to sum exactly to the child rows.

Ends (a prefix sum over the parents, ``fanout_ends``) are made block by block of parents as
chunks need them; a child row then maps by binary search to (parent index, position within
the parent), for any chunk, without reading the parent's data.
"""

import numpy as np

from dwsim_generator.engine.columns.distributions import normalise, problem
from dwsim_generator.engine.fanout_ends import ArrayEnds, Ends, fanout_ends, whole_ends
from dwsim_generator.engine.streams import BLOCK_ROWS
from dwsim_shared.contracts.enums import Distribution

__all__ = ["Fanout", "child_ends", "fanout_ends", "fanout_problem"]
child_ends = whole_ends  # ends of every parent at once


def fanout_problem(distribution: Distribution, params: dict[str, float]) -> str | None:
    if params.get("min", 0) < 0:
        return "min (children every parent gets at least) must be >= 0"
    if distribution == Distribution.HISTOGRAM:
        return None  # its bounds are checked by the contract
    if distribution == Distribution.ZIPF:
        a = normalise(distribution, params).get("a", 1.0)
        return None if a > 0 else "zipf fan-out: a must be > 0"
    return problem(distribution, params)


class Fanout:
    """Child rows laid out parent by parent, following the drawn counts.

    Up to ``WHOLE_BLOCKS`` blocks of parents (16 MiB of ends), or ends given whole, are held
    whole and searched at once; beyond, only the blocks a call needs are made.
    """

    WHOLE_BLOCKS = 32

    def __init__(self, ends: "np.ndarray | Ends"):
        self.layout = ArrayEnds(ends) if isinstance(ends, np.ndarray) else ends.fresh()
        self.children = self.layout.children
        self.small = isinstance(self.layout, ArrayEnds) or self.layout.blocks <= self.WHOLE_BLOCKS
        self._whole: np.ndarray | None = None

    @property
    def whole(self) -> np.ndarray:
        if self._whole is None:
            self._whole = self.layout.whole()
        return self._whole

    def _window(self, first: int, last: int) -> tuple[np.ndarray, int, int]:
        """(ends of the parents of blocks first..last, the first one's index, the ends before
        it): every parent's ends when they are held whole."""
        if self.small:
            return self.whole, 0, 0
        return self.layout.span(first, last), first * BLOCK_ROWS, self.layout.before(first)

    def _blocks_of(self, rows: np.ndarray) -> np.ndarray:
        """The block of parents holding each child row."""
        return np.minimum(np.searchsorted(self.layout.last, rows, side="right"),
                          max(self.layout.blocks - 1, 0))  # fmt: skip

    def _search(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(parent of each child row, ends of the parent before it)."""
        if self.small:
            parent = np.searchsorted(self.whole, rows, side="right")
            return parent, np.where(parent > 0, self.whole[np.maximum(parent - 1, 0)], 0)
        block = self._blocks_of(rows)  # block by block, each made once
        parent = np.empty(len(rows), dtype=np.int64)
        starts = np.empty(len(rows), dtype=np.int64)
        order = np.argsort(block, kind="stable")
        cuts = np.flatnonzero(np.diff(block[order])) + 1
        for piece in np.split(order, cuts) if len(order) else []:
            b = int(block[piece[0]])
            ends = self.layout.block(b)
            local = np.searchsorted(ends, rows[piece], side="right")
            parent[piece] = local + b * BLOCK_ROWS
            before = self.layout.before(b)
            starts[piece] = np.where(local > 0, ends[np.maximum(local - 1, 0)], before)
        return parent, starts

    def parent_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(parent index, 0-based position among its children) of child rows."""
        parent, starts = self._search(np.asarray(rows, dtype=np.int64))
        return parent, rows - starts

    def ends_range(self, start: int, end: int) -> tuple[np.ndarray, int]:
        """(ends[start:end], ends[start - 1] or 0) of the parents [start, end)."""
        if end <= start:
            return np.zeros(0, dtype=np.int64), self.end_before(start)
        ends, base, _ = self._window(start // BLOCK_ROWS, (end - 1) // BLOCK_ROWS)
        return ends[start - base : end - base], self.end_before(start)

    def end_before(self, parent: int) -> int:
        """ends[parent - 1]: the children of the parents before ``parent``."""
        if parent <= 0:
            return 0
        if self.small:
            return int(self.whole[parent - 1])
        b = (parent - 1) // BLOCK_ROWS
        return int(self.layout.block(b)[parent - 1 - b * BLOCK_ROWS])

    def ends_at(self, parents: np.ndarray) -> np.ndarray:
        """ends[parents] of any parents."""
        if self.small:
            return self.whole[parents]
        out = np.empty(len(parents), dtype=np.int64)
        block = parents // BLOCK_ROWS
        order = np.argsort(block, kind="stable")
        cuts = np.flatnonzero(np.diff(block[order])) + 1
        for piece in np.split(order, cuts) if len(order) else []:
            b = int(block[piece[0]])
            out[piece] = self.layout.block(b)[parents[piece] - b * BLOCK_ROWS]
        return out

    def parent_of_range(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """``parent_of`` of the rows [start, end), by repeating each parent over its children
        in the range (no search per row)."""
        if end <= start:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        b0, b1 = self._blocks_of(np.array([start, end - 1], dtype=np.int64)).tolist()
        ends, base, before = self._window(b0, b1)
        first, last = np.searchsorted(ends, [start, end - 1], side="right")
        parents = np.arange(first, last + 1, dtype=np.int64) + base
        stops = np.minimum(ends[first : last + 1], end)
        begins = ends[first - 1 : last] if first > 0 else np.r_[before, ends[:last]]
        counts = np.diff(stops, prepend=start)
        return np.repeat(parents, counts), np.arange(start, end) - np.repeat(begins, counts)

    def draw(self, uniforms: np.ndarray) -> np.ndarray:
        """Parents drawn at random with the same skew (for foreign keys not laid out)."""
        picks = np.minimum((uniforms * self.children).astype(np.int64), self.children - 1)
        if self.small:
            return np.searchsorted(self.whole, picks, side="right")
        return self._search(picks)[0]

    def max_children(self) -> int:
        return self.layout.most() if self.layout.parents else 0

    def children_bound(self) -> int:
        """At least ``max_children()``, without a pass over every parent where it can."""
        return self.layout.bound() if self.layout.parents else 0
