"""What differs between warehouses, as data: one ``WarehouseProfile`` per warehouse in ``PROFILES``.

Rendering (``render``, ``typemap``), connections (``registry``), the adapters' COPY statements and
the generator's length limits look facts up here instead of branching on the warehouse, so a new
warehouse (or a corrected fact) is one entry in this module.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from dwsim_shared.contracts.enums import Dialect, IdentityKind, TypeKind, Warehouse
from dwsim_shared.contracts.types import ColumnType
from dwsim_shared.warehouses.connections import (
    RedshiftConnection,
    SnowflakeConnection,
    SqliteConnection,
)

Render = Callable[[ColumnType], str]


class NamespaceKind(StrEnum):
    """What holds one experiment's tables."""

    SCHEMA = "schema"
    FILE = "file"


class IdentifierCase(StrEnum):
    """How the warehouse stores a name written unquoted (``dw-sim`` quotes it that way)."""

    LOWER = "lower"  # every name folded to lower case
    UPPER_SIMPLE = "upper_simple"  # names that need no quoting folded to upper case
    AS_IS = "as_is"  # names compared case-insensitively, stored as written


class LengthUnit(StrEnum):
    """What a CHAR/VARCHAR length counts."""

    BYTES = "bytes"
    CHARACTERS = "characters"


class TableOption(StrEnum):
    """A physical-design clause after a CREATE TABLE's column list (``WarehouseOptions``)."""

    BACKUP = "backup"
    DISTSTYLE = "diststyle"
    DISTKEY = "distkey"
    SORTKEY = "sortkey"
    CLUSTER_BY = "cluster_by"


_SIMPLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")
_FOLD: dict[IdentifierCase, Callable[[str], str]] = {
    IdentifierCase.LOWER: str.lower,
    IdentifierCase.UPPER_SIMPLE: lambda name: name.upper() if _SIMPLE_NAME.match(name) else name,
    IdentifierCase.AS_IS: lambda name: name,
}


@dataclass(frozen=True)
class ProfileSql:
    """SQL a column profile is computed with: templates over ``{value}`` (a quoted column or
    an expression). Bins are ``floor((x - min) * bins / width)`` over these numbers."""

    to_float: str  # a number as a double
    floor: str  # of a non-negative double, as a whole number
    date_days: str  # a DATE as days since 1970-01-01
    timestamp_seconds: str  # a TIMESTAMP[TZ] as seconds since 1970-01-01 00:00 UTC, fractional


@dataclass(frozen=True)
class WarehouseProfile:
    """Every per-warehouse fact dw-sim relies on (read-only; see ``PROFILES``)."""

    warehouse: Warehouse
    title: str  # the warehouse's name in messages
    namespace: NamespaceKind
    identifier_case: IdentifierCase
    native_dialect: Dialect | None  # DDL in this dialect keeps its declared type text
    types: Mapping[TypeKind, Render]  # a type rebuilt from its kind, length, precision, scale
    native_type_names: frozenset[str]  # type names the warehouse takes verbatim
    identity: Mapping[IdentityKind, str]  # clause template ({seed}, {step}); none: not rendered
    column_encodings: frozenset[str]  # ENCODE values accepted; empty: ENCODE is not rendered
    table_options: tuple[TableOption, ...]  # rendered in this order
    diststyles: frozenset[str]
    # Can a CREATE TABLE name a parent created later? (SQLite checks references only when
    # rows change); if not, such foreign keys are added by ALTER TABLE once every table exists.
    inline_forward_foreign_keys: bool
    text_length_unit: LengthUnit
    # COPY with {target} (qualified table) and quoted literals; None: the adapter inserts rows.
    copy_template: str | None
    adapter: str  # "module:class", so that reading a profile never imports a driver
    connection: type[RedshiftConnection | SnowflakeConnection | SqliteConnection]
    profile_sql: ProfileSql

    def stored_name(self, name: str) -> str:
        """``name`` as the warehouse stores it unquoted, so users need not quote it."""
        return _FOLD[self.identifier_case](name)

    def copy_statement(self, **parts: str) -> str:
        """The COPY statement with ``parts`` (already quoted SQL) filled into its template."""
        if self.copy_template is None:
            raise ValueError(f"{self.title} loads rows itself: it has no COPY statement")
        return self.copy_template.format(**parts)


def _fixed(text: str) -> Render:
    return lambda _t: text


def _sized(name: str, default: int | None, cap: int) -> Render:
    def render(t: ColumnType) -> str:
        length = t.length if t.length is not None else default
        return name if length is None else f"{name}({min(length, cap)})"

    return render


def _decimal(name: str) -> Render:
    return lambda t: f"{name}({t.precision or 18},{t.scale or 0})"


def _frozen(mapping: dict) -> Mapping:
    return MappingProxyType(mapping)


REDSHIFT_TYPES: Mapping[TypeKind, Render] = _frozen({
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
})  # fmt: skip

SNOWFLAKE_TYPES: Mapping[TypeKind, Render] = _frozen({
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
})  # fmt: skip

# SQLite picks a column's affinity from its declared name: these names give INTEGER, NUMERIC
# (exact integers stay integers), REAL, TEXT and BLOB affinity as each kind needs.
SQLITE_TYPES: Mapping[TypeKind, Render] = _frozen({
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
})  # fmt: skip

# The type names each warehouse has (parse_type also reads other dialects' names, such as
# UUID, that this warehouse would refuse).
REDSHIFT_TYPE_NAMES = frozenset({
    "SMALLINT", "INT2", "INTEGER", "INT", "INT4", "BIGINT", "INT8", "DECIMAL", "NUMERIC",
    "REAL", "FLOAT4", "FLOAT8", "FLOAT", "DOUBLE PRECISION", "CHAR", "CHARACTER", "NCHAR",
    "BPCHAR", "VARCHAR", "CHARACTER VARYING", "NVARCHAR", "TEXT", "DATE", "TIME", "TIMETZ",
    "TIME WITHOUT TIME ZONE", "TIME WITH TIME ZONE", "TIMESTAMP", "TIMESTAMPTZ",
    "TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP WITH TIME ZONE", "BOOLEAN", "BOOL", "SUPER",
    "VARBYTE", "VARBINARY", "BINARY VARYING",
})  # fmt: skip
SNOWFLAKE_TYPE_NAMES = frozenset({
    "NUMBER", "DECIMAL", "NUMERIC", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT",
    "BYTEINT", "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL", "VARCHAR",
    "CHAR", "CHARACTER", "NCHAR", "NVARCHAR", "NVARCHAR2", "CHAR VARYING", "STRING", "TEXT",
    "BOOLEAN", "DATE", "DATETIME", "TIME", "TIMESTAMP",
    "TIMESTAMP_LTZ", "TIMESTAMP_NTZ", "TIMESTAMP_TZ", "VARIANT", "OBJECT", "ARRAY",
})  # fmt: skip

REDSHIFT_DISTSTYLES = frozenset({"AUTO", "EVEN", "KEY", "ALL"})
REDSHIFT_ENCODINGS = frozenset({
    "RAW", "AZ64", "BYTEDICT", "DELTA", "DELTA32K", "LZO", "MOSTLY8", "MOSTLY16", "MOSTLY32",
    "RUNLENGTH", "TEXT255", "TEXT32K", "ZSTD", "AUTO",
})  # fmt: skip

PROFILES: Mapping[Warehouse, WarehouseProfile] = _frozen(
    {
        Warehouse.REDSHIFT: WarehouseProfile(
            warehouse=Warehouse.REDSHIFT,
            title="Redshift",
            namespace=NamespaceKind.SCHEMA,
            identifier_case=IdentifierCase.LOWER,
            native_dialect=Dialect.REDSHIFT,
            types=REDSHIFT_TYPES,
            native_type_names=REDSHIFT_TYPE_NAMES,
            # BY DEFAULT: COPY can then load the generated key values without EXPLICIT_IDS.
            identity=_frozen(
                dict.fromkeys(IdentityKind, "GENERATED BY DEFAULT AS IDENTITY({seed},{step})")
            ),
            column_encodings=REDSHIFT_ENCODINGS,
            table_options=(
                TableOption.BACKUP,
                TableOption.DISTSTYLE,
                TableOption.DISTKEY,
                TableOption.SORTKEY,
            ),
            diststyles=REDSHIFT_DISTSTYLES,
            inline_forward_foreign_keys=False,
            text_length_unit=LengthUnit.BYTES,
            # The run's Redshift manifest lists exactly the run's files.
            copy_template="COPY {target} FROM {manifest_url} IAM_ROLE {iam_role} "
            "FORMAT AS PARQUET MANIFEST",
            adapter="dwsim_shared.warehouses.redshift:RedshiftAdapter",
            connection=RedshiftConnection,
            profile_sql=ProfileSql(
                to_float="CAST({value} AS DOUBLE PRECISION)",
                floor="FLOOR({value})",
                date_days="DATEDIFF(day, DATE '1970-01-01', {value})",
                timestamp_seconds="EXTRACT(EPOCH FROM {value})",
            ),
        ),
        Warehouse.SNOWFLAKE: WarehouseProfile(
            warehouse=Warehouse.SNOWFLAKE,
            title="Snowflake",
            # one schema per experiment, in the connection's database
            namespace=NamespaceKind.SCHEMA,
            identifier_case=IdentifierCase.UPPER_SIMPLE,
            native_dialect=Dialect.SNOWFLAKE,
            types=SNOWFLAKE_TYPES,
            native_type_names=SNOWFLAKE_TYPE_NAMES,
            identity=_frozen(
                {
                    IdentityKind.IDENTITY: "IDENTITY({seed},{step})",
                    IdentityKind.SERIAL: "IDENTITY({seed},{step})",
                    IdentityKind.AUTOINCREMENT: "AUTOINCREMENT({seed},{step})",
                }
            ),
            column_encodings=frozenset(),
            table_options=(TableOption.CLUSTER_BY,),
            diststyles=frozenset(),
            inline_forward_foreign_keys=False,
            text_length_unit=LengthUnit.CHARACTERS,
            # FILES=(...) lists exactly the run's files (a PATTERN could match stray objects);
            # FORCE=TRUE so load history never skips a re-load.
            copy_template="COPY INTO {target} FROM {url} "
            "CREDENTIALS=(AWS_KEY_ID={key_id} AWS_SECRET_KEY={secret_key}) "
            "FILES=({files}) FILE_FORMAT=(TYPE=PARQUET) "
            "MATCH_BY_COLUMN_NAME=CASE_INSENSITIVE FORCE=TRUE",
            adapter="dwsim_shared.warehouses.snowflake:SnowflakeAdapter",
            connection=SnowflakeConnection,
            profile_sql=ProfileSql(
                to_float="CAST({value} AS DOUBLE)",
                floor="FLOOR({value})",
                date_days="DATEDIFF(day, DATE '1970-01-01', {value})",
                # EPOCH_SECOND drops the fraction; microseconds keep it
                timestamp_seconds="DATE_PART(EPOCH_MICROSECOND, {value}) / 1000000",
            ),
        ),
        Warehouse.SQLITE: WarehouseProfile(
            warehouse=Warehouse.SQLITE,
            title="SQLite",
            namespace=NamespaceKind.FILE,
            identifier_case=IdentifierCase.AS_IS,
            native_dialect=None,
            types=SQLITE_TYPES,
            native_type_names=frozenset(),
            identity=_frozen({}),
            column_encodings=frozenset(),
            table_options=(),
            diststyles=frozenset(),
            inline_forward_foreign_keys=True,
            text_length_unit=LengthUnit.CHARACTERS,  # not enforced by SQLite
            copy_template=None,
            adapter="dwsim_shared.warehouses.sqlite:SqliteAdapter",
            connection=SqliteConnection,
            # dates and timestamps are ISO text; FLOOR is missing from many SQLite builds
            profile_sql=ProfileSql(
                to_float="CAST({value} AS REAL)",
                floor="CAST({value} AS INTEGER)",
                date_days="CAST(julianday({value}) - 2440587.5 AS INTEGER)",
                timestamp_seconds="(julianday({value}) - 2440587.5) * 86400.0",
            ),
        ),
    }
)


def profile(warehouse: Warehouse | str) -> WarehouseProfile:
    """The profile of ``warehouse`` (a ``Warehouse`` or its value)."""
    return PROFILES[Warehouse(warehouse)]
