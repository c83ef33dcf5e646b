"""A table's column profile, computed by the warehouse: never by downloading its rows.

Round trips: one aggregate statement for every column's counts and range, then one
statement per histogram or top-values column (none for a column whose bins collapse to one,
whose values are all NULL, or all distinct).
"""

import time
from collections.abc import Callable
from typing import Any

from dwsim_query.profile_sql import (
    Bins,
    aggregate_sql,
    as_number,
    bin_index,
    probe_sql,
    shape,
    top_sql,
)
from dwsim_shared.contracts.api import ColumnProfile, HistogramBin, TableProfile, ValueCount
from dwsim_shared.contracts.query import ProfileRequest, QueryResult
from dwsim_shared.contracts.schema import Column, Experiment, Table
from dwsim_shared.errors import DwsimError
from dwsim_shared.warehouses import WarehouseError, WarehouseUnavailableError
from dwsim_shared.warehouses.base import QueryCancelledError, QueryTimeoutError
from dwsim_shared.warehouses.profiles import profile

# runs one statement, returning at most ``limit`` rows
RunSql = Callable[[str, int], QueryResult]


class ProfileRequestError(DwsimError):
    """The request names a table or column the experiment does not have (400)."""


class TableNotLoadedError(DwsimError):
    """The table is not in the warehouse yet, or holds no rows (409)."""


def resolve(experiment: Experiment, request: ProfileRequest) -> tuple[Table, list[Column]]:
    """The table and columns, by the names the schema gives them (the gateway resolves the
    user's spelling); every column when the request names none."""
    table = next((t for t in experiment.tables if t.name == request.table), None)
    if table is None:
        known = ", ".join(t.name for t in experiment.tables)
        raise ProfileRequestError(
            f"experiment {experiment.name} has no table {request.table} (known: {known})"
        )
    if request.columns is None:
        return table, list(table.columns)
    by_name = {c.name: c for c in table.columns}
    columns = []
    for name in dict.fromkeys(request.columns):
        if name not in by_name:
            raise ProfileRequestError(
                f"table {table.name} has no column {name} (known: {', '.join(by_name)})"
            )
        columns.append(by_name[name])
    return table, columns


class TableProfiler:
    """Profiles the request's columns; built before any warehouse is touched, so a name the
    schema does not have is refused first."""

    def __init__(self, experiment: Experiment, request: ProfileRequest):
        self.experiment = experiment
        self.warehouse = experiment.warehouse
        self.request = request
        self.table, self.columns = resolve(experiment, request)
        self.run: RunSql = _no_warehouse

    def profile(self, run: RunSql) -> TableProfile:
        """The profile, each statement run through ``run`` (one at a time)."""
        started = time.monotonic()
        self.run = run
        try:
            first = self.run(aggregate_sql(self.warehouse, self.table.name, self.columns), 1)
        except (WarehouseUnavailableError, QueryTimeoutError, QueryCancelledError):
            raise
        except WarehouseError as exc:
            raise self._missing_or(exc) from None
        values = first.rows[0]
        rows = int(values[0])
        if rows == 0:
            raise TableNotLoadedError(
                f"table {self.table.name} of experiment {self.experiment.name} has no rows "
                "yet: generate and load data first"
            )
        profiles, at = [], 1
        for column in self.columns:
            width = 4 if shape(column).ordered else 2
            stats = [*values[at : at + width], None, None][:4]
            at += width
            profiles.append(self._column(column, rows, stats))
        return TableProfile(
            experiment=self.experiment.name,
            table=self.table.name,
            rows=rows,
            columns=profiles,
            elapsed_ms=round((time.monotonic() - started) * 1000, 3),
        )

    def _column(self, column: Column, rows: int, stats: list[Any]) -> ColumnProfile:
        """``stats``: COUNT(c), COUNT(DISTINCT c), MIN(c), MAX(c) (None where not ordered)."""
        present, distinct, low, high = int(stats[0]), int(stats[1]), stats[2], stats[3]
        binning = shape(column).binning
        return ColumnProfile(
            name=column.name,
            type=column.type.raw,
            rows=rows,
            nulls=rows - present,
            null_fraction=(rows - present) / rows,
            distinct=distinct,
            min=low,
            max=high,
            histogram=None if binning is None else self._histogram(column, present, low, high),
            top_values=self._top(column, present, distinct) if binning is None else None,
        )

    def _histogram(self, column: Column, present: int, low: Any, high: Any) -> list[HistogramBin]:
        binning = shape(column).binning
        assert binning is not None
        start, end = as_number(binning, low), as_number(binning, high)
        if not present or start is None or end is None:
            return []
        bins = Bins.plan(binning, start, end, self.request.bins)
        if bins.count == 1:  # min == max, or one bin asked for
            return bins.histogram({0: present}, column)
        sql = bins.sql(self.warehouse, self.table.name, column)
        tally: dict[int, int] = {}
        for index, n in self.run(sql, bins.count + 2).rows:
            i = min(max(bin_index(index), 0), bins.count - 1)  # rounding at the ends
            tally[i] = tally.get(i, 0) + int(n)
        return bins.histogram(tally, column)

    def _top(self, column: Column, present: int, distinct: int) -> list[ValueCount]:
        if not present or distinct == present:  # all distinct: no value is more common
            return []
        sql = top_sql(self.warehouse, self.table.name, column, self.request.top)
        return [ValueCount(value=v, count=int(n)) for v, n in self.run(sql, self.request.top).rows]

    def _missing_or(self, error: WarehouseError) -> Exception:
        """The aggregate failed: a table that is not there (not created or not loaded yet)
        is a 409 saying what to do; any other failure is the warehouse's own error."""
        try:
            self.run(probe_sql(self.warehouse, self.table.name), 0)
        except (WarehouseUnavailableError, QueryTimeoutError, QueryCancelledError) as exc:
            return exc
        except WarehouseError as exc:
            title = profile(self.warehouse).title
            return TableNotLoadedError(
                f"table {self.table.name} of experiment {self.experiment.name} is not in the "
                f"{title} warehouse yet: generate and load data first ({exc.detail})"
            )
        return error


def _no_warehouse(sql: str, limit: int) -> QueryResult:
    raise RuntimeError("TableProfiler.profile(run) runs the statements")
