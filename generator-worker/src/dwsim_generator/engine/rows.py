"""A set of rows being made: a contiguous range (a chunk, a parent's children) or any indices.

Columns are computed on demand and kept, so a derived column reads the other columns of its
rows (and the foreign keys' parent indices) once, whatever asks first. Random draws at
arbitrary rows regenerate the blocks those rows fall in: a value stays a pure function of
(seed, table, column, row).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.numbers import Num, to_num
from dwsim_generator.engine.streams import BLOCK_ROWS, block_size, blocks

BLOCK_BITS = BLOCK_ROWS.bit_length() - 1
assert 1 << BLOCK_BITS == BLOCK_ROWS
SMALL_TABLE = 8 * BLOCK_ROWS  # a table this small is read whole by lookups (its blocks are kept)

if TYPE_CHECKING:
    from dwsim_generator.engine.table_plan import TablePlan


class Rows:
    """Rows ``[start, end)`` of a table, or the rows at ``index`` (any order, repeats allowed)."""

    def __init__(
        self, plan: "TablePlan", start: int = 0, end: int = 0, index: np.ndarray | None = None
    ):
        self.plan = plan
        self.start, self.end = start, end
        self._index = index
        self.is_range = index is None
        self.values: dict[str, pa.Array | pa.ChunkedArray] = {}
        self.numbers: dict[str, Num] = {}
        self.memo: dict[Any, Any] = {}  # per producer: parent indices, null masks

    @property
    def size(self) -> int:
        return self.end - self.start if self.is_range else len(self.index)

    @property
    def index(self) -> np.ndarray:
        if self._index is None:
            self._index = np.arange(self.start, self.end, dtype=np.int64)
        return self._index

    def column(self, name: str) -> pa.Array | pa.ChunkedArray:
        if name not in self.values:
            self.values.update(self.plan.by_column[name].produce(self))
        return self.values[name]

    def number(self, name: str) -> "Num":
        """A numeric column as numbers (decimals exact), without an Arrow round trip when its
        producer can make numbers directly (derived columns, random draws at any rows)."""
        if name not in self.numbers:
            producer = self.plan.by_column[name]
            make = getattr(producer, "numbers", None)
            if name in self.values or make is None:
                self.numbers[name] = to_num(self.column(name))
            else:
                self.numbers[name] = make(self, name)
        return self.numbers[name]

    def remember(self, key: Any, make: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]

    def draws(self, total: int, make_block: Callable[[int, int], Any]) -> Any:
        """Per-block draws (``make_block(block, block_size)``, a numpy or Arrow array of the whole
        block) at these rows, for a table of ``total`` rows."""
        if self.is_range:
            pieces = [make_block(b, block_size(b, total))[first:last]
                      for b, first, last in blocks(self.start, self.end)]  # fmt: skip
            return _concat(pieces or [make_block(0, 0)[:0]])
        return gather_blocks(self.index, total, make_block)


def positions(index: np.ndarray, total: int) -> tuple[np.ndarray, np.ndarray]:
    """(blocks the rows fall in, ascending; each row's place in those blocks concatenated)."""
    if total <= SMALL_TABLE:  # every block (they are kept): rows are their own places
        return np.arange(-(-total // BLOCK_ROWS)), index
    block_of = index >> BLOCK_BITS
    present = np.flatnonzero(np.bincount(block_of))
    # Blocks are whole except the table's last one, which sorts last: slot * BLOCK_ROWS is where
    # a block starts in the concatenation.
    slot = np.zeros(int(present[-1]) + 1, dtype=np.int64)
    slot[present] = np.arange(len(present)) << BLOCK_BITS
    return present, slot[block_of] + (index & (BLOCK_ROWS - 1))


def gather_blocks(index: np.ndarray, total: int, make_block: Callable[[int, int], Any]) -> Any:
    """``make_block``'s values at ``index``: each block touched is made once, whole."""
    if len(index) == 0:
        return _concat([make_block(0, 0)[:0]])
    present, local = positions(index, total)
    combined = _concat([make_block(int(b), block_size(int(b), total)) for b in present])
    if isinstance(combined, np.ndarray):
        return combined[local]
    return combined.take(pa.array(local))


def gather_numbers(index: np.ndarray, total: int, make_block: Callable[[int, int], "Num"]) -> "Num":
    """Like ``gather_blocks``, for blocks of numbers."""
    if len(index) == 0:
        first = make_block(0, 0)
        return Num(first.values[:0], first.scale)
    present, local = positions(index, total)
    nums = [make_block(int(b), block_size(int(b), total)) for b in present]
    values = nums[0].values if len(nums) == 1 else np.concatenate([n.values for n in nums])
    mask = None
    if any(n.mask is not None for n in nums):
        mask = np.concatenate([np.zeros(len(n.values), bool) if n.mask is None else n.mask
                               for n in nums])[local]  # fmt: skip
    return Num(values[local], nums[0].scale, mask)


def _concat(pieces: list) -> Any:
    if isinstance(pieces[0], np.ndarray):
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
    if len(pieces) == 1:
        return pieces[0]
    if isinstance(pieces[0], pa.ChunkedArray):
        pieces = [c for p in pieces for c in p.chunks]
    return pa.concat_arrays(pieces)
