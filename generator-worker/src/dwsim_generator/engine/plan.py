"""A run's plan: row counts, the chunks of each table, and every check made before any work."""

import math
from dataclasses import dataclass, field

import pyarrow as pa

from dwsim_generator.engine.columns.faker_values import FakerValues
from dwsim_generator.engine.errors import GenerationError
from dwsim_generator.engine.table_plan import TablePlan, canonical_table
from dwsim_shared.contracts.graph import load_order
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.sizing import SizingError, resolve_rows

DEFAULT_CHUNK_ROWS = 1 << 20  # a whole number of 64Ki-row blocks: no block is drawn twice
MAX_SEED = 2**63 - 1


@dataclass
class RunPlan:
    """Everything a worker needs to make any chunk of any table, in any order."""

    experiment: Experiment
    seed: int
    chunk_rows: int
    rows: dict[str, int]
    order: list[str]
    tables: dict[str, TablePlan] = field(repr=False)

    def chunk_count(self, table: str) -> int:
        """Parts of a table; an empty table still gets one (empty) part."""
        return chunk_count(self.rows[table], self.chunk_rows)

    def chunk_bounds(self, table: str, chunk: int) -> tuple[int, int]:
        if not 0 <= chunk < self.chunk_count(table):
            raise GenerationError(f"chunk {chunk} is out of range", table)
        start = chunk * self.chunk_rows
        return start, min(self.rows[table], start + self.chunk_rows)

    def tasks(self) -> list[tuple[str, int]]:
        """(table, chunk) for every part, parents first."""
        return [(t, c) for t in self.order for c in range(self.chunk_count(t))]

    def generate_chunk(self, table: str, chunk: int) -> pa.Table:
        """The rows of one chunk: a pure function of the plan, the table and the chunk index."""
        start, end = self.chunk_bounds(table, chunk)
        return self.tables[table].chunk(start, end)

    def faker_pools(self) -> dict:
        """The Faker pools this run uses, to hand to worker processes (Faker is ~50 us a value)."""
        pools = {}
        for table in self.tables.values():
            for maker in table.makers:
                if isinstance(maker, FakerValues):
                    pools[maker.pool_key] = maker.raw
        return pools

    def generate_rows(self, table: str, start: int, end: int) -> pa.Table:
        """Any row range of a table (the same rows whatever the chunking)."""
        start, end = max(0, start), min(self.rows[table], end)
        return self.tables[table].chunk(start, max(start, end))


def chunk_count(rows: int, chunk_rows: int) -> int:
    """Parts of a table of ``rows`` rows; an empty table still gets one (empty) part."""
    return max(1, math.ceil(rows / chunk_rows))


def check_max_rows(counts: dict[str, int], max_rows: int) -> None:
    """Refuse, before any work, a table asked for more rows than one run may make."""
    for table, count in counts.items():
        if count > max_rows:
            raise GenerationError(
                f"{count:,} rows were requested, above the limit of {max_rows:,} rows per table "
                "(DWSIM_MAX_ROWS); ask for fewer rows or raise the limit",
                table,
            )


def plan_run(
    experiment: Experiment,
    *,
    seed: int = 0,
    rows: dict[str, int] | None = None,
    scale: float | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    check_keys: bool = True,
    max_rows: int | None = None,
    total: int | None = None,
) -> RunPlan:
    """Check the request and plan the run; raises ``GenerationError`` naming table and column.

    ``check_keys`` makes the foreign keys of each table's first row, which proves every one
    can read its parent's keys (workers rebuilding a checked plan skip it). ``max_rows``
    refuses a table asked for more rows than that (the services' ``DWSIM_MAX_ROWS``).
    ``total``: about this many rows over the whole schema (see ``resolve_rows``).
    """
    if not 0 <= int(seed) <= MAX_SEED:
        raise GenerationError(f"seed must be between 0 and {MAX_SEED}, not {seed}")
    if chunk_rows < 1:
        raise GenerationError(f"chunk rows must be at least 1, not {chunk_rows}")
    try:  # the one definition of sizing, shared with the gateway
        counts = resolve_rows(experiment, rows, scale, total)
    except SizingError as exc:
        raise GenerationError(exc.message, exc.table) from None
    if max_rows is not None:
        check_max_rows(counts, max_rows)
    referenced: dict[str, list[tuple[str, ...]]] = {t.name: [] for t in experiment.tables}
    for table in experiment.tables:
        for fk in table.foreign_keys:
            parent = experiment.table(canonical_table(experiment, fk.references_table))
            names = {c.name.lower(): c.name for c in parent.columns}
            group = tuple(names[c.lower()] for c in fk.references_columns)
            if group not in referenced[parent.name]:
                referenced[parent.name].append(group)
    registry: dict[str, TablePlan] = {}
    for table in experiment.tables:
        registry[table.name] = TablePlan(
            experiment, table, int(seed), counts, referenced[table.name], registry
        )
    order = load_order(experiment)
    for name in order:
        registry[name].build()
    for name in order:  # derived columns find the producers they read
        registry[name].link()
    for name in order if check_keys else ():  # foreign keys find index-derived parent keys
        registry[name].check_keys()
    return RunPlan(experiment, int(seed), int(chunk_rows), counts, order, registry)
