"""The experiment schema: tables, columns, keys, warehouse metadata and generation rules."""

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dwsim_shared.contracts.enums import (
    Dialect,
    Distribution,
    IdentityKind,
    RuleSource,
    SortKeyStyle,
    TableRole,
    Warehouse,
)
from dwsim_shared.contracts.identifiers import validate_identifier
from dwsim_shared.contracts.legacy import upgrade_column, upgrade_experiment, upgrade_table
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.types import ColumnType, parse_type

DEFAULT_ROWS = 1000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Identity(_Model):
    kind: IdentityKind = IdentityKind.IDENTITY
    seed: int = 1
    step: int = 1


class Column(_Model):
    name: str
    type: ColumnType
    nullable: bool = True
    default: str | None = None  # the DEFAULT expression, verbatim
    identity: Identity | None = None
    comment: str | None = None
    encode: str | None = None  # Redshift column ENCODE
    rule: GenerationRule | None = None

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        return validate_identifier(value, "column name")

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: object) -> object:
        data = upgrade_column(data)
        if isinstance(data, dict) and isinstance(data.get("type"), str):
            data = {**data, "type": parse_type(data["type"])}
        return data


class UniqueConstraint(_Model):
    name: str | None = None
    columns: list[str] = Field(min_length=1)


class CheckConstraint(_Model):
    name: str | None = None
    expression: str


class FanOut(_Model):
    """How many children each parent row gets (uniform, or skewed such as zipf).

    ``params`` are the distribution's, plus ``min``: children every parent gets at least
    (when the child table has that many rows per parent). ``histogram``: the weights follow
    ``bounds``, measured quantiles of the children per parent (equal shares between two
    bounds). ``values`` with ``weights``: parents (by their key's value) that get that share
    of the children, the others sharing the rest (``dwsim profile`` writes both).
    """

    distribution: Distribution = Distribution.UNIFORM
    params: dict[str, float] = Field(default_factory=dict)
    bounds: list[float] | None = None
    values: list[Any] | None = None
    weights: list[float] | None = None
    source: RuleSource | None = None  # inferred: guessed at import; profiled: measured

    @model_validator(mode="after")
    def _check_shape(self) -> "FanOut":
        if self.distribution == Distribution.HISTOGRAM:
            if not self.bounds or len(self.bounds) < 2:
                raise ValueError("a histogram fan-out needs at least two 'bounds'")
            if any(b < 0 for b in self.bounds) or self.bounds != sorted(self.bounds):
                raise ValueError("a histogram fan-out's 'bounds' are ascending and >= 0")
        if (self.values is None) != (self.weights is None):
            raise ValueError("a fan-out's 'values' and 'weights' come together")
        if self.values is not None and self.weights is not None:
            if len(self.values) != len(self.weights):
                raise ValueError("a fan-out's 'weights' have one entry per value in 'values'")
            if any(w < 0 for w in self.weights) or sum(self.weights) > 1 + 1e-6:
                raise ValueError("a fan-out's 'weights' are shares of the children (sum <= 1)")
        return self


class ForeignKey(_Model):
    name: str | None = None
    columns: list[str] = Field(min_length=1)
    references_table: str
    references_columns: list[str] = Field(min_length=1)
    fanout: FanOut | None = None
    null_ratio: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _same_arity(self) -> "ForeignKey":
        if len(self.columns) != len(self.references_columns):
            raise ValueError(
                f"foreign key ({', '.join(self.columns)}) has {len(self.columns)} columns but "
                f"references {len(self.references_columns)} in {self.references_table}"
            )
        return self


class TableSizing(_Model):
    """Why a table's ``rows`` is what it is: its role in the key graph (inferred at import)."""

    role: TableRole
    source: RuleSource = RuleSource.INFERRED
    scales: bool = True  # False: rows stay as they are under --scale / --rows TOTAL (lookups)
    parent: str | None = None  # the table its rows are counted from
    per_parent: float | None = None  # mean rows per row of ``parent``


class WarehouseOptions(_Model):
    """Physical-design attributes kept from the DDL (Redshift dist/sort, Snowflake clustering)."""

    diststyle: str | None = None
    distkey: str | None = None
    sortkey: list[str] = Field(default_factory=list)
    sortkey_style: SortKeyStyle | None = None
    backup: bool | None = None
    cluster_by: list[str] = Field(default_factory=list)
    transient: bool = False
    temporary: bool = False
    create_or_replace: bool = False
    if_not_exists: bool = False


class SchemaWarning(_Model):
    table: str | None = None
    column: str | None = None
    message: str
    line: int | None = None  # 1-based line of the DDL the warning is about, when known

    def __str__(self) -> str:
        where = ".".join(p for p in (self.table, self.column) if p)
        text = f"{where}: {self.message}" if where else self.message
        return f"line {self.line}: {text}" if self.line else text


class Table(_Model):
    name: str
    schema_name: str | None = None  # qualifier in the source DDL (schema or db.schema)
    columns: list[Column] = Field(min_length=1)
    primary_key: list[str] = Field(default_factory=list)
    unique: list[UniqueConstraint] = Field(default_factory=list)
    foreign_keys: list[ForeignKey] = Field(default_factory=list)
    checks: list[CheckConstraint] = Field(default_factory=list)
    warehouse: WarehouseOptions = Field(default_factory=WarehouseOptions)
    rows: int | None = Field(default=None, ge=0)
    sizing: TableSizing | None = None
    comment: str | None = None

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        return validate_identifier(value, "table name")

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: object) -> object:
        return upgrade_table(data)

    @model_validator(mode="after")
    def _check_columns(self) -> "Table":
        seen: set[str] = set()
        for column in self.columns:
            if column.name.lower() in seen:
                raise ValueError(f"table {self.name}: column {column.name} is declared twice")
            seen.add(column.name.lower())
        names = {c.name for c in self.columns}
        groups = [("primary key", self.primary_key)]
        groups += [("unique constraint", u.columns) for u in self.unique]
        groups += [("foreign key", fk.columns) for fk in self.foreign_keys]
        for what, cols in groups:
            for col in cols:
                if col not in names:
                    raise ValueError(f"table {self.name}: {what} names unknown column {col}")
        return self

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"table {self.name} has no column {name}")

    @property
    def target_rows(self) -> int:
        return DEFAULT_ROWS if self.rows is None else self.rows


class Experiment(_Model):
    name: str
    warehouse: Warehouse = Warehouse.REDSHIFT
    dialect: Dialect | None = None
    description: str | None = None
    tables: list[Table] = Field(min_length=1)
    warnings: list[SchemaWarning] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        return validate_identifier(value, "experiment name")

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: object) -> object:
        return upgrade_experiment(data)

    @model_validator(mode="after")
    def _check_graph(self) -> "Experiment":
        from dwsim_shared.contracts.derived import check_derived
        from dwsim_shared.contracts.graph import check_references

        check_references(self)
        check_derived(self)
        return self

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"experiment {self.name} has no table {name}")

    def schema_hash(self) -> str:
        """Hash of everything that shapes the data (tables, keys, rules, row counts)."""
        payload = json.dumps(
            [t.model_dump(mode="json") for t in self.tables], sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(payload.encode()).hexdigest()
