"""Booleans, categories, constants, UUIDs, JSON documents and bytes."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_generator.engine.arrays import HEX, concat_strings, digit_matrix, fixed_width_strings
from dwsim_generator.engine.columns.base import UNBOUNDED, ColumnContext, Maker
from dwsim_generator.engine.columns.convert import to_arrow
from dwsim_generator.engine.streams import mix64
from dwsim_shared.contracts.enums import TypeKind


class Boolean(Maker):
    def __init__(self, ctx: ColumnContext):
        self.p = 0.5 if ctx.rule.probability is None else ctx.rule.probability
        self.arrow_type = ctx.arrow_type

    def _arrow(self, values: np.ndarray) -> pa.Array:
        array = pa.array(values)
        return array if self.arrow_type == pa.bool_() else array.cast(self.arrow_type)

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        return self._arrow(rng.random(n) < self.p)

    def capacity(self) -> int:
        return 2

    def from_index(self, index: np.ndarray) -> pa.Array:
        return self._arrow(index == 1)


class Categorical(Maker):
    """One of ``values``, with ``weights`` (equal when absent)."""

    def __init__(self, ctx: ColumnContext):
        values = ctx.rule.values or []
        if not values:
            raise ctx.error("categorical rule has no values to choose from")
        self.pool = to_arrow(values, ctx, "categorical")
        weights = np.asarray(ctx.rule.weights or [1.0] * len(values), dtype=np.float64)
        self.cumulative = np.cumsum(weights) / weights.sum()
        self.cumulative[-1] = 1.0
        self.lookup = _BucketSearch(self.cumulative)
        self.arrow_type = ctx.arrow_type
        self.distinct = len(set(map(repr, values)))

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        picks = self.lookup(rng.random(n))
        return pa.DictionaryArray.from_arrays(picks, self.pool)  # written as Parquet dictionary

    def capacity(self) -> int:
        return self.distinct if self.distinct == len(self.pool) else 0

    def from_index(self, index: np.ndarray) -> pa.Array:
        return self.pool.take(index)


class _BucketSearch:
    """``searchsorted(cumulative, u, side="right")`` of uniforms in [0, 1), by a table of
    2^12 equal buckets: a bucket no boundary falls in holds one answer; only draws in the few
    buckets a boundary splits are searched (same answers, ~10x faster than a search each)."""

    BUCKETS = 1 << 12

    def __init__(self, cumulative: np.ndarray):
        self.cumulative = cumulative
        edges = np.arange(self.BUCKETS + 1) / self.BUCKETS  # exact: powers of two
        low = np.searchsorted(cumulative, edges[:-1], side="right")
        high = np.searchsorted(cumulative, edges[1:], side="left")  # boundaries below the end
        self.answer = low.astype(np.int32)
        self.split = low != high

    def __call__(self, u: np.ndarray) -> np.ndarray:
        bucket = (u * self.BUCKETS).astype(np.intp)  # exact, so each draw is in its bucket
        picks = self.answer.take(bucket)
        unsure = self.split.take(bucket)
        if unsure.any():
            picks[unsure] = np.searchsorted(self.cumulative, u[unsure], side="right")
        return picks


class Constant(Maker):
    def __init__(self, ctx: ColumnContext):
        self.value = to_arrow([ctx.rule.value], ctx, "constant")[0]
        self.arrow_type = ctx.arrow_type

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        return pa.repeat(self.value, n)

    def capacity(self) -> int:
        return 1

    def from_index(self, index: np.ndarray) -> pa.Array:
        return pa.repeat(self.value, len(index))


_MASK62 = np.uint64((1 << 62) - 1)
_DASHES = (8, 13, 18, 23)


def _format_uuid(high: np.ndarray, low: np.ndarray) -> pa.Array:
    """Canonical 8-4-4-4-12 text of version-4 UUIDs from two 64-bit halves."""
    high = (high & ~np.uint64(0xF000)) | np.uint64(0x4000)
    low = (low & _MASK62) | np.uint64(0x8000000000000000)
    hexes = np.concatenate([digit_matrix(high, 16, HEX), digit_matrix(low, 16, HEX)], axis=1)
    out = np.full((len(high), 36), ord("-"), dtype=np.uint8)
    keep = [i for i in range(36) if i not in _DASHES]
    out[:, keep] = hexes
    return fixed_width_strings(out)


class Uuid(Maker):
    """Random version-4 UUIDs (122 random bits). By index, the low 62 bits are a keyed
    bijection of the index (so distinct indices give distinct UUIDs) and the high 60 bits a
    hash of it: every value looks random, including the first rows'."""

    def __init__(self, ctx: ColumnContext):
        if ctx.max_chars is not None and ctx.max_chars < 36:
            raise ctx.error(f"UUIDs need 36 characters; the column is {ctx.column.type.raw}")
        self.salt = ctx.stream("uuid").salt
        self.keys = mix64(np.arange(len(_ROUNDS), dtype=np.uint64), self.salt) & _MASK62
        self.arrow_type = ctx.arrow_type

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        halves = rng.integers(0, 2**64, size=(2, n), dtype=np.uint64)
        return _format_uuid(halves[0], halves[1]).cast(self.arrow_type)

    def capacity(self) -> int:
        return UNBOUNDED

    def from_index(self, index: np.ndarray) -> pa.Array:
        low = _bijection62(index, self.keys)
        return _format_uuid(mix64(index, self.salt), low).cast(self.arrow_type)


def _bijection62(index: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """A keyed permutation of [0, 2**62): each step (add a key, xor-shift, multiply by an odd
    constant, all mod 2**62) is invertible, so distinct indices stay distinct."""
    x = index.astype(np.uint64) & _MASK62
    with np.errstate(over="ignore"):
        for key, (shift, mult) in zip(keys, _ROUNDS, strict=True):
            x = (x + key) & _MASK62
            x ^= x >> np.uint64(shift)
            x = (x * mult) & _MASK62
        x ^= x >> np.uint64(31)
    return x


_ROUNDS = [
    (31, np.uint64(0x7FB5D329728EA185)),
    (27, np.uint64(0x81DADEF4BC2DD44D)),
    (33, np.uint64(0x9E3779B97F4A7C15)),
    (29, np.uint64(0xBF58476D1CE4E5B9)),
]


class Json(Maker):
    """Valid JSON text: an object (JSON/SUPER/VARIANT/OBJECT) or an array (ARRAY)."""

    MIN_LENGTH = 120

    def __init__(self, ctx: ColumnContext):
        if ctx.max_chars is not None and ctx.max_chars < self.MIN_LENGTH:
            raise ctx.error(
                f"JSON documents need up to {self.MIN_LENGTH} characters; "
                f"the column is {ctx.column.type.raw}"
            )
        self.array = ctx.kind == TypeKind.ARRAY
        self.arrow_type = ctx.arrow_type

    def _document(self, ids: np.ndarray, rng: np.random.Generator | None) -> pa.Array:
        n = len(ids)
        if rng is not None:
            draws = rng.random((2, n))
        else:
            hashed = (mix64(ids, np.uint64(7)) % np.uint64(10_000)).astype(np.float64) / 10_000
            draws = np.stack([hashed, hashed[::-1]])
        score = np.round(draws[0] * 100, 2)
        qty = (draws[1] * 50).astype(np.int64)
        text = {name: pc.cast(pa.array(v), pa.string()) for name, v in
                (("id", ids), ("score", score), ("qty", qty))}  # fmt: skip
        if self.array:
            return concat_strings("[", text["id"], ",", text["qty"], ",", text["score"], "]")
        active = pc.if_else(pa.array(qty % 2 == 0), "true", "false")
        return concat_strings(
            '{"id":', text["id"], ',"score":', text["score"], ',"active":', active,
            ',"tags":["t', text["qty"], '"]}',
        )  # fmt: skip

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        ids = rng.integers(1, 1_000_000, size=n)
        return self._document(ids, rng).cast(self.arrow_type)

    def capacity(self) -> int:
        return UNBOUNDED

    def from_index(self, index: np.ndarray) -> pa.Array:
        return self._document(index.astype(np.int64), None).cast(self.arrow_type)


class Binary(Maker):
    """Random bytes (up to 16, or the declared length); by index, the index's bytes."""

    def __init__(self, ctx: ColumnContext):
        self.width = min(ctx.column.type.length or 16, 16)
        self.arrow_type = ctx.arrow_type

    def _arrow(self, matrix: np.ndarray) -> pa.Array:
        return fixed_width_strings(matrix, pa.binary()).cast(self.arrow_type)

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        return self._arrow(rng.integers(0, 256, size=(n, self.width), dtype=np.uint8))

    def capacity(self) -> int:
        return UNBOUNDED if self.width >= 8 else 256**self.width

    def from_index(self, index: np.ndarray) -> pa.Array:
        wide = index.astype(">u8").view(np.uint8).reshape(-1, 8)
        matrix = np.zeros((len(index), self.width), dtype=np.uint8)
        take = min(8, self.width)
        matrix[:, self.width - take :] = wide[:, 8 - take :]
        return self._arrow(matrix)
