"""Bodies of the public HTTP API (the gateway's ``/api``); responses reuse the other contracts
(``ExperimentRecord``, ``ExperimentSummary``, ``Job``, ``GenerationRun``, ``QueryResult``)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dwsim_shared.contracts.enums import Dialect, HealthStatus, Warehouse
from dwsim_shared.contracts.rules import GenerationRule

MAX_QUERY_LIMIT = 100_000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    """Every service's refusal: ``{"detail": ...}``, a message naming what was wrong; for a
    body FastAPI refuses (422), its list of ``{loc, msg, type}``."""

    detail: Any


class ExperimentCreateRequest(BaseModel):
    """``{name, warehouse, ddl, dialect}`` or ``{name, warehouse, schema}``.

    ``schema`` is an experiment JSON, in dw-sim's format or the earlier dw-simulator's
    (``tables[].target_rows``, ``columns[].data_type``...); ``target_warehouse`` is accepted
    for ``warehouse``.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str | None = None
    warehouse: Warehouse | None = Field(default=None, alias="warehouse")
    ddl: str | None = None
    dialect: Dialect | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        if isinstance(data, dict) and "target_warehouse" in data:
            data = dict(data)
            data.setdefault("warehouse", data.pop("target_warehouse"))
        return data

    @model_validator(mode="after")
    def _one_source(self) -> "ExperimentCreateRequest":
        if (self.ddl is None) == (self.schema_ is None):
            raise ValueError("give either ddl (with dialect) or schema, not both or neither")
        if self.ddl is not None and self.dialect is None:
            raise ValueError("ddl needs a dialect: redshift, snowflake or postgres")
        if self.ddl is not None and self.name is None:
            raise ValueError("name is required with ddl")
        return self


class TablePatch(_Model):
    rows: int | None = Field(default=None, ge=0)
    columns: dict[str, GenerationRule] = Field(default_factory=dict)  # column -> new rule


class ExperimentPatch(_Model):
    """Change row counts and generation rules; anything else needs a new experiment."""

    tables: dict[str, TablePatch]


class GenerateRequest(_Model):
    rows: dict[str, int] | None = None  # per table; these win over scale and rows_total
    # Size the schema as a whole (as ``dwsim generate --scale X`` / ``--rows TOTAL`` do): lookup
    # tables keep their size, the others grow with the key graph. At most one of the two.
    scale: float | None = Field(default=None, gt=0)
    rows_total: int | None = Field(default=None, ge=1)
    seed: int | None = None  # default 0
    load: bool = True  # load the run into the warehouse once staged
    chunk_rows: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_sizing(self) -> "GenerateRequest":
        if self.scale is not None and self.rows_total is not None:
            raise ValueError("give scale or rows_total, not both")
        return self


class GenerateAccepted(_Model):
    job_id: UUID
    run_id: str
    rows_total: int | None = None  # rows the run will generate, over every table
    bytes_estimate: int | None = None  # about how many bytes it will stage (the cost model)
    seconds_estimate: float | None = None  # about how long, on one generator process


class EstimateRequest(GenerateRequest):
    """``POST /api/experiments/{name}/estimate``: a generate request's sizing, and the number
    of generator processes to predict for; nothing is generated or enqueued."""

    workers: int = Field(default=1, ge=1, le=1024)


class TableEstimate(_Model):
    table: str
    rows: int
    chunks: int  # Parquet parts
    cpu_seconds: float  # on one core
    bytes: int  # of Parquet staged


class Estimate(_Model):
    """What a run will take, from the cost model (``dwsim_shared.cost``), before it runs."""

    workers: int
    rows_total: int
    seconds: float  # wall clock on ``workers`` processes, planning included
    cpu_seconds: float
    bytes: int
    tables: list[TableEstimate]


class LoadRequest(_Model):
    run_id: str | None = None  # default: the latest completed run


class QueryRequest(_Model):
    sql: str = Field(min_length=1)
    limit: int | None = Field(default=None, ge=0, le=MAX_QUERY_LIMIT)
    timeout_s: float | None = Field(default=None, gt=0, le=3600)


class DependencyHealth(_Model):
    name: str
    status: HealthStatus  # ok or down
    address: str
    detail: str | None = None


class Health(_Model):
    status: HealthStatus  # ok when every dependency is, else degraded
    dependencies: list[DependencyHealth]


SAVED_QUERY_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$"


def no_nul(value: str | None) -> str | None:
    """Refuse the NUL character: PostgreSQL (a metadata database) cannot store it in text."""
    if value is not None and "\x00" in value:
        raise ValueError("must not contain the NUL character (\\x00)")
    return value


class SavedQueryBody(_Model):
    """``PUT /api/experiments/{name}/queries/{query}``: create or replace a saved query."""

    sql: str = Field(min_length=1)
    description: str | None = None

    _no_nul = field_validator("sql", "description")(no_nul)


class SavedQuery(_Model):
    """A query saved with an experiment; it goes when the experiment is dropped."""

    experiment: str
    name: str
    sql: str
    description: str | None = None
    created_at: datetime
    updated_at: datetime


class HistogramBin(_Model):
    lower: Any  # number, or ISO 8601 date/timestamp string, as the column's type
    upper: Any
    count: int


class ValueCount(_Model):
    value: Any  # JSON-safe as in QueryResult (None for NULL is never here: see nulls)
    count: int


class ColumnProfile(_Model):
    """What the data of one column looks like, computed by the warehouse over the whole table.

    ``histogram`` for numbers, dates and timestamps (equal-width bins from ``min`` to
    ``max``); ``top_values`` for everything else (booleans, strings, ...), most frequent
    first.
    """

    name: str
    type: str  # the column's type in the experiment's schema
    rows: int
    nulls: int
    null_fraction: float
    distinct: int  # distinct non-null values
    min: Any = None
    max: Any = None
    histogram: list[HistogramBin] | None = None
    top_values: list[ValueCount] | None = None


class TableProfile(_Model):
    """``GET /api/experiments/{name}/tables/{table}/profile?columns=a,b&bins=20&top=10``."""

    experiment: str
    table: str
    rows: int
    columns: list[ColumnProfile]
    elapsed_ms: float
