"""The Arrow type of each column type: what loads back into the declared warehouse type."""

import pyarrow as pa

from dwsim_shared.contracts.enums import TypeKind
from dwsim_shared.contracts.schema import Column, Table
from dwsim_shared.contracts.types import ColumnType

_FIXED: dict[TypeKind, pa.DataType] = {
    TypeKind.SMALLINT: pa.int16(),
    TypeKind.INTEGER: pa.int32(),
    TypeKind.BIGINT: pa.int64(),
    TypeKind.REAL: pa.float32(),
    TypeKind.DOUBLE: pa.float64(),
    TypeKind.CHAR: pa.string(),
    TypeKind.VARCHAR: pa.string(),
    TypeKind.TEXT: pa.string(),
    TypeKind.DATE: pa.date32(),
    TypeKind.TIME: pa.time64("us"),
    TypeKind.TIMESTAMP: pa.timestamp("us"),
    TypeKind.TIMESTAMPTZ: pa.timestamp("us", tz="UTC"),
    TypeKind.BOOLEAN: pa.bool_(),
    TypeKind.UUID: pa.string(),
    TypeKind.JSON: pa.string(),
    TypeKind.OBJECT: pa.string(),
    TypeKind.ARRAY: pa.string(),
    TypeKind.BINARY: pa.binary(),
}

INTEGER_KINDS = {TypeKind.SMALLINT, TypeKind.INTEGER, TypeKind.BIGINT}
FLOAT_KINDS = {TypeKind.REAL, TypeKind.DOUBLE}
NUMERIC_KINDS = INTEGER_KINDS | FLOAT_KINDS | {TypeKind.DECIMAL}
STRING_KINDS = {TypeKind.CHAR, TypeKind.VARCHAR, TypeKind.TEXT}
JSON_KINDS = {TypeKind.JSON, TypeKind.OBJECT, TypeKind.ARRAY}
TEMPORAL_KINDS = {TypeKind.DATE, TypeKind.TIME, TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ}
INTEGER_BOUNDS = {
    TypeKind.SMALLINT: (-(2**15), 2**15 - 1),
    TypeKind.INTEGER: (-(2**31), 2**31 - 1),
    TypeKind.BIGINT: (-(2**63), 2**63 - 1),
}


def arrow_type(column_type: ColumnType) -> pa.DataType:
    if column_type.kind == TypeKind.DECIMAL:
        return pa.decimal128(column_type.precision or 18, column_type.scale or 0)
    return _FIXED[column_type.kind]


def arrow_schema(table: Table) -> pa.Schema:
    """Columns in declared order with declared names (Redshift COPY maps Parquet by position)."""
    return pa.schema([_field(c) for c in table.columns])


def _field(column: Column) -> pa.Field:
    return pa.field(column.name, arrow_type(column.type), nullable=column.nullable)


def max_chars(column_type: ColumnType) -> int | None:
    """The most characters a string column holds, or None when unbounded."""
    if column_type.kind in (TypeKind.CHAR, TypeKind.VARCHAR):
        return column_type.length
    return None
