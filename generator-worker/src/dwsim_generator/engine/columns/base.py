"""What every column family implements, and the context a column is built in."""

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.arrow_types import arrow_type, max_chars
from dwsim_generator.engine.errors import GenerationError
from dwsim_generator.engine.streams import Stream
from dwsim_shared.contracts.enums import TypeKind, Warehouse
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.schema import Column, Table
from dwsim_shared.warehouses.profiles import PROFILES, LengthUnit

UNBOUNDED = 2**62  # capacity of families whose distinct values never run out in practice


@dataclass
class ColumnContext:
    """One column of one table in one run: where values are made, and the limits they obey."""

    table: Table
    column: Column
    rule: GenerationRule
    rows: int
    seed: int
    warehouse: Warehouse
    unique: bool = False
    streams: dict[str, Stream] = field(default_factory=dict)
    # Does the warehouse count CHAR/VARCHAR lengths in bytes (Redshift) or characters
    # (Snowflake)? Looked up once here: ``fit`` and ``length`` run once per value.
    limit_in_bytes: bool = field(init=False)

    def __post_init__(self) -> None:
        self.limit_in_bytes = PROFILES[self.warehouse].text_length_unit == LengthUnit.BYTES

    @property
    def kind(self) -> TypeKind:
        return self.column.type.kind

    @property
    def arrow_type(self) -> pa.DataType:
        return arrow_type(self.column.type)

    @property
    def max_chars(self) -> int | None:
        return max_chars(self.column.type)

    def error(self, message: str) -> GenerationError:
        return GenerationError(message, self.table.name, self.column.name)

    def stream(self, purpose: str) -> Stream:
        if purpose not in self.streams:
            self.streams[purpose] = Stream.of(self.seed, self.table.name, self.column.name, purpose)
        return self.streams[purpose]

    def fit(self, text: str) -> str:
        """``text`` cut to the column's length limit (characters, or bytes on Redshift)."""
        limit = self.max_chars
        if limit is None:
            return text
        if self.limit_in_bytes:
            return text.encode()[:limit].decode(errors="ignore")
        return text[:limit]

    def length(self, text: str) -> int:
        return len(text.encode()) if self.limit_in_bytes else len(text)


class Maker:
    """A column family: random values per block, and (if it can) distinct values by index."""

    arrow_type: pa.DataType
    sequential = False  # values follow the row index (sequences): never permuted
    # Random numbers or times spread over a range: the writer stores them uncompressed (snappy
    # saves ~20% on them at 2-3x the write time), dictionary-encoded if the range is small.
    spread_numbers = False

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        raise NotImplementedError

    def sample_block(self, rng: np.random.Generator, block: int, n: int) -> pa.Array:
        """The values of one whole block of rows (families whose values follow the row order
        need to know which block)."""
        return self.sample(rng, n)

    def capacity(self) -> int:
        """How many distinct values ``from_index`` can make (0: this family cannot)."""
        return 0

    def from_index(self, index: np.ndarray) -> pa.Array:
        """Distinct values for distinct indices in [0, capacity)."""
        raise NotImplementedError
