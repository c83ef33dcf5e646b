"""The result of a user's query: what the query service returns and the HTTP API serves;
what a query's cancel answers (``CancelResult``); and what the gateway asks the query service
for a column profile (``ProfileRequest``)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dwsim_shared.contracts.enums import CancelStatus

DEFAULT_PROFILE_BINS = 20
MAX_PROFILE_BINS = 100
DEFAULT_PROFILE_TOP = 10
MAX_PROFILE_TOP = 100


class ColumnInfo(BaseModel):
    """A result column: its name and the warehouse's own name for its type."""

    model_config = ConfigDict(extra="forbid")

    name: str
    type: str


class QueryResult(BaseModel):
    """A query's result: rows are lists in column order with JSON-safe values.

    Dates, times and timestamps are ISO 8601 strings, decimals are strings (exact), binary
    values are lowercase hex, JSON values are JSON. ``truncated`` is true when the statement
    returned more rows than ``limit`` and only the first ``limit`` are here.
    """

    model_config = ConfigDict(extra="forbid")

    columns: list[ColumnInfo]
    rows: list[list[Any]]
    row_count: int
    truncated: bool
    elapsed_ms: float


class CancelResult(BaseModel):
    """The answer to a query's cancel: the query's id and whether it has stopped yet."""

    query_id: str
    status: CancelStatus


class ProfileRequest(BaseModel):
    """``POST /experiments/{name}/profile`` on the query service (answered with the public
    ``TableProfile``): the table and columns as the experiment's schema names them (the
    gateway resolves the user's spelling first)."""

    model_config = ConfigDict(extra="forbid")

    table: str = Field(min_length=1)
    columns: list[str] | None = Field(default=None, min_length=1)  # None: every column
    bins: int = Field(default=DEFAULT_PROFILE_BINS, ge=1, le=MAX_PROFILE_BINS)
    top: int = Field(default=DEFAULT_PROFILE_TOP, ge=1, le=MAX_PROFILE_TOP)
    timeout_s: float | None = Field(default=None, gt=0, le=3600)  # per statement
