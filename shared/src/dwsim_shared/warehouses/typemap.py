"""Column types and identifiers in each warehouse's own dialect.

Differences between warehouses are data (one table per warehouse), not branches. A column's
declared text (``ColumnType.raw``) is given back verbatim when the experiment was written in the
warehouse's own dialect and the text still parses to the same type; otherwise the type is
rendered from its kind, length, precision and scale.
"""

import re
from collections.abc import Callable

from dwsim_shared.contracts.enums import Dialect, TypeKind, Warehouse
from dwsim_shared.contracts.identifiers import quote_identifier
from dwsim_shared.contracts.types import ColumnType, UnknownTypeError, parse_type

Render = Callable[[ColumnType], str]


def _fixed(text: str) -> Render:
    return lambda _t: text


def _sized(name: str, default: int | None, cap: int) -> Render:
    def render(t: ColumnType) -> str:
        length = t.length if t.length is not None else default
        return name if length is None else f"{name}({min(length, cap)})"

    return render


def _decimal(name: str) -> Render:
    return lambda t: f"{name}({t.precision or 18},{t.scale or 0})"


REDSHIFT_TYPES: dict[TypeKind, Render] = {
    TypeKind.SMALLINT: _fixed("SMALLINT"),
    TypeKind.INTEGER: _fixed("INTEGER"),
    TypeKind.BIGINT: _fixed("BIGINT"),
    TypeKind.DECIMAL: _decimal("DECIMAL"),
    TypeKind.REAL: _fixed("REAL"),
    TypeKind.DOUBLE: _fixed("DOUBLE PRECISION"),
    TypeKind.CHAR: _sized("CHAR", 1, 4096),
    TypeKind.VARCHAR: _sized("VARCHAR", 256, 65535),
    TypeKind.TEXT: _fixed("VARCHAR(65535)"),  # Redshift's TEXT is VARCHAR(256): too short
    TypeKind.DATE: _fixed("DATE"),
    TypeKind.TIME: _fixed("TIME"),
    TypeKind.TIMESTAMP: _fixed("TIMESTAMP"),
    TypeKind.TIMESTAMPTZ: _fixed("TIMESTAMPTZ"),
    TypeKind.BOOLEAN: _fixed("BOOLEAN"),
    TypeKind.UUID: _fixed("VARCHAR(36)"),
    TypeKind.JSON: _fixed("SUPER"),
    TypeKind.OBJECT: _fixed("SUPER"),
    TypeKind.ARRAY: _fixed("SUPER"),
    TypeKind.BINARY: _sized("VARBYTE", None, 1024000),
}

SNOWFLAKE_TYPES: dict[TypeKind, Render] = {
    TypeKind.SMALLINT: _fixed("SMALLINT"),
    TypeKind.INTEGER: _fixed("INTEGER"),
    TypeKind.BIGINT: _fixed("BIGINT"),
    TypeKind.DECIMAL: _decimal("NUMBER"),
    TypeKind.REAL: _fixed("FLOAT"),
    TypeKind.DOUBLE: _fixed("DOUBLE"),
    TypeKind.CHAR: _sized("CHAR", 1, 16777216),
    TypeKind.VARCHAR: _sized("VARCHAR", None, 16777216),
    TypeKind.TEXT: _fixed("VARCHAR"),
    TypeKind.DATE: _fixed("DATE"),
    TypeKind.TIME: _fixed("TIME"),
    TypeKind.TIMESTAMP: _fixed("TIMESTAMP_NTZ"),
    TypeKind.TIMESTAMPTZ: _fixed("TIMESTAMP_TZ"),
    TypeKind.BOOLEAN: _fixed("BOOLEAN"),
    TypeKind.UUID: _fixed("VARCHAR(36)"),
    TypeKind.JSON: _fixed("VARIANT"),
    TypeKind.OBJECT: _fixed("OBJECT"),
    TypeKind.ARRAY: _fixed("ARRAY"),
    TypeKind.BINARY: _fixed("BINARY"),  # no length: the emulator (DuckDB BLOB) refuses one
}

# SQLite picks a column's affinity from its declared name: these names give INTEGER, NUMERIC
# (exact integers stay integers), REAL, TEXT and BLOB affinity as each kind needs.
SQLITE_TYPES: dict[TypeKind, Render] = {
    TypeKind.SMALLINT: _fixed("SMALLINT"),
    TypeKind.INTEGER: _fixed("INTEGER"),
    TypeKind.BIGINT: _fixed("BIGINT"),
    TypeKind.DECIMAL: _decimal("DECIMAL"),
    TypeKind.REAL: _fixed("REAL"),
    TypeKind.DOUBLE: _fixed("DOUBLE"),
    TypeKind.CHAR: _sized("CHAR", 1, 2**31 - 1),
    TypeKind.VARCHAR: _sized("VARCHAR", None, 2**31 - 1),
    TypeKind.TEXT: _fixed("TEXT"),
    TypeKind.DATE: _fixed("DATE"),
    TypeKind.TIME: _fixed("TIME"),
    TypeKind.TIMESTAMP: _fixed("TIMESTAMP"),
    TypeKind.TIMESTAMPTZ: _fixed("TIMESTAMPTZ"),
    TypeKind.BOOLEAN: _fixed("BOOLEAN"),
    TypeKind.UUID: _fixed("UUID"),
    TypeKind.JSON: _fixed("JSON"),
    TypeKind.OBJECT: _fixed("JSON"),
    TypeKind.ARRAY: _fixed("JSON"),
    TypeKind.BINARY: _fixed("BLOB"),
}

TYPES: dict[Warehouse, dict[TypeKind, Render]] = {
    Warehouse.REDSHIFT: REDSHIFT_TYPES,
    Warehouse.SNOWFLAKE: SNOWFLAKE_TYPES,
    Warehouse.SQLITE: SQLITE_TYPES,
}

# The dialect whose declared type text a warehouse takes verbatim, and the type names it has
# (parse_type also reads other dialects' names, such as UUID, that this warehouse would refuse).
NATIVE_DIALECT: dict[Warehouse, Dialect | None] = {
    Warehouse.REDSHIFT: Dialect.REDSHIFT,
    Warehouse.SNOWFLAKE: Dialect.SNOWFLAKE,
    Warehouse.SQLITE: None,
}
NATIVE_NAMES: dict[Warehouse, set[str]] = {
    Warehouse.REDSHIFT: {
        "SMALLINT", "INT2", "INTEGER", "INT", "INT4", "BIGINT", "INT8", "DECIMAL", "NUMERIC",
        "REAL", "FLOAT4", "FLOAT8", "FLOAT", "DOUBLE PRECISION", "CHAR", "CHARACTER", "NCHAR",
        "BPCHAR", "VARCHAR", "CHARACTER VARYING", "NVARCHAR", "TEXT", "DATE", "TIME", "TIMETZ",
        "TIME WITHOUT TIME ZONE", "TIME WITH TIME ZONE", "TIMESTAMP", "TIMESTAMPTZ",
        "TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP WITH TIME ZONE", "BOOLEAN", "BOOL", "SUPER",
        "VARBYTE", "VARBINARY", "BINARY VARYING",
    },
    Warehouse.SNOWFLAKE: {
        "NUMBER", "DECIMAL", "NUMERIC", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT",
        "BYTEINT", "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL", "VARCHAR",
        "CHAR", "CHARACTER", "NCHAR", "NVARCHAR", "NVARCHAR2", "CHAR VARYING", "STRING", "TEXT",
        "BOOLEAN", "DATE", "DATETIME", "TIME", "TIMESTAMP",
        "TIMESTAMP_LTZ", "TIMESTAMP_NTZ", "TIMESTAMP_TZ", "VARIANT", "OBJECT", "ARRAY",
    },
    Warehouse.SQLITE: set(),
}  # fmt: skip
_TYPE_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*(?: [A-Z_][A-Z0-9_]*)*")


def render_type(column_type: ColumnType, warehouse: Warehouse, dialect: Dialect | None) -> str:
    """The column type for ``warehouse``, from ``raw`` when the dialects match, else from kind.

    ``raw`` is only reused if it re-parses to the same type: text that is not a plain type
    name (an injection attempt, a typo) never reaches the warehouse.
    """
    if dialect is not None and NATIVE_DIALECT[warehouse] == dialect:
        try:
            again = parse_type(column_type.raw, dialect)
        except UnknownTypeError:
            again = None
        same = again is not None and again.model_dump(exclude={"raw"}) == column_type.model_dump(
            exclude={"raw"}
        )
        text = column_type.raw.upper()
        name = _TYPE_NAME.match(text)
        if same and name and _base_name(name.group()) in NATIVE_NAMES[warehouse]:
            return " ".join(text.split())
    return TYPES[warehouse][column_type.kind](column_type)


def _base_name(name: str) -> str:
    """``TIMESTAMP WITH TIME ZONE`` stays whole; ``VARCHAR`` of ``VARCHAR(10)`` is the name."""
    return " ".join(name.split())


_SIMPLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")


def warehouse_name(name: str, warehouse: Warehouse) -> str:
    """The name as the warehouse stores an unquoted identifier, so users need not quote it.

    Redshift folds names to lower case, Snowflake folds simple names to upper case (a name
    that needs quoting keeps its case there); SQLite compares names case-insensitively.
    """
    if warehouse == Warehouse.REDSHIFT:
        return name.lower()
    if warehouse == Warehouse.SNOWFLAKE and _SIMPLE_NAME.match(name):
        return name.upper()
    return name


def ident(name: str, warehouse: Warehouse) -> str:
    """A quoted identifier for ``warehouse`` (see ``warehouse_name``)."""
    return quote_identifier(warehouse_name(name, warehouse))
