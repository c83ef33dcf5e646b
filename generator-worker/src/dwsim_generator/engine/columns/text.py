"""Strings without Faker: lorem text within a length, code patterns, and distinct codes."""

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.arrays import (
    BASE36,
    DIGITS,
    UPPER,
    codes,
    concat_strings,
    fixed_width_strings,
    width_for,
)
from dwsim_generator.engine.columns.base import UNBOUNDED, ColumnContext, Maker
from dwsim_generator.engine.pools import lorem_buffer
from dwsim_shared.enums import TypeKind

DEFAULT_MAX_LENGTH = 40


def capacity_of(base: int, width: int) -> int:
    return UNBOUNDED if width * np.log2(base) >= 62 else base**width


class Text(Maker):
    """Lorem words cut to a length in [min_length, max_length]; distinct values are codes."""

    def __init__(self, ctx: ColumnContext):
        limit = ctx.max_chars
        rule = ctx.rule
        top = rule.max_length if rule.max_length is not None else DEFAULT_MAX_LENGTH
        self.max_length = min(top, limit) if limit is not None else top
        low = rule.min_length if rule.min_length is not None else 3
        self.min_length = min(low, self.max_length)
        self.rows = ctx.rows
        self.arrow_type = ctx.arrow_type
        self.quoted = ctx.kind == TypeKind.JSON  # a JSON string document
        self.buffer, self.starts = lorem_buffer(1 << 20)

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        # Rows are consecutive stretches of the lorem text from a random start (wrapping), so
        # the data buffer is a few memcpys, not a per-character gather.
        lengths = rng.integers(self.min_length, self.max_length, size=n, endpoint=True)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        start = int(self.starts[rng.integers(0, len(self.starts))])
        data = _circular(self.buffer, start, int(offsets[-1]))  # a fresh copy
        nonempty = lengths > 0
        for edge in (offsets[:-1][nonempty], offsets[1:][nonempty] - 1):  # no edge spaces
            data[edge[data[edge] == ord(" ")]] = ord("e")
        array = pa.Array.from_buffers(
            pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
        ).cast(self.arrow_type)
        return concat_strings('"', array, '"') if self.quoted else array

    def _width(self) -> int:
        return min(self.max_length, max(self.min_length, width_for(self.rows, 36)))

    def capacity(self) -> int:
        return capacity_of(36, self.max_length)

    def from_index(self, index: np.ndarray) -> pa.Array:
        array = codes(index, self._width(), BASE36).cast(self.arrow_type)
        return concat_strings('"', array, '"') if self.quoted else array


def _circular(buffer: np.ndarray, start: int, size: int) -> np.ndarray:
    """``size`` bytes of ``buffer`` from ``start``, wrapping around to its beginning."""
    pieces, left = [], size
    while left > 0:
        piece = buffer[start : start + left]
        pieces.append(piece)
        left -= len(piece)
        start = 0
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.uint8)


class Pattern(Maker):
    """``#`` a digit, ``?`` an upper-case letter, anything else itself: ``AB-####-??``."""

    def __init__(self, ctx: ColumnContext):
        pattern = ctx.rule.pattern or ""
        if not pattern:
            raise ctx.error("pattern must not be empty")
        if ctx.max_chars is not None and ctx.length(pattern) > ctx.max_chars:
            raise ctx.error(
                f"pattern {pattern!r} makes {ctx.length(pattern)}-character values but the "
                f"column is {ctx.column.type.raw}"
            )
        self.slots: list[
            tuple[int, np.ndarray | None, int]
        ] = []  # (byte column, alphabet, literal)
        columns = 0
        for char in pattern:
            if char in "#?":
                self.slots.append((columns, DIGITS if char == "#" else UPPER, 0))
                columns += 1
            else:
                for byte in char.encode():
                    self.slots.append((columns, None, byte))
                    columns += 1
        self.width = columns
        self.arrow_type = ctx.arrow_type

    def _matrix(self, n: int) -> np.ndarray:
        matrix = np.empty((n, self.width), dtype=np.uint8)
        for col, alphabet, literal in self.slots:
            if alphabet is None:
                matrix[:, col] = literal
        return matrix

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        matrix = self._matrix(n)
        for col, alphabet, _ in self.slots:
            if alphabet is not None:
                matrix[:, col] = alphabet[rng.integers(0, len(alphabet), size=n)]
        return fixed_width_strings(matrix).cast(self.arrow_type)

    def capacity(self) -> int:
        total = 1
        for _, alphabet, _ in self.slots:
            if alphabet is not None:
                total *= len(alphabet)
                if total >= UNBOUNDED:
                    return UNBOUNDED
        return total

    def from_index(self, index: np.ndarray) -> pa.Array:
        matrix = self._matrix(len(index))
        rest = index.astype(np.uint64)
        for col, alphabet, _ in reversed(self.slots):
            if alphabet is not None:
                base = np.uint64(len(alphabet))
                matrix[:, col] = alphabet[(rest % base).astype(np.intp)]
                rest = rest // base
        return fixed_width_strings(matrix).cast(self.arrow_type)
