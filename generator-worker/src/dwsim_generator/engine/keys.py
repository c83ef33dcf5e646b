"""Distinct values by construction: injective maps from row indices into a family's capacity.

Keys are built, never retried: row i gets value ``from_index(k(i))`` where ``k`` is injective,
so uniqueness holds for any chunk, computed alone.
"""

import math

import numpy as np

from dwsim_generator.engine.columns.base import UNBOUNDED
from dwsim_generator.engine.streams import mix64


class IndexMap:
    """An injective map [0, rows) -> [0, capacity), scrambled so keys do not follow row order.

    Small capacities use an affine bijection (a*i + b) mod C; large ones a stratified map
    (i * step + jitter, jitter < step); sequences and unbounded families use the index itself.
    """

    def __init__(self, rows: int, capacity: int, salt: np.uint64, scramble: bool = True):
        if rows > capacity:
            raise ValueError(f"{rows} distinct values asked of a capacity of {capacity}")
        self.rows, self.capacity, self.salt = rows, capacity, salt
        self.mode = "identity"
        if scramble and capacity < UNBOUNDED and capacity > 1:
            if capacity < 2**31:
                self.mode = "affine"
                a = int(salt % np.uint64(capacity)) | 1
                while math.gcd(a, capacity) != 1:
                    a += 1
                self.a, self.b = a % capacity or 1, int((salt >> np.uint64(17)) % capacity)
            else:
                self.mode = "stratified"
                self.step = capacity // max(rows, 1)

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        rows = rows.astype(np.int64)
        if self.mode == "affine":
            return (rows * self.a + self.b) % self.capacity
        if self.mode == "stratified":
            jitter = (mix64(rows, self.salt) % np.uint64(self.step)).astype(np.int64)
            return rows * self.step + jitter
        return rows


def tuple_capacities(capacities: list[int]) -> list[int]:
    """Capacities capped so that their product stays below ``UNBOUNDED``."""
    out, product = [], 1
    for capacity in capacities:
        capacity = max(1, min(capacity, UNBOUNDED // product))
        out.append(capacity)
        product *= capacity
    return out


def mixed_radix(index: np.ndarray, radices: list[int]) -> list[np.ndarray]:
    """Digits of ``index`` in the mixed radix ``radices`` (last digit least significant)."""
    digits = []
    rest = index.astype(np.int64)
    for radix in reversed(radices):
        digits.append(rest % radix)
        rest = rest // radix
    return digits[::-1]
