"""Faker providers: a pool per column sampled by index; distinct strings get a row code."""

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.arrays import BASE36, DIGITS, digit_matrix, join_picked, width_for
from dwsim_generator.engine.columns.base import ColumnContext, Maker
from dwsim_generator.engine.columns.convert import to_arrow
from dwsim_generator.engine.columns.text import capacity_of
from dwsim_generator.engine.pools import POOL_SIZE, PoolError, faker_pool
from dwsim_generator.engine.streams import mix64, name_key

DEFAULT_LOCALE = "en_US"


class FakerValues(Maker):
    """Values of any Faker provider, drawn from a seeded pool of ``POOL_SIZE``."""

    def __init__(self, ctx: ColumnContext):
        rule = ctx.rule
        assert rule.provider is not None
        self.ctx = ctx
        self.arrow_type = ctx.arrow_type
        self.is_text = pa.types.is_string(self.arrow_type)
        seed = name_key(ctx.seed, ctx.table.name, ctx.column.name, "faker") & 0xFFFFFFFF
        self.pool_key = (
            rule.provider,
            rule.locale or DEFAULT_LOCALE,
            tuple(sorted(rule.params.items())),
            seed,
            POOL_SIZE,
        )
        # The pool's first value now (the provider, its arguments and the column type are
        # checked at planning); the whole pool when a chunk first needs it, so building pools
        # (Faker: ~60 us a value) is not serial time before worker processes start.
        self._convert(self._values(1))
        self.salt = ctx.stream("faker-pick").salt
        self._raw: tuple | None = None

    def _values(self, size: int) -> tuple:
        try:
            return faker_pool(*self.pool_key[:-1], size)
        except PoolError as exc:
            raise self.ctx.error(str(exc)) from None

    def _convert(self, raw: tuple) -> pa.Array:
        if self.is_text:
            raw = tuple(self.ctx.fit(v if isinstance(v, str) else str(v)) for v in raw)
        return to_arrow(list(raw), self.ctx, f"Faker {self.ctx.rule.provider!r}")

    @property
    def raw(self) -> tuple:
        """The pool's values, built on first use (the same whichever process builds them)."""
        if self._raw is None:
            raw = self._values(POOL_SIZE)
            self.pool = self._convert(raw)
            if self.ctx.unique and self.is_text:
                self._prepare_unique(raw)
            self._raw = raw
        return self._raw

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        _ = self.raw  # the pool, built on first use
        picks = rng.integers(0, len(self.pool), size=n).astype(np.int32)
        return pa.DictionaryArray.from_arrays(picks, self.pool)  # written as Parquet dictionary

    # Distinct values: pool text + fixed-width row code (before an email's '@domain').
    def _prepare_unique(self, raw: tuple) -> None:
        limit = self.ctx.max_chars
        rows = max(self.ctx.rows, 1)
        self.alphabet = DIGITS
        self.width = width_for(rows, 10)
        if limit is not None and self.width > limit:
            self.alphabet, self.width = BASE36, width_for(rows, 36)
        heads, tails = [], []
        for value in raw:
            text = value if isinstance(value, str) else str(value)
            at = text.rfind("@")
            head, tail = (text[:at], text[at:]) if at >= 0 else (text, "")
            room = None if limit is None else limit - self.width
            if room is not None and self.ctx.length(tail) > max(room - 1, 0):
                tail = ""
            if not tail:
                head = head.replace("@", ".")
            if room is not None:
                head = _cut(head, room - self.ctx.length(tail), self.ctx.limit_in_bytes)
            heads.append(head)
            tails.append(tail)
        self.heads, self.tails = pa.array(heads, pa.string()), pa.array(tails, pa.string())

    def capacity(self) -> int:
        if not self.is_text:
            return 0
        limit = self.ctx.max_chars
        if limit is None:
            return capacity_of(36, 16)
        return max(capacity_of(10, limit), capacity_of(36, limit))

    def from_index(self, index: np.ndarray) -> pa.Array:
        _ = self.raw
        pick = _below(mix64(index, self.salt), len(self.heads))
        code = digit_matrix(index, self.width, self.alphabet)
        return join_picked((self.heads, pick), (code, None), (self.tails, pick))


def _below(hashes: np.ndarray, size: int) -> np.ndarray:
    """``hashes % size`` (a mask when size is a power of two, as pools are: same values)."""
    if size & (size - 1) == 0:
        return (hashes & np.uint64(size - 1)).astype(np.int32)
    return (hashes % np.uint64(size)).astype(np.int32)


def _cut(text: str, room: int, in_bytes: bool) -> str:
    room = max(room, 0)
    if in_bytes:
        return text.encode()[:room].decode(errors="ignore")
    return text[:room]
