"""Counter-based random streams: one per (seed, table, column, purpose) and block of rows.

A value depends only on its row's block, never on where a chunk starts, so any chunking or
worker count gives the same data row for row.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

BLOCK_ROWS = 65536  # fixed forever: changing it changes every generated value


def name_key(seed: int, *names: str) -> int:
    """A 128-bit key for a seed and a path of names (table, column, purpose)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(str(int(seed)).encode())
    for name in names:
        digest.update(b"\x00" + name.encode())
    return int.from_bytes(digest.digest(), "little")


@dataclass(frozen=True)
class Stream:
    """Random draws for one purpose of one column, addressed by block index."""

    key: int

    @classmethod
    def of(cls, seed: int, *names: str) -> "Stream":
        return cls(name_key(seed, *names))

    def rng(self, block: int) -> np.random.Generator:
        seq = np.random.SeedSequence(self.key, spawn_key=(int(block),))
        return np.random.Generator(np.random.SFC64(seq))

    @property
    def salt(self) -> np.uint64:
        """64 bits of the key, for stateless hashing of row indices."""
        return np.uint64(self.key & 0xFFFFFFFFFFFFFFFF)


def blocks(start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(block, first, last) for the rows [start, end), offsets relative to the block."""
    block = start // BLOCK_ROWS
    while start < end:
        block_start = block * BLOCK_ROWS
        stop = min(end, block_start + BLOCK_ROWS)
        yield block, start - block_start, stop - block_start
        start = stop
        block += 1


def block_size(block: int, rows: int) -> int:
    """Rows in ``block`` of a table of ``rows`` rows (the last block may be short)."""
    return max(0, min(BLOCK_ROWS, rows - block * BLOCK_ROWS))


_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def mix64(values: np.ndarray, salt: np.uint64) -> np.ndarray:
    """splitmix64 finaliser of (value + salt): a stateless, well-spread hash of row indices."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) + salt * _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def null_mask(stream: Stream, ratio: float, start: int, end: int, rows: int) -> np.ndarray | None:
    """True where the row is NULL, at ``ratio``, as a pure function of each row's block."""
    if ratio <= 0:
        return None
    parts = []
    for block, first, last in blocks(start, end):
        draws = stream.rng(block).random(block_size(block, rows))
        parts.append(draws[first:last] < ratio)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)
