"""How big a run is: its rows per table (``resolve_rows``, the one definition of sizing by
``scale`` or a total, used by ``dwsim generate`` and the gateway alike), and a rough size of
what it will stage, from the column types alone, before anything runs.

Staged parts are snappy Parquet. The estimate is meant to say "about 40 MB" or "about 4 GB"
before a run starts (within a factor of ~1.5 on the schemas measured); once parts exist,
progress extrapolates from the bytes actually staged (``extrapolate_bytes``).
"""

import math

from dwsim_shared.contracts.enums import TypeKind
from dwsim_shared.contracts.graph import load_order
from dwsim_shared.contracts.schema import Experiment, Table
from dwsim_shared.errors import DwsimError


class SizingError(DwsimError):
    """Rows that cannot be asked for (an unknown table, a negative count or scale)."""

    def __init__(self, message: str, table: str | None = None):
        self.message = message
        self.table = table
        super().__init__(f"{table}: {message}" if table else message)


def resolve_rows(
    experiment: Experiment,
    rows: dict[str, int] | None = None,
    scale: float | None = None,
    total: int | None = None,
) -> dict[str, int]:
    """Rows per table: explicit counts win; otherwise the schema's count times ``scale``, or
    times whatever brings the whole schema to about ``total`` rows. Lookup tables (sizing
    ``scales: false``) keep their count either way, and scaled tables stay within what their
    keys allow. Table names in ``rows`` match case-insensitively."""
    if scale is not None and (not math.isfinite(scale) or scale < 0):
        raise SizingError(f"scale must be a non-negative number, not {scale}")
    if total is not None and total < 0:
        raise SizingError(f"total rows must be >= 0, not {total}")
    names = {t.name.lower(): t.name for t in experiment.tables}
    explicit: dict[str, int] = {}
    for name, count in (rows or {}).items():
        if name.lower() not in names:
            known = ", ".join(t.name for t in experiment.tables)
            raise SizingError(f"rows given for unknown table {name!r} (tables: {known})")
        if int(count) < 0:
            raise SizingError(f"rows must be >= 0, not {count}", names[name.lower()])
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
    names = {t.name.lower(): t.name for t in experiment.tables}
    for name in load_order(experiment):
        table = experiment.table(name)
        if name not in scaled:
            continue
        keys = [set(table.primary_key)] if table.primary_key else []
        keys += [set(u.columns) for u in table.unique]
        parents = [
            (set(fk.columns), rows[names[fk.references_table.lower()]])
            for fk in table.foreign_keys
            if names[fk.references_table.lower()] != name
        ]
        for columns, size in parents:
            if columns in keys:
                rows[name] = min(rows[name], size)
        for i, (first, size_a) in enumerate(parents):
            for second, size_b in parents[i + 1 :]:
                if first | second in keys:
                    rows[name] = min(rows[name], size_a * size_b)


# Measured on TPC-H-shaped parts (bench/tpch_sf1.json): numbers, dates and short pool-drawn
# strings compress to a byte or two a value; long text columns (comments) hold ~a third of
# their declared length; UUIDs and JSON do not compress.
BYTES_PER_VALUE: dict[TypeKind, float] = {
    TypeKind.SMALLINT: 1.0,
    TypeKind.INTEGER: 1.5,
    TypeKind.BIGINT: 3.0,
    TypeKind.DECIMAL: 2.5,
    TypeKind.REAL: 4.0,
    TypeKind.DOUBLE: 8.0,
    TypeKind.DATE: 1.5,
    TypeKind.TIME: 4.0,
    TypeKind.TIMESTAMP: 4.0,
    TypeKind.TIMESTAMPTZ: 4.0,
    TypeKind.BOOLEAN: 0.2,
    TypeKind.UUID: 17.0,
    TypeKind.JSON: 40.0,
    TypeKind.OBJECT: 40.0,
    TypeKind.ARRAY: 30.0,
}
SHORT_TEXT = 32  # up to this length, strings are mostly drawn from pools: dictionary-encoded
SHORT_TEXT_BYTES = 2.0
LONG_TEXT_SHARE = 0.35  # of the declared length, for longer text
LONG_TEXT_MAX = 200.0


def row_bytes(table: Table) -> float:
    """Estimated staged bytes per row of ``table``."""
    total = 0.0
    for column in table.columns:
        kind = column.type.kind
        if kind in BYTES_PER_VALUE:
            total += BYTES_PER_VALUE[kind]
            continue
        length = column.type.length or 256  # CHAR, VARCHAR, TEXT, BINARY
        if length <= SHORT_TEXT:
            total += SHORT_TEXT_BYTES
        else:
            total += min(length * LONG_TEXT_SHARE, LONG_TEXT_MAX)
    return total


def estimate_bytes(experiment: Experiment, rows: dict[str, int]) -> int:
    """Estimated staged bytes for ``rows`` per table (tables not named: none)."""
    by_name = {t.name: t for t in experiment.tables}
    return int(sum(row_bytes(by_name[name]) * n for name, n in rows.items() if name in by_name))


def extrapolate_bytes(bytes_done: int, rows_done: int, rows_total: int) -> int | None:
    """Bytes the whole run will stage at the rate seen so far (None before the first part)."""
    if rows_done <= 0:
        return None
    return int(bytes_done / rows_done * rows_total)


def human_bytes(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(size) < 1000 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} TB"
