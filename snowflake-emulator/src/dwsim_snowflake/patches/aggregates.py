"""Keep SUM/AVG/... of NUMBER columns exact, as Snowflake does.

fakesnow wraps every numeric aggregate's argument in ``TRY_CAST(... AS DOUBLE)`` so that
``SUM(varchar_column)`` works (Snowflake casts strings implicitly; DuckDB refuses them). That
also turns ``SUM(amount NUMBER(12,2))`` into a float with rounding noise, where Snowflake
returns an exact NUMBER(38,2). Here the cast is kept only where the argument reads a column
that is not numeric in the tables the statement names (or a string literal); everywhere else
the aggregate runs on the column's own type. The result column keeps Snowflake's name.
"""

import contextvars
from typing import Any

import fakesnow.transforms as fs_transforms
from fakesnow.cursor import FakeSnowflakeCursor
from fakesnow.transforms.transforms import _NUMERIC_ONLY_AGGS, _numeric_agg_col_name
from sqlglot import exp

from dwsim_snowflake.explain import note

_original_cast = fs_transforms.numeric_agg_implicit_cast
_original_transform = FakeSnowflakeCursor._transform

# Lower-cased names of the non-numeric columns of the statement's tables; None: unknown.
_non_numeric: contextvars.ContextVar[frozenset[str] | None] = contextvars.ContextVar(
    "dwsim_non_numeric_columns", default=None
)

_NUMERIC_TYPES = (
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
    "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE",
)  # fmt: skip


def _needs_cast(arg: exp.Expression, non_numeric: frozenset[str]) -> bool:
    if any(lit.is_string for lit in arg.find_all(exp.Literal)):
        return True
    return any(col.name.lower() in non_numeric for col in arg.find_all(exp.Column))


def numeric_agg_cast_strings_only(expression: exp.Expression) -> exp.Expression:
    non_numeric = _non_numeric.get()
    if (
        non_numeric is None
        or not isinstance(expression, _NUMERIC_ONLY_AGGS)
        or isinstance(expression.this, exp.Cast | exp.TryCast)
        or _needs_cast(expression.this, non_numeric)
    ):
        return _original_cast(expression)
    note("SUM/AVG of NUMBER kept exact")
    parent = expression.parent
    name = (
        None
        if isinstance(parent, exp.Alias)
        else _numeric_agg_col_name(expression, expression.this)
    )
    if name and isinstance(parent, exp.Select):
        return exp.alias_(expression, name, quoted=True)
    return expression


def _transform(self: FakeSnowflakeCursor, expression: exp.Expression, params: Any) -> Any:
    if expression.find(*_NUMERIC_ONLY_AGGS) is None:
        return _original_transform(self, expression, params)
    token = _non_numeric.set(_non_numeric_columns(self, expression))
    try:
        return _original_transform(self, expression, params)
    finally:
        _non_numeric.reset(token)


def _non_numeric_columns(cursor: FakeSnowflakeCursor, expression: exp.Expression) -> frozenset[str]:
    tables = sorted({t.name.lower() for t in expression.find_all(exp.Table) if t.name})
    if not tables:
        return frozenset()
    placeholders = ", ".join("?" for _ in tables)
    numeric = ", ".join(f"'{t}'" for t in _NUMERIC_TYPES)
    rows = cursor._duck_conn.execute(
        "SELECT DISTINCT lower(column_name) FROM duckdb_columns() "
        f"WHERE lower(table_name) IN ({placeholders}) "
        f"AND data_type NOT IN ({numeric}) AND data_type NOT LIKE 'DECIMAL%'",
        tables,
    ).fetchall()
    return frozenset(row[0] for row in rows)


def install() -> None:
    fs_transforms.numeric_agg_implicit_cast = numeric_agg_cast_strings_only
    FakeSnowflakeCursor._transform = _transform  # type: ignore[method-assign]
