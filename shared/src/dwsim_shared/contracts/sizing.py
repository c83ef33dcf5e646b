"""How big a run is: its rows per table (``resolve_rows``, the one definition of sizing by
``scale`` or a total, used by ``dwsim generate`` and the gateway alike).

What a run will take before it starts (seconds and bytes staged) is the cost model's
(``dwsim_shared.cost.predict``); once parts exist, progress extrapolates from the bytes
actually staged (``extrapolate_bytes``).
"""

import math

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
