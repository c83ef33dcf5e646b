"""Column types: parse declared type text into a normalised ``ColumnType``, keeping the text."""

import re

from pydantic import BaseModel, ConfigDict

from dwsim_shared.contracts.enums import Dialect, TypeKind

REDSHIFT_VARCHAR_MAX = 65535
SNOWFLAKE_VARCHAR_MAX = 16777216


class UnknownTypeError(ValueError):
    """The type text names no type dw-sim can represent."""


class ColumnType(BaseModel):
    """A column's type: the normalised family plus the declared text, kept verbatim."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: TypeKind
    raw: str
    length: int | None = None  # CHAR/VARCHAR/BINARY length in characters (bytes for binary)
    precision: int | None = None  # DECIMAL precision, or fractional-second digits of TIME/TIMESTAMP
    scale: int | None = None  # DECIMAL scale


_SIMPLE: dict[str, TypeKind] = {
    "SMALLINT": TypeKind.SMALLINT,
    "INT2": TypeKind.SMALLINT,
    "TINYINT": TypeKind.SMALLINT,
    "BYTEINT": TypeKind.SMALLINT,
    "INT": TypeKind.INTEGER,
    "INTEGER": TypeKind.INTEGER,
    "INT4": TypeKind.INTEGER,
    "MEDIUMINT": TypeKind.INTEGER,
    "BIGINT": TypeKind.BIGINT,
    "INT8": TypeKind.BIGINT,
    "SERIAL": TypeKind.INTEGER,
    "SERIAL4": TypeKind.INTEGER,
    "SMALLSERIAL": TypeKind.SMALLINT,
    "SERIAL2": TypeKind.SMALLINT,
    "BIGSERIAL": TypeKind.BIGINT,
    "SERIAL8": TypeKind.BIGINT,
    "REAL": TypeKind.REAL,
    "FLOAT4": TypeKind.REAL,
    "FLOAT8": TypeKind.DOUBLE,
    "DOUBLE PRECISION": TypeKind.DOUBLE,
    "DOUBLE": TypeKind.DOUBLE,
    "DATE": TypeKind.DATE,
    "TIME": TypeKind.TIME,
    "TIMETZ": TypeKind.TIME,
    "TIME WITHOUT TIME ZONE": TypeKind.TIME,
    "TIME WITH TIME ZONE": TypeKind.TIME,
    "TIMESTAMP": TypeKind.TIMESTAMP,
    "DATETIME": TypeKind.TIMESTAMP,
    "TIMESTAMP WITHOUT TIME ZONE": TypeKind.TIMESTAMP,
    "TIMESTAMP_NTZ": TypeKind.TIMESTAMP,
    "TIMESTAMPNTZ": TypeKind.TIMESTAMP,
    "TIMESTAMPTZ": TypeKind.TIMESTAMPTZ,
    "TIMESTAMP WITH TIME ZONE": TypeKind.TIMESTAMPTZ,
    "TIMESTAMP_TZ": TypeKind.TIMESTAMPTZ,
    "TIMESTAMP_LTZ": TypeKind.TIMESTAMPTZ,
    "TIMESTAMPLTZ": TypeKind.TIMESTAMPTZ,
    "BOOLEAN": TypeKind.BOOLEAN,
    "BOOL": TypeKind.BOOLEAN,
    "UUID": TypeKind.UUID,
    "SUPER": TypeKind.JSON,
    "VARIANT": TypeKind.JSON,
    "JSON": TypeKind.JSON,
    "JSONB": TypeKind.JSON,
    "OBJECT": TypeKind.OBJECT,
    "ARRAY": TypeKind.ARRAY,
    "BINARY": TypeKind.BINARY,
    "VARBINARY": TypeKind.BINARY,
    "VARBYTE": TypeKind.BINARY,
    "BYTEA": TypeKind.BINARY,
    "BINARY VARYING": TypeKind.BINARY,
}
_DECIMALS = {"DECIMAL", "NUMERIC", "NUMBER", "DEC"}
_CHARS = {"CHAR", "CHARACTER", "NCHAR", "BPCHAR", "NATIONAL CHARACTER"}
_VARCHARS = {
    "VARCHAR",
    "CHARACTER VARYING",
    "NVARCHAR",
    "NVARCHAR2",
    "VARCHAR2",
    "CHAR VARYING",
    "NATIONAL CHARACTER VARYING",
}
_TEXTS = {"TEXT", "STRING", "CLOB"}
_TYPE_RE = re.compile(
    r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\s+[A-Za-z_][A-Za-z0-9_]*)*?)\s*"
    r"(?:\(\s*(?P<args>[^)]*)\))?\s*(?P<suffix>(?:WITH|WITHOUT)\s+TIME\s+ZONE)?\s*$",
    re.IGNORECASE,
)


def _ints(args: str | None, raw: str) -> list[int | str]:
    if not args:
        return []
    out: list[int | str] = []
    for part in args.split(","):
        part = part.strip()
        if part.upper() == "MAX":
            out.append("MAX")
        elif part.isdigit():
            out.append(int(part))
        else:
            raise UnknownTypeError(f"type {raw!r} has a non-numeric argument {part!r}")
    return out


def parse_type(raw: str, dialect: Dialect | None = None) -> ColumnType:
    """Parse declared type text (``NUMBER(38,0)``, ``VARCHAR(MAX)``, ``TIMESTAMP_NTZ(9)``...).

    The declared text is kept in ``raw`` so the warehouse is given back exactly that type.
    """
    text = " ".join(raw.split())
    match = _TYPE_RE.match(text)
    if not match:
        raise UnknownTypeError(f"cannot parse type {raw!r}")
    name = " ".join(match["name"].upper().split())
    if match["suffix"]:
        name = f"{name} {' '.join(match['suffix'].upper().split())}"
    args = _ints(match["args"], raw)

    def kw(**fields: int | None) -> ColumnType:
        return ColumnType(raw=text, **fields)  # type: ignore[arg-type]

    if name in _DECIMALS:
        default_precision = 38 if (name == "NUMBER" or dialect == Dialect.SNOWFLAKE) else 18
        precision = args[0] if args else default_precision
        scale = args[1] if len(args) > 1 else 0
        if not isinstance(precision, int) or not isinstance(scale, int):
            raise UnknownTypeError(f"type {raw!r} needs numeric precision and scale")
        if not 1 <= precision <= 38 or not 0 <= scale <= precision:
            raise UnknownTypeError(f"type {raw!r}: precision must be 1..38 and scale 0..precision")
        return kw(kind=TypeKind.DECIMAL, precision=precision, scale=scale)
    if name == "FLOAT":
        # FLOAT(p) with p <= 24 is single precision in PostgreSQL and Redshift; Snowflake's is double.
        if args and isinstance(args[0], int) and args[0] <= 24 and dialect != Dialect.SNOWFLAKE:
            return kw(kind=TypeKind.REAL)
        return kw(kind=TypeKind.DOUBLE)
    if name in _CHARS:
        length = args[0] if args else 1
        if length == "MAX":
            raise UnknownTypeError(f"type {raw!r}: CHAR does not take MAX")
        return kw(kind=TypeKind.CHAR, length=int(length))
    if name in _VARCHARS:
        if not args:
            default = SNOWFLAKE_VARCHAR_MAX if dialect == Dialect.SNOWFLAKE else None
            if dialect == Dialect.REDSHIFT:
                default = 256
            return kw(kind=TypeKind.VARCHAR if default else TypeKind.TEXT, length=default)
        length = args[0]
        if length == "MAX":
            length = SNOWFLAKE_VARCHAR_MAX if dialect == Dialect.SNOWFLAKE else REDSHIFT_VARCHAR_MAX
        return kw(kind=TypeKind.VARCHAR, length=int(length))
    if name in _TEXTS:
        if dialect == Dialect.REDSHIFT:  # Redshift turns TEXT into VARCHAR(256)
            return kw(kind=TypeKind.VARCHAR, length=256)
        if dialect == Dialect.SNOWFLAKE or args:
            length = args[0] if args and isinstance(args[0], int) else SNOWFLAKE_VARCHAR_MAX
            return kw(kind=TypeKind.VARCHAR, length=length)
        return kw(kind=TypeKind.TEXT)
    if name in _SIMPLE:
        kind = _SIMPLE[name]
        if kind in (TypeKind.TIME, TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ):
            precision = args[0] if args and isinstance(args[0], int) else None
            return kw(kind=kind, precision=precision)
        if kind == TypeKind.BINARY:
            length = args[0] if args and isinstance(args[0], int) else None
            return kw(kind=kind, length=length)
        if args and kind not in (TypeKind.ARRAY, TypeKind.OBJECT):
            raise UnknownTypeError(f"type {raw!r}: {name} takes no arguments")
        return kw(kind=kind)
    raise UnknownTypeError(f"unknown type {raw!r}")
