"""The result of a user's query: what the query service returns and the HTTP API serves."""

from typing import Any

from pydantic import BaseModel, ConfigDict


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
