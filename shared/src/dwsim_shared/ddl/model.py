"""What the parser collects per table before references are resolved, with source positions."""

from dataclasses import dataclass, field
from typing import Any

from dwsim_shared.contracts.schema import CheckConstraint, Identity, SchemaWarning, WarehouseOptions
from dwsim_shared.contracts.types import ColumnType
from dwsim_shared.ddl.tokens import Token


@dataclass
class NameRef:
    """A column name as written, with where it was written (to point errors at it)."""

    name: str
    token: Token


@dataclass
class CheckShape:
    """What a CHECK says about one column, when it says something generation can follow."""

    column: str
    values: list[Any] | None = None  # col IN (...), or PostgreSQL's col = ANY (ARRAY[...])
    range: tuple[Any, Any] | None = None  # col BETWEEN lo AND hi


@dataclass
class DraftColumn:
    name: str
    type: ColumnType
    token: Token
    nullable: bool = True
    default: str | None = None
    identity: Identity | None = None
    comment: str | None = None
    encode: str | None = None
    categories: list[Any] | None = None  # from CHECK (col IN (...)) or a PostgreSQL enum type
    range: tuple[Any, Any] | None = None  # from CHECK (col BETWEEN a AND b)


@dataclass
class DraftKey:
    """A primary key or unique constraint."""

    columns: list[NameRef]
    token: Token
    name: str | None = None


@dataclass
class DraftForeignKey:
    columns: list[NameRef]
    table: str
    table_token: Token
    ref_columns: list[NameRef] | None  # None: the referenced table's primary key
    token: Token
    name: str | None = None


@dataclass
class DraftTable:
    name: str
    schema_name: str | None
    token: Token
    columns: list[DraftColumn] = field(default_factory=list)
    primary_key: DraftKey | None = None
    unique: list[DraftKey] = field(default_factory=list)
    foreign_keys: list[DraftForeignKey] = field(default_factory=list)
    checks: list[tuple[CheckConstraint, CheckShape | None, Token]] = field(default_factory=list)
    warehouse: WarehouseOptions = field(default_factory=WarehouseOptions)
    distkey_ref: NameRef | None = None  # resolved into warehouse.distkey
    sortkey_refs: list[NameRef] = field(default_factory=list)  # resolved into warehouse.sortkey
    comment: str | None = None

    def find(self, name: str) -> DraftColumn | None:
        """Columns are matched case-insensitively, as every supported warehouse does by default."""
        lowered = name.lower()
        return next((c for c in self.columns if c.name.lower() == lowered), None)


@dataclass
class Draft:
    """Everything parsed from one DDL script."""

    tables: list[DraftTable] = field(default_factory=list)
    warnings: list[SchemaWarning] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=dict)  # statement kind -> lines
    enums: dict[str, list[str]] = field(default_factory=dict)  # CREATE TYPE ... AS ENUM

    def find(self, name: str) -> DraftTable | None:
        lowered = name.lower()
        return next((t for t in self.tables if t.name.lower() == lowered), None)

    def warn(
        self,
        message: str,
        table: str | None = None,
        column: str | None = None,
        *,
        line: int | None = None,
    ) -> None:
        """A warning about the statement or column on ``line`` (1-based) of the DDL."""
        self.warnings.append(SchemaWarning(table=table, column=column, message=message, line=line))

    def skip(self, kind: str, line: int) -> None:
        self.skipped.setdefault(kind, []).append(line)
