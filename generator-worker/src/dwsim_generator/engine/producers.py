"""Producers make one or more columns of a chunk; index-derived ones also answer for any rows.

A child's foreign key asks its parent's producers for the key values at drawn parent indices
(``at``), so a chunk never reads another chunk or table.
"""

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.arrays import with_nulls
from dwsim_generator.engine.columns.base import ColumnContext, Maker
from dwsim_generator.engine.fanout import Fanout
from dwsim_generator.engine.keys import IndexMap, mixed_radix
from dwsim_generator.engine.numbers import Num, to_num
from dwsim_generator.engine.rows import Rows, gather_blocks, gather_numbers
from dwsim_generator.engine.streams import block_size, blocks, mix64, null_mask
from dwsim_generator.engine.writer import DELTA, DICTIONARY, PLAIN, SMALL_RANGE

if TYPE_CHECKING:
    from dwsim_generator.engine.table_plan import TablePlan

Arrays = dict[str, pa.Array | pa.ChunkedArray]


class Producer:
    columns: list[str]
    reads_parents = False  # foreign keys: a chunk asks the parent's producers for keys

    def chunk(self, start: int, end: int) -> Arrays:
        raise NotImplementedError

    def at(self, rows: np.ndarray) -> Arrays | None:
        """Values at arbitrary row indices, or None if this producer's values are random."""
        return None

    def produce(self, rows: "Rows") -> Arrays:
        """The columns at ``rows`` (a range or any indices), for rows being made together."""
        if rows.is_range:
            return self.chunk(rows.start, rows.end)
        out = self.at(rows.index)
        if out is None:
            raise TypeError(f"{type(self).__name__} has no value at an arbitrary row")
        return out


class RandomColumn(Producer):
    """Independent random values, drawn block by block."""

    CACHED_BLOCKS = 8

    def __init__(self, ctx: ColumnContext, maker: Maker, null_ratio: float):
        self.columns = [ctx.column.name]
        self.ctx, self.maker, self.null_ratio = ctx, maker, null_ratio
        self.values, self.nulls = ctx.stream("values"), ctx.stream("nulls")
        self.encoding = None  # how the writer stores it (None: its defaults)
        if maker.spread_numbers:
            small = 0 < maker.capacity() <= SMALL_RANGE
            self.encoding = DICTIONARY if small else PLAIN
        self.cache: dict[int, pa.Array] = {}  # blocks made for ``at`` (lookups read them again)
        self.number_cache: dict[int, Num] = {}

    def chunk(self, start: int, end: int) -> Arrays:
        pieces = []
        for block, first, last in blocks(start, end):
            size = block_size(block, self.ctx.rows)
            array = self.maker.sample_block(self.values.rng(block), block, size)
            if self.null_ratio > 0:
                mask = self.nulls.rng(block).random(size) < self.null_ratio
                array = with_nulls(array, mask)
            pieces.append(array.slice(first, last - first))
        kind = pieces[0].type if pieces else self.maker.arrow_type
        return {self.columns[0]: pa.chunked_array(pieces, kind)}

    def _block(self, block: int, size: int) -> pa.Array:
        cached = self.cache.get(block)
        if cached is not None:
            return cached
        array = self.maker.sample_block(self.values.rng(block), block, size)
        if self.null_ratio > 0:
            array = with_nulls(array, self.nulls.rng(block).random(size) < self.null_ratio)
        if len(self.cache) >= self.CACHED_BLOCKS:
            self.cache.pop(next(iter(self.cache)))
        self.cache[block] = array
        return array

    def at(self, rows: np.ndarray) -> Arrays:
        """Values at any rows (a lookup's parent rows): the blocks they fall in, made whole."""
        return {self.columns[0]: gather_blocks(rows, self.ctx.rows, self._block)}

    def numbers(self, rows: "Rows", name: str) -> Num:
        """Numbers at any rows, from blocks kept as numbers (a lookup reads them again)."""
        if rows.is_range:
            return to_num(rows.column(name))
        return gather_numbers(rows.index, self.ctx.rows, self._number_block)

    def _number_block(self, block: int, size: int) -> Num:
        cached = self.number_cache.get(block)
        if cached is None:
            if len(self.number_cache) >= self.CACHED_BLOCKS:
                self.number_cache.pop(next(iter(self.number_cache)))
            cached = self.number_cache[block] = to_num(self._block(block, size))
        return cached


class KeyColumn(Producer):
    """Distinct (or sequential) values from the row index: maker.from_index(k(row))."""

    def __init__(self, ctx: ColumnContext, maker: Maker, null_ratio: float):
        self.columns = [ctx.column.name]
        self.ctx, self.maker, self.null_ratio = ctx, maker, null_ratio
        scramble = not maker.sequential
        self.encoding = DELTA if maker.sequential else None  # a sequence: one delta
        self.index = IndexMap(ctx.rows, maker.capacity(), ctx.stream("key").salt, scramble)
        self.nulls = ctx.stream("nulls")

    def chunk(self, start: int, end: int) -> Arrays:
        values = self.maker.from_index(self.index(np.arange(start, end, dtype=np.int64)))
        mask = null_mask(self.nulls, self.null_ratio, start, end, self.ctx.rows)
        return {self.columns[0]: with_nulls(values, mask)}

    def at(self, rows: np.ndarray) -> Arrays:
        return {self.columns[0]: self.maker.from_index(self.index(rows))}


class TupleKey(Producer):
    """Columns unique together: the row index (scrambled) in a mixed radix of their capacities."""

    def __init__(self, ctxs: list[ColumnContext], makers: list[Maker], radices: list[int]):
        self.columns = [c.column.name for c in ctxs]
        self.makers, self.radices = makers, radices
        total = int(np.prod(radices, dtype=object))
        self.index = IndexMap(ctxs[0].rows, total, ctxs[0].stream("tuple").salt)

    def at(self, rows: np.ndarray) -> Arrays:
        digits = mixed_radix(self.index(rows), self.radices)
        return {
            n: m.from_index(d) for n, m, d in zip(self.columns, self.makers, digits, strict=True)
        }

    def chunk(self, start: int, end: int) -> Arrays:
        return self.at(np.arange(start, end, dtype=np.int64))


class ParentKeys:
    """The referenced columns of a parent table, read by index and cast to the child's types."""

    def __init__(self, parent: "TablePlan", columns: list[str], children: list[ColumnContext]):
        self.parent, self.columns, self.children = parent, columns, children

    def __call__(self, parent_rows: np.ndarray) -> list[pa.Array]:
        values = self.parent.values_at(self.columns, parent_rows)
        out = []
        for name, child in zip(self.columns, self.children, strict=True):
            try:
                out.append(values[name].cast(child.arrow_type))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                parent_type = self.parent.table.column(name).type.raw
                raise child.error(
                    f"foreign key values from {self.parent.table.name}.{name} ({parent_type}) "
                    f"cannot be stored in a {child.column.type.raw} column"
                ) from None
        return out


class ForeignKey(Producer):
    """Foreign-key columns: a parent row index per child row, then the parent's key there.

    ``layout`` decides the parent index: ``fanout`` (children laid out parent by parent, with
    an optional position column numbering them from 1), ``one_to_one`` (an injective map, for
    keys that are also unique), ``random`` (uniform or skewed draws) or ``geo`` (the row of a
    lookup table listing the entry of the row's place: its country, region or currency).
    """

    reads_parents = True

    def __init__(
        self,
        ctxs: list[ColumnContext],
        keys: ParentKeys,
        parents: int,
        layout: str,
        null_ratio: float,
        fanout: Fanout | None = None,
        position: ColumnContext | None = None,
        geo=None,  # type: ignore[no-untyped-def]
    ):
        self.ctxs, self.keys, self.parents, self.layout = ctxs, keys, parents, layout
        self.columns = [c.column.name for c in ctxs]
        self.position = position
        if position is not None:
            self.columns.append(position.column.name)
        self.fanout, self.null_ratio = fanout, null_ratio
        self.encoding = DELTA if layout == "fanout" else None  # runs of a key, 1..n positions
        self.rows = ctxs[0].rows
        self.draws, self.nulls = ctxs[0].stream("fk-parent"), ctxs[0].stream("fk-nulls")
        if layout == "one_to_one":
            self.index = IndexMap(self.rows, parents, ctxs[0].stream("fk-one").salt)
        self.geo = geo  # layout "geo": the lookup row of each row's place (GeoLink)

    def _parents(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        if self.layout == "fanout":
            assert self.fanout is not None
            return self.fanout.parent_of(rows)
        if self.layout == "one_to_one":
            return self.index(rows), None
        raise TypeError("random foreign keys have no value at an arbitrary row")

    def _parents_range(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray | None]:
        if self.layout == "fanout":
            assert self.fanout is not None
            return self.fanout.parent_of_range(start, end)
        return self._parents(np.arange(start, end, dtype=np.int64))

    def _random_parents(self, start: int, end: int) -> np.ndarray:
        pieces = []
        for block, first, last in blocks(start, end):
            u = self.draws.rng(block).random(block_size(block, self.rows))[first:last]
            pieces.append(self._pick(u))
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)

    def _pick(self, u: np.ndarray) -> np.ndarray:
        if self.fanout is not None:
            return self.fanout.draw(u)
        return np.minimum((u * self.parents).astype(np.int64), self.parents - 1)

    def parent_index(self, rows: "Rows") -> tuple[np.ndarray, np.ndarray | None]:
        """(parent row index, position among its siblings or None) of each of ``rows``."""

        def make() -> tuple[np.ndarray, np.ndarray | None]:
            if self.layout == "geo":
                return self.geo(rows), None
            if self.layout != "random":
                return (
                    self._parents_range(rows.start, rows.end)
                    if rows.is_range
                    else self._parents(rows.index)
                )
            if rows.is_range:
                return self._random_parents(rows.start, rows.end), None
            u = rows.draws(self.rows, lambda block, size: self.draws.rng(block).random(size))
            return self._pick(u), None

        return rows.remember((id(self), "parents"), make)

    def null_rows(self, rows: "Rows") -> np.ndarray | None:
        """True where the foreign key is NULL (such rows belong to no parent)."""
        if self.null_ratio <= 0:
            return None

        def make() -> np.ndarray:
            if rows.is_range:
                return null_mask(self.nulls, self.null_ratio, rows.start, rows.end, self.rows)
            return rows.draws(
                self.rows, lambda b, size: self.nulls.rng(b).random(size) < self.null_ratio
            )

        return rows.remember((id(self), "nulls"), make)

    def produce(self, rows: "Rows") -> Arrays:
        parents, position = self.parent_index(rows)
        return self._arrays(parents, position, self.null_rows(rows))

    def _arrays(self, parents: np.ndarray, position: np.ndarray | None, mask) -> Arrays:
        out: Arrays = {}
        for ctx, values in zip(self.ctxs, self.keys(parents), strict=True):
            out[ctx.column.name] = with_nulls(values, mask)
        if self.position is not None and position is not None:
            out[self.position.column.name] = pa.array(position + 1).cast(self.position.arrow_type)
        return out

    def chunk(self, start: int, end: int) -> Arrays:
        if self.layout == "geo":
            return self.produce(Rows(self.geo.plan, start, end))
        if self.layout == "random":
            parents, position = self._random_parents(start, end), None
        else:
            parents, position = self._parents_range(start, end)
        mask = null_mask(self.nulls, self.null_ratio, start, end, self.rows)
        return self._arrays(parents, position, mask)

    def at(self, rows: np.ndarray) -> Arrays | None:
        if self.layout == "random":
            return None
        if self.layout == "geo":
            return self.produce(Rows(self.geo.plan, index=rows))
        parents, position = self._parents(rows)
        return self._arrays(parents, position, None)


class NullColumns(Producer):
    """Nullable foreign-key columns whose parent has no rows: NULL throughout."""

    def __init__(self, ctxs: list[ColumnContext]):
        self.ctxs = ctxs
        self.columns = [c.column.name for c in ctxs]

    def chunk(self, start: int, end: int) -> Arrays:
        return {c.column.name: pa.nulls(end - start, c.arrow_type) for c in self.ctxs}

    def at(self, rows: np.ndarray) -> Arrays:
        return self.chunk(0, len(rows))


class Grid(Producer):
    """A key made of two foreign keys, e.g. partsupp(part, supplier): a bijection onto the grid.

    part = i mod P, supplier = (i div P + offset(part)) mod S, so every tuple is distinct and
    both foreign keys hold; at most P x S rows.
    """

    reads_parents = True

    def __init__(self, first: ParentKeys, second: ParentKeys, sizes: tuple[int, int],
                 ctxs: tuple[list[ColumnContext], list[ColumnContext]], salt: np.uint64):  # fmt: skip
        self.first, self.second, self.sizes, self.salt = first, second, sizes, salt
        self.ctxs = [*ctxs[0], *ctxs[1]]
        self.sides = ([c.column.name for c in ctxs[0]], [c.column.name for c in ctxs[1]])
        self.columns = [c.column.name for c in self.ctxs]

    def pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(first parent index, second parent index) of each row."""
        p, s = self.sizes
        a = rows % p
        offset = (mix64(a, self.salt) % np.uint64(s)).astype(np.int64)
        return a, (rows // p + offset) % s

    def parent_index(self, rows: "Rows", side: int) -> tuple[np.ndarray, None]:
        pair = rows.remember((id(self), "pairs"), lambda: self.pairs(rows.index))
        return pair[side], None

    def at(self, rows: np.ndarray) -> Arrays:
        a, b = self.pairs(rows)
        values = [*self.first(a), *self.second(b)]
        return dict(zip(self.columns, values, strict=True))

    def chunk(self, start: int, end: int) -> Arrays:
        return self.at(np.arange(start, end, dtype=np.int64))
