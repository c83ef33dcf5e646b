"""PostgreSQL CSV output + result column OIDs -> a typed Arrow table (for Parquet UNLOAD)."""

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

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
_BOOL, _NUMERIC, _BYTEA = 16, 1700, 17


def arrow_table(data: bytes, columns: list[tuple[str, int]]) -> pa.Table:
    names = [f"c{i}" for i in range(len(columns))]
    if data:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
                null_values=[""],
            ),
        )
        raw = [table.column(i).combine_chunks() for i in range(len(columns))]
    else:
        raw = [pa.array([], pa.string()) for _ in columns]
    arrays = [_typed(arr, oid, name) for arr, (name, oid) in zip(raw, columns, strict=True)]
    return pa.table(dict(zip(_unique([name for name, _ in columns]), arrays, strict=True)))


def _typed(arr: pa.Array, oid: int, name: str) -> pa.Array:
    if oid in _SIMPLE:
        return pc.cast(arr, _SIMPLE[oid])
    if oid == _BOOL:
        return parse.parse_bool(arr).values
    if oid == _BYTEA:
        return parse.parse_hex(arr).values
    if oid == _NUMERIC:
        dot = pc.find_substring(arr, ".")
        frac = pc.if_else(
            pc.greater_equal(dot, 0), pc.subtract(pc.utf8_length(arr), pc.add(dot, 1)), 0
        )
        scale = min(38, pc.max(frac).as_py() or 0)
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
