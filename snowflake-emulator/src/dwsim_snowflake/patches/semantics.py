"""Snowflake semantics fakesnow gets silently wrong or lacks, rewritten around its transforms.

Before fakesnow's transforms (on the statement as written): FLATTEN options
(flatten_options.py), LAST_QUERY_ID and RESULT_SCAN (result_scan.py), system functions and COPY_HISTORY (system_functions.py), then typed
rewrites: NUMBER division and AVG, division by zero, TO_CHAR formats, timestamp text, string
to number comparisons (typed_rewrites.py). After them: INFORMATION_SCHEMA.TABLES.ROW_COUNT
counted when read.
"""

from typing import Any

from fakesnow.cursor import FakeSnowflakeCursor
from sqlglot import exp

from dwsim_snowflake import flatten_options, result_scan, system_functions, typed_rewrites

_original_transform: Any = None  # FakeSnowflakeCursor._transform when install() ran


def _transform(self: FakeSnowflakeCursor, expression: exp.Expr, params: Any) -> Any:
    expression = flatten_options.rewrite(expression)
    expression = result_scan.rewrite(self, expression)
    expression = system_functions.rewrite(self, expression)
    expression = typed_rewrites.rewrite(self, expression)
    transformed = _original_transform(self, expression, params)
    return system_functions.exact_row_counts(self, transformed)


def install() -> None:
    """Installed before the patches that wrap the transform too: it sees the statement after
    them (temporary tables already pointed at), next to fakesnow's own transforms."""
    global _original_transform
    if FakeSnowflakeCursor._transform is _transform:
        return
    _original_transform = FakeSnowflakeCursor._transform
    FakeSnowflakeCursor._transform = _transform  # type: ignore[method-assign]
