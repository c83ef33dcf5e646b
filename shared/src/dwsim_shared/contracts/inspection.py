"""What ``dwsim inspect`` reports about a generated run: per-column profiles and the checks
that every declared relationship holds. Models only, so the API and UI can serve the same."""

from typing import Any

from pydantic import BaseModel, Field, computed_field

from dwsim_shared.contracts.api import ValueCount


class _Model(BaseModel):
    """Reports: unknown keys (such as the computed ``ok``) are ignored when read back."""


class Histogram(_Model):
    """Equal-width bins between ``low`` and ``high`` (numbers, or ISO dates and timestamps)."""

    low: Any
    high: Any
    counts: list[int]


class StagedColumnProfile(_Model):
    """One column of a staged run, profiled from its Parquet parts (the API's ``ColumnProfile``
    is the same column profiled by the warehouse, after the load)."""

    name: str
    type: str  # as declared
    rows: int
    nulls: int
    distinct: int  # among non-NULL values
    min: Any = None
    max: Any = None
    top: list[ValueCount] = Field(default_factory=list)  # most common first; empty if all distinct
    histogram: Histogram | None = None  # numeric and temporal columns

    @property
    def null_fraction(self) -> float:
        return self.nulls / self.rows if self.rows else 0.0


class StagedTableProfile(_Model):
    name: str
    rows: int
    columns: list[StagedColumnProfile]


class CheckResult(_Model):
    """One relationship checked over the whole run (a foreign key, a key's uniqueness...)."""

    kind: str  # foreign_key, primary_key, unique, not_null, manifest_rows, or a rule's kind
    table: str
    columns: list[str] = Field(default_factory=list)
    target: str | None = None  # what it is checked against, e.g. ``customers(id)``
    rows_checked: int = 0
    violations: int = 0  # rows (or keys) that break it
    examples: list[Any] = Field(default_factory=list)  # a few offending values
    message: str = ""
    error: bool = False  # the check itself could not run (the message says why)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return self.violations == 0 and not self.error


class RunInspection(_Model):
    run: str  # the run's folder or id
    experiment: str
    tables: list[StagedTableProfile]
    checks: list[CheckResult]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failed(self) -> list[CheckResult]:
        return [check for check in self.checks if not check.ok]
