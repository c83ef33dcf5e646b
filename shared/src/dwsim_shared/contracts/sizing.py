"""A rough size of what a run will stage, from the column types alone, before anything runs.

Staged parts are snappy Parquet. The estimate is meant to say "about 40 MB" or "about 4 GB"
before a run starts (within a factor of ~1.5 on the schemas measured); once parts exist,
progress extrapolates from the bytes actually staged (``extrapolate_bytes``).
"""

from dwsim_shared.contracts.enums import TypeKind
from dwsim_shared.contracts.schema import Experiment, Table

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
