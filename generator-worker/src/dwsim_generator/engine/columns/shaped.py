"""Histogram rules on text: most common values with their shares, the rest from sample values
and values in their shape.

PostgreSQL keeps a text column's most common values and, for the rest, a sorted sample
(``histogram_bounds``). The rest is made of ``distinct`` values: the samples themselves, then
values shaped like them (a sample's first character kept, every other ASCII letter replaced by
a letter of the same case and every digit by a digit, from a hash of the value's number), so a
profiled column keeps its distinct count without copying more than the statistics hold.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_generator.engine.columns.base import ColumnContext, Maker
from dwsim_generator.engine.columns.convert import to_arrow
from dwsim_generator.engine.streams import mix64


class TextHistogram(Maker):
    def __init__(self, ctx: ColumnContext):
        rule = ctx.rule
        values = list(rule.values or [])
        samples = [s for s in (rule.bounds or []) if s is not None]
        self.arrow_type = ctx.arrow_type
        self.pool = to_arrow(values + samples, ctx, "histogram")
        self.common, self.samples = len(values), len(samples)
        weights = np.asarray(rule.weights or [1.0] * len(values), dtype=np.float64)
        masses = np.append(weights, max(0.0, 1.0 - weights.sum())) if samples else weights
        if masses.sum() <= 0:
            raise ctx.error("histogram rule gives no value any weight")
        self.ends = np.cumsum(masses) / masses.sum()
        self.ends[-1] = 1.0
        self.others = max(rule.distinct or self.samples, self.samples)
        self.salt = ctx.stream("shaped").salt
        self.templates, self.lengths = _byte_matrix(self.pool.slice(self.common))

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        pick = np.searchsorted(self.ends, rng.random(n), side="right")
        pick = np.minimum(pick, len(self.ends) - 1)
        other = rng.random(n)
        if not self.samples:
            return pa.DictionaryArray.from_arrays(pick.astype(np.int32), self.pool)
        rest = pick == self.common
        number = np.minimum((other * self.others).astype(np.int64), self.others - 1)
        index = np.where(rest, self.common + np.minimum(number, self.samples - 1), pick)
        shaped = np.flatnonzero(rest & (number >= self.samples))
        if not len(shaped):
            return pa.DictionaryArray.from_arrays(index.astype(np.int32), self.pool)
        array = self.pool.take(pa.array(index))
        mask = np.zeros(n, dtype=bool)
        mask[shaped] = True
        return pc.replace_with_mask(array, pa.array(mask), self._shaped(number[shaped]))

    def _shaped(self, number: np.ndarray) -> pa.Array:
        """Value ``number`` (>= samples) of the rest: its template's shape, hashed characters."""
        which = number % self.samples
        matrix = self.templates[which].copy()
        lengths = self.lengths[which]
        width = matrix.shape[1]
        column = np.arange(width, dtype=np.uint64)
        noise = mix64(number.astype(np.uint64)[:, None] * np.uint64(width) + column, self.salt)
        digit = (matrix >= ord("0")) & (matrix <= ord("9"))
        upper = (matrix >= ord("A")) & (matrix <= ord("Z"))
        lower = (matrix >= ord("a")) & (matrix <= ord("z"))
        keep = np.zeros_like(digit)
        keep[:, 0] = True
        digit, upper, lower = digit & ~keep, upper & ~keep, lower & ~keep
        matrix[digit] = ord("0") + (noise[digit] % np.uint64(10)).astype(np.uint8)
        matrix[upper] = ord("A") + (noise[upper] % np.uint64(26)).astype(np.uint8)
        matrix[lower] = ord("a") + (noise[lower] % np.uint64(26)).astype(np.uint8)
        inside = column[None, :] < lengths[:, None].astype(np.uint64)
        data = matrix[inside]
        offsets = np.zeros(len(number) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        array = pa.Array.from_buffers(
            pa.large_string(), len(number), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
        )
        return array.cast(self.arrow_type)

    def capacity(self) -> int:
        """Distinct values by index: only when every value is listed (no rest)."""
        if self.samples:
            return 0
        return len(self.pool) if len(set(self.pool.to_pylist())) == len(self.pool) else 0

    def from_index(self, index: np.ndarray) -> pa.Array:
        return self.pool.take(pa.array(index))


def _byte_matrix(samples: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of each sample, left-aligned in a zero-padded matrix, and their lengths."""
    encoded = [s.encode() for s in samples.to_pylist()]
    width = max((len(e) for e in encoded), default=1) or 1
    matrix = np.zeros((len(encoded), width), dtype=np.uint8)
    for row, text in enumerate(encoded):
        matrix[row, : len(text)] = np.frombuffer(text, dtype=np.uint8)
    return matrix, np.array([len(e) for e in encoded], dtype=np.int64)
