"""Predict a run before it runs: seconds on N generator processes and bytes staged.

Each table costs its rows times (the base cost of a row, its key and its share of the
Parquet part, plus each column's cost per value by its kind, ``kinds.py``) and a fixed cost
per part; a run costs the fixed time of planning (per run and per table) plus its chunks
shared out over the workers, largest first, as the engine schedules them. The coefficients are measured by ``bench/bench_cost_model.py --write``
into ``coefficients.json`` beside this module (see docs/performance.md).
"""

import heapq
import json
import math
import re
from functools import cache
from importlib.resources import files

from dwsim_shared.contracts.api import Estimate, TableEstimate
from dwsim_shared.contracts.schema import Column, Experiment, Table
from dwsim_shared.contracts.sizing import human_bytes
from dwsim_shared.cost.kinds import CostKind, column_kind, text_length

CHUNK_ROWS = 1 << 20  # rows per Parquet part when a run does not say (the engine's default)
DICTIONARY_VALUES = 1 << 16  # up to this many distinct integers, Parquet keeps a dictionary
EXACT_CHUNKS = 4096  # up to this many chunks, their schedule is simulated one by one


@cache
def coefficients() -> dict:
    """``coefficients.json``: seconds and bytes per row and per value of each kind."""
    return json.loads(files("dwsim_shared.cost").joinpath("coefficients.json").read_text())


def table_costs(experiment: Experiment, table: Table, rows: dict[str, int]) -> tuple[float, float]:
    """(CPU seconds, staged bytes) per row of ``table`` in a run of ``rows`` per table."""
    model, run = coefficients(), _Run(experiment, rows)
    seconds, size = model["row"]["seconds"], model["row"]["bytes"]
    for column in table.columns:
        cost = _column_cost(run, table, column)
        seconds, size = seconds + cost[0], size + cost[1]
    return seconds, size


class _Run:
    def __init__(self, experiment: Experiment, rows: dict[str, int]):
        self.tables = {t.name.lower(): t for t in experiment.tables}
        self.rows = {name.lower(): count for name, count in rows.items()}

    def column(self, ref: str) -> tuple[Table, Column] | None:
        """``table.column`` of a rule's ref (None when it names no column)."""
        table_name, _, column_name = ref.rpartition(".")
        table = self.tables.get(table_name.lower())
        found = [c for c in table.columns if c.name.lower() == column_name.lower()] if table else []
        return (table, found[0]) if table and found else None


def _column_cost(run: _Run, table: Table, column: Column, depth: int = 0) -> tuple[float, float]:
    """(seconds, bytes) per value of ``column``, with what it makes the engine compute again:
    the parent's column a lookup reads, the child rows an aggregate sums."""
    kinds = coefficients()["kinds"]
    kind = column_kind(table, column)
    if kind == CostKind.SEQUENCE_KEY or depth > 3:
        return 0.0, 0.0  # the row's base cost is a one-column key's table
    seconds, size = kinds[kind.value]["seconds"], kinds[kind.value]["bytes"]
    rule = column.rule
    if kind == CostKind.TEXT:
        factor = text_length(column) / coefficients()["text_reference_length"]
        fixed = min(coefficients().get("text_fixed_seconds", 0.0), seconds)
        seconds, size = fixed + (seconds - fixed) * factor, size * factor
    elif kind == CostKind.SKEWED_FOREIGN_KEY:
        parent = next(fk.references_table for fk in table.foreign_keys
                      if column.name.lower() in (c.lower() for c in fk.columns))  # fmt: skip
        seconds *= math.log2(run.rows.get(parent.lower(), 1) + 1)
    elif kind == CostKind.NUMBER:
        size = _number_bytes(column, size)
    elif rule is not None and rule.ref and kind in (CostKind.LOOKUP, CostKind.AFTER):
        source = run.column(rule.ref) if "." in rule.ref else None
        if source is not None:  # the parent row's value, computed again
            seconds += _column_cost(run, *source, depth + 1)[0]
            if kind == CostKind.AFTER:
                seconds += kinds[CostKind.LOOKUP.value]["seconds"]
            if depth:  # for an aggregate: the foreign key to that parent, drawn again too
                seconds += sum(
                    _column_cost(run, table, key, depth + 1)[0]
                    for key in _foreign_key_columns(table, source[0].name)
                )
    elif kind == CostKind.AGGREGATE and rule is not None and rule.ref:
        seconds = _aggregate_seconds(run, table, rule.ref, rule.expression, seconds, depth)
    return seconds, size


def _number_bytes(column: Column, measured: float) -> float:
    """Integers of a small range are dictionary-encoded: a few bits a value, not a word."""
    rule = column.rule
    if (
        rule is None
        or not isinstance(rule.min, int | float)
        or not isinstance(rule.max, int | float)
    ):
        return measured
    distinct = abs(rule.max - rule.min) + 1
    if distinct > DICTIONARY_VALUES:
        return measured
    return min(measured, max(math.log2(distinct + 1), 1) / 8)


def _foreign_key_columns(table: Table, parent: str) -> list[Column]:
    names = {c.lower() for fk in table.foreign_keys if fk.references_table.lower() == parent.lower()
             for c in fk.columns}  # fmt: skip
    return [c for c in table.columns if c.name.lower() in names]


def _aggregate_seconds(
    run: _Run, table: Table, ref: str, expression: str | None, per_child: float, depth: int
) -> float:
    """An aggregate's seconds per parent row: its children's, and the child columns it reads."""
    child_name, _, column_name = ref.partition(".")
    child = run.tables.get(child_name.lower())
    if child is None:
        return per_child
    text = f"{column_name} {expression or ''}".lower()
    for column in child.columns:
        if re.search(rf"\b{re.escape(column.name.lower())}\b", text):
            per_child += _column_cost(run, child, column, depth + 1)[0]
    parents = run.rows.get(table.name.lower(), 0)
    return per_child * run.rows.get(child.name.lower(), 0) / parents if parents else 0.0


def predict(
    experiment: Experiment, rows: dict[str, int], workers: int = 1, chunk_rows: int | None = None
) -> Estimate:
    """The estimate for ``rows`` per table (``resolve_rows``'s answer) on ``workers``."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    model = coefficients()
    part = model["part_seconds"]  # a part's own cost: its file, its blocks' set-up
    tables, chunks = [], []
    for table in experiment.tables:
        count = rows.get(table.name, 0)
        seconds, size = table_costs(experiment, table, rows)
        parts = math.ceil(count / chunk_rows) if count else 0
        tables.append(
            TableEstimate(
                table=table.name,
                rows=count,
                chunks=parts,
                cpu_seconds=round(seconds * count + part * parts, 3),
                bytes=round(size * count),
            )
        )
        full, rest = divmod(count, chunk_rows)
        chunks += [(seconds * chunk_rows + part, full)] + (
            [(seconds * rest + part, 1)] if rest else []
        )
    planning = model["fixed_seconds"] + model["table_seconds"] * sum(t.rows > 0 for t in tables)
    cpu = sum(cost * n for cost, n in chunks) + planning
    wall = planning + _makespan(chunks, workers)
    return Estimate(
        workers=workers,
        rows_total=sum(t.rows for t in tables),
        seconds=round(wall, 3),
        cpu_seconds=round(cpu, 3),
        bytes=sum(t.bytes for t in tables),
        tables=tables,
    )


def _makespan(chunks: list[tuple[float, int]], workers: int) -> float:
    """When the last chunk ends, each given to the first free worker, largest first
    (``chunks``: (seconds, how many chunks take that long))."""
    chunks = [(cost, n) for cost, n in chunks if n]
    count = sum(n for _, n in chunks)
    if not count:
        return 0.0
    longest = max(cost for cost, _ in chunks)
    if count > EXACT_CHUNKS or workers >= count:
        return max(sum(cost * n for cost, n in chunks) / workers, longest)
    loads = [0.0] * workers
    for cost in sorted((cost for cost, n in chunks for _ in range(n)), reverse=True):
        heapq.heapreplace(loads, loads[0] + cost)
    return max(loads)


def format_estimate(estimate: Estimate) -> str:
    """The estimate as a table per table and a total line, as the CLIs print it."""
    lines = [f"{'table':<24} {'rows':>14} {'parts':>6} {'CPU s':>9} {'Parquet':>10}"]
    for t in estimate.tables:
        lines.append(
            f"{t.table:<24} {t.rows:>14,} {t.chunks:>6} {t.cpu_seconds:>9.2f} "
            f"{human_bytes(t.bytes):>10}"
        )
    plural = "es" if estimate.workers > 1 else ""
    lines.append(
        f"about {estimate.seconds:,.1f} s on {estimate.workers} process{plural} "
        f"({estimate.cpu_seconds:,.1f} CPU s) for {estimate.rows_total:,} rows, "
        f"about {human_bytes(estimate.bytes)} of Parquet"
    )
    return "\n".join(lines)
