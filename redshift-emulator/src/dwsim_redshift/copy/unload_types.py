"""PostgreSQL CSV text + result column OIDs -> typed Arrow columns (for Parquet UNLOAD)."""

import pyarrow as pa
import pyarrow.compute as pc

from dwsim_redshift.copy import parse
from dwsim_redshift.copy.errors import CopyError

_SIMPLE = {
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    700: pa.float32(),
    701: pa.float64(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", "UTC"),
}
BOOL_OID, NUMERIC_OID, BYTEA_OID = 16, 1700, 17


def numeric_scale(arr: pa.Array) -> int:
    """Most digits after the point among the values (PostgreSQL prints NUMERIC with its scale)."""
    return parse.fraction_digits(arr)


def typed_batch(
    batch: pa.RecordBatch, columns: list[tuple[str, int]], scales: dict[int, int]
) -> pa.Table:
    arrays = [
        _typed(batch.column(i), oid, name, scales.get(i, 0))
        for i, (name, oid) in enumerate(columns)
    ]
    return pa.table(dict(zip(_unique([name for name, _ in columns]), arrays, strict=True)))


def _typed(arr: pa.Array, oid: int, name: str, scale: int) -> pa.Array:
    if oid in _SIMPLE:
        return pc.cast(arr, _SIMPLE[oid])
    if oid == BOOL_OID:
        return parse.parse_bool(arr).values
    if oid == BYTEA_OID:
        return parse.parse_hex(arr).values
    if oid == NUMERIC_OID:
        outcome = parse.parse_decimal(arr, pa.decimal128(38, scale))
        if outcome.first_bad() is not None:
            raise CopyError(
                f"UNLOAD cannot write column '{name}' to Parquet: a value does not fit DECIMAL(38,{scale})"
            )
        return outcome.values
    return arr


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n}_{seen[n]}")
        else:
            seen[n] = 0
            out.append(n)
    return out
