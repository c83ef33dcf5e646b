"""Strings without Faker: lorem text within a length, code patterns, and distinct codes."""

from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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
from dwsim_generator.engine.pools import lorem_buffer, lorem_words
from dwsim_shared.contracts.enums import TypeKind

DEFAULT_MAX_LENGTH = 40
SPACE = ord(" ")
LOREM_BYTES = 1 << 20
LONGEST_WORD = 14  # letters in the longest lorem word
WORD_ROOM = LONGEST_WORD + 2  # that word and its space, with one to spare
PHRASE_LONGEST = LONGEST_WORD + 2  # "<longest word> a"


def capacity_of(base: int, width: int) -> int:
    return UNBOUNDED if width * np.log2(base) >= 62 else base**width


class Text(Maker):
    """Whole lorem words one space apart, within [min_length, max_length]; distinct values are
    codes."""

    def __init__(self, ctx: ColumnContext):
        limit = ctx.max_chars  # lorem is ASCII: a byte limit (Redshift) counts the same
        rule = ctx.rule
        top = rule.max_length if rule.max_length is not None else DEFAULT_MAX_LENGTH
        self.max_length = min(top, limit) if limit is not None else top
        low = rule.min_length if rule.min_length is not None else 3
        self.min_length = min(low, self.max_length)
        self.rows = ctx.rows
        self.arrow_type = ctx.arrow_type
        self.quoted = ctx.kind == TypeKind.JSON  # a JSON string document
        self.buffer, self.starts = lorem_buffer(LOREM_BYTES)
        # For rows no run of lorem words fits: single words, and two-word phrases of 15 and 16
        # letters (the longest word and "a") so that every length up to PHRASE_LONGEST is there.
        words = lorem_words()
        words = sorted(words + [f"{w} a" for w in words if len(w) >= LONGEST_WORD - 1], key=len)
        self.words = pa.array(words, pa.large_string())
        self.words_from = np.searchsorted([len(w) for w in words], np.arange(PHRASE_LONGEST + 2))

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        # Row i owns a stretch of one contiguous lorem text (made by a few memcpys): it starts at
        # the stretch's first word and ends at the last word end within its drawn length L. Word
        # bounds are table look-ups. A stretch is L + 2 * WORD_ROOM long: its first word starts
        # within WORD_ROOM, and every end below stays within L + WORD_ROOM of that start (one
        # past min_length only runs a word on; fallbacks only happen when max_length is within a
        # word of min_length), so rows never overlap and the values are the text's even pieces.
        low, high = self.min_length, self.max_length
        lengths = rng.integers(low, high, size=n, endpoint=True)
        stretches = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths + 2 * WORD_ROOM, out=stretches[1:])
        start = int(self.starts[rng.integers(0, len(self.starts))])
        text = _circular(self.buffer, start, int(stretches[-1]))
        to_word, to_space, from_space = _word_distances(LOREM_BYTES)

        def at(table: np.ndarray, positions: np.ndarray) -> np.ndarray:  # around the circle
            return np.take(table, start + positions, mode="wrap")

        first = stretches[:-1] + at(to_word, stretches[:-1])
        end = first + lengths
        end -= at(from_space, end)  # the last word end within the length
        end = np.maximum(end, first)
        low = max(low, min(high, 1))  # empty only if max_length is 0
        short = np.flatnonzero(end - first < low)  # e.g. a first word longer than the length
        if len(short):  # then end at the first word end past min_length, if within max_length
            later = first[short] + low
            later += at(to_space, later)
            end[short] = np.where(later - first[short] <= high, later, end[short])
            short = short[end[short] - first[short] < low]
        if len(short):  # else words up to max_length - 2, then one word of a fitting length
            last = first[short] + high - 2
            end[short] = np.maximum(last - at(from_space, last), first[short])
        cuts = np.empty(2 * n, dtype=np.int64)
        cuts[0::2], cuts[1::2] = first, end
        pieces = pa.Array.from_buffers(
            pa.large_string(), 2 * n - 1, [None, pa.py_buffer(cuts), pa.py_buffer(text)]
        )
        array = pieces.take(pa.array(np.arange(0, 2 * n, 2)))
        if len(short):
            mask = np.zeros(n, dtype=bool)
            mask[short] = True
            finished = self._finish(rng, array.take(pa.array(short)), end[short] - first[short])
            array = pc.replace_with_mask(array, pa.array(mask), finished)
        array = array.cast(self.arrow_type)
        return concat_strings('"', array, '"') if self.quoted else array

    def _finish(self, rng: np.random.Generator, runs: pa.Array, run: np.ndarray) -> pa.Array:
        """``runs`` (whole words, maybe none) and a space, then one lorem word (or "<word> a") long
        enough to reach min_length and short enough to stay within max_length."""
        gap = np.where(run > 0, run + 1, 0)
        longest = np.clip(self.max_length - gap, 1, PHRASE_LONGEST)
        shortest = np.minimum(np.clip(self.min_length - gap, 1, PHRASE_LONGEST), longest)
        picks = rng.integers(self.words_from[shortest], self.words_from[longest + 1])
        words = self.words.take(pa.array(picks))
        joined = pc.binary_join_element_wise(runs, words, pa.scalar(" ", pa.large_string()))
        return pc.if_else(pa.array(run > 0), joined, words)

    def _width(self) -> int:
        return min(self.max_length, max(self.min_length, width_for(self.rows, 36)))

    def capacity(self) -> int:
        return capacity_of(36, self.max_length)

    def from_index(self, index: np.ndarray) -> pa.Array:
        array = codes(index, self._width(), BASE36).cast(self.arrow_type)
        return concat_strings('"', array, '"') if self.quoted else array


@lru_cache(maxsize=2)
def _word_distances(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each position of ``lorem_buffer(size)`` (read as a circle): how far
    forward the next word starts, how far forward the next space is, how far back the last
    space is (each 0 if it is right there)."""
    buffer, _ = lorem_buffer(size)
    length = len(buffer)
    at = np.arange(length, dtype=np.int64)
    is_space = buffer == SPACE
    first, last = np.flatnonzero(is_space)[[0, -1]]
    # The nearest space at or after / at or before each position, in one linear pass each
    # (made while planning, before workers fork: ~3.5x cheaper than binary searches).
    after = np.minimum.accumulate(np.where(is_space, at, first + length)[::-1])[::-1]
    before = np.maximum.accumulate(np.where(is_space, at, last - length))
    after_previous = np.concatenate([after[-1:] - length, after[:-1]])  # at or after i - 1
    to_word = after_previous + 1 - at
    return to_word.astype(np.uint8), (after - at).astype(np.uint8), (at - before).astype(np.uint8)


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
