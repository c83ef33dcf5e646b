"""A table's column profile for people: one summary row per column, then each column's
histogram (or most frequent values) as a text bar chart."""

from typing import Any

from rich.console import Console
from rich.text import Text

from dwsim_cli.render import add_row, compact, count, table
from dwsim_shared.contracts.api import ColumnProfile, TableProfile

BAR_WIDTH = 30
VALUE_CHARS = 24


def show_profile(out: Console, profile: TableProfile) -> None:
    columns = len(profile.columns)
    out.print(
        f"{profile.experiment}.{profile.table}: {count(profile.rows)} rows, {columns} "
        f"column{'' if columns == 1 else 's'} profiled in {profile.elapsed_ms:,.1f} ms",
        markup=False,
        highlight=False,
    )
    grid = table(
        "column", "type", "rows", "nulls", "distinct", "min", "max",
        right=("rows", "nulls", "distinct"), whole=("column", "type"),
    )  # fmt: skip
    for column in profile.columns:
        add_row(
            grid,
            column.name,
            column.type,
            count(column.rows),
            f"{count(column.nulls)} ({column.null_fraction:.1%})",
            count(column.distinct),
            value(column.min),
            value(column.max),
        )
    out.print(grid)
    for column in profile.columns:
        chart = bars(column)
        if chart is not None:
            out.print()
            out.print(chart)
        elif column.top_values == [] and column.distinct:
            out.print()
            out.print(f"{column.name}: every value is distinct", markup=False, highlight=False)


def bars(column: ColumnProfile) -> Any:
    """The column's histogram, or its most frequent values; None when it has neither."""
    if column.histogram:
        labels = [f"{value(b.lower)} \u2013 {value(b.upper)}" for b in column.histogram]
        counts = [b.count for b in column.histogram]
        title = f"{column.name}: histogram ({len(counts)} bins)"
    elif column.top_values:
        labels = [value(v.value) for v in column.top_values]
        counts = [v.count for v in column.top_values]
        title = f"{column.name}: most frequent values"
    else:
        return None
    grid = table("value", "count", "", title=title, right=("count",), whole=("value",))
    most = max(counts) or 1
    for label, n in zip(labels, counts, strict=True):
        add_row(grid, label, count(n), Text(bar(n, most), style="cyan"))
    return grid


def bar(n: int, most: int, width: int = BAR_WIDTH) -> str:
    """A bar of ``width`` cells for ``most``; any non-zero count shows at least a sliver."""
    cells = n / most * width if most else 0
    full = int(cells)
    rest = "▏" if n and not full else ("▌" if cells - full >= 0.5 else "")
    return "█" * full + rest


def value(item: Any) -> str:
    """One line: a value's line breaks and tabs shown as escapes, cut at ``VALUE_CHARS``."""
    if item is None:
        return "-"
    if isinstance(item, str):
        item = item.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return compact(item, VALUE_CHARS)
