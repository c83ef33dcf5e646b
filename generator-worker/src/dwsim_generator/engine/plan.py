"""A run's plan: row counts, the chunks of each table, and every check made before any work."""

import math
from dataclasses import dataclass, field

import pyarrow as pa

from dwsim_generator.engine.columns.faker_values import FakerValues
from dwsim_generator.engine.errors import GenerationError
from dwsim_generator.engine.table_plan import TablePlan, canonical_table
from dwsim_shared.contracts.graph import load_order
from dwsim_shared.contracts.schema import Experiment, Table

DEFAULT_CHUNK_ROWS = 1 << 20  # a whole number of 64Ki-row blocks: no block is drawn twice
MAX_SEED = 2**63 - 1


def resolve_rows(
    experiment: Experiment,
    rows: dict[str, int] | None = None,
    scale: float | None = None,
    total: int | None = None,
) -> dict[str, int]:
    """Rows per table: explicit counts win; otherwise the schema's count times ``scale``, or
    times whatever brings the whole schema to about ``total`` rows. Lookup tables (sizing
    ``scales: false``) keep their count either way."""
    if scale is not None and (not math.isfinite(scale) or scale < 0):
        raise GenerationError(f"scale must be a non-negative number, not {scale}")
    if total is not None and total < 0:
        raise GenerationError(f"total rows must be >= 0, not {total}")
    names = {t.name.lower(): t.name for t in experiment.tables}
    explicit: dict[str, int] = {}
    for name, count in (rows or {}).items():
        if name.lower() not in names:
            known = ", ".join(t.name for t in experiment.tables)
            raise GenerationError(f"rows given for unknown table {name!r} (tables: {known})")
        if int(count) < 0:
            raise GenerationError(f"rows must be >= 0, not {count}", names[name.lower()])
        explicit[names[name.lower()]] = int(count)
    scaled = {t.name for t in experiment.tables if t.name not in explicit and _scales(t)}
    if total is not None:
        fixed = sum(explicit.values()) + sum(
            t.target_rows for t in experiment.tables if t.name not in explicit and not _scales(t)
        )
        base = sum(t.target_rows for t in experiment.tables if t.name in scaled)
        scale = max(total - fixed, 0) / base if base else 1.0
    out = {}
    for table in experiment.tables:
        if table.name in explicit:
            out[table.name] = explicit[table.name]
        elif table.name in scaled and scale is not None:
            count = round(table.target_rows * scale)
            # a scaled-down table keeps one row, so its children still have a parent
            out[table.name] = max(count, 1) if table.target_rows and scale else count
        else:
            out[table.name] = table.target_rows
    if scale is not None:
        _cap_scaled(experiment, out, scaled)
    return out


def _scales(table: Table) -> bool:
    return table.sizing is None or table.sizing.scales


def _cap_scaled(experiment: Experiment, rows: dict[str, int], scaled: set[str]) -> None:
    """Scaled tables keep within what their keys allow: a unique foreign key needs a parent
    row each, a key made of two foreign keys at most one row per pair of parents."""
    for name in load_order(experiment):
        table = experiment.table(name)
        if name not in scaled:
            continue
        keys = [set(table.primary_key)] if table.primary_key else []
        keys += [set(u.columns) for u in table.unique]
        parents = [
            (set(fk.columns), rows[canonical_table(experiment, fk.references_table)])
            for fk in table.foreign_keys
            if canonical_table(experiment, fk.references_table) != name
        ]
        for columns, size in parents:
            if columns in keys:
                rows[name] = min(rows[name], size)
        for i, (first, size_a) in enumerate(parents):
            for second, size_b in parents[i + 1 :]:
                if first | second in keys:
                    rows[name] = min(rows[name], size_a * size_b)


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
    counts = resolve_rows(experiment, rows, scale, total)
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
