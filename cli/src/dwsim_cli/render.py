"""Output for people (rich tables, readable numbers) and for scripts (the API's JSON)."""

import json
import sys
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text


def console(stderr: bool = False) -> Console:
    """A console on stdout (or stderr): colours and live updates only on a terminal."""
    return Console(stderr=stderr, highlight=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def table(
    *headers: str,
    title: str | None = None,
    right: tuple[str, ...] = (),
    whole: tuple[str, ...] = (),
) -> Table:
    """A table with these column headers; those in ``right`` (numbers) right-aligned, those in
    ``whole`` (ids, names) and numbers never wrapped or cut: the others make room for them."""
    out = Table(title=title, title_justify="left", header_style="bold", box=None, pad_edge=False)
    for header in headers:
        out.add_column(
            header,
            justify="right" if header in right else "left",
            no_wrap=header in whole or header in right,
        )
    return out


def count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def size(value: int | None) -> str:
    if value is None:
        return "-"
    amount = float(value)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if amount < 1000 or unit == "TB":
            return f"{amount:,.0f} {unit}" if unit == "B" else f"{amount:,.1f} {unit}"
        amount /= 1000
    return f"{value} B"  # unreachable


def seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 60:
        return f"{value:.1f} s"
    minutes, secs = divmod(round(value), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def when(value: datetime | str | None) -> str:
    """A timestamp in local time, to the second."""
    if value is None:
        return "-"
    stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone()
    return stamp.strftime("%Y-%m-%d %H:%M:%S")


def compact(value: Any, limit: int = 60) -> str:
    """A JSON value on one line, cut at ``limit`` characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def add_row(grid: Table, *values: str | Text) -> None:
    """A row of plain text: brackets in names, SQL or rules are never read as markup."""
    grid.add_row(*(Text(v) if isinstance(v, str) else v for v in values))
