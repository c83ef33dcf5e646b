"""Query results and saved queries for people; counting the rows of a CSV as it streams."""

import re

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from dwsim_cli.render import add_row, compact, count, table, when
from dwsim_shared.contracts.api import SavedQuery
from dwsim_shared.contracts.query import QueryResult

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def show_result(out: Console, result: QueryResult, limit: int | None) -> None:
    grid = table()
    for index, column in enumerate(result.columns):
        values = [row[index] for row in result.rows if row[index] is not None]
        numeric = bool(values) and all(_is_number(v) for v in values)
        header = Text.assemble((column.name, "bold"), "\n", (column.type, "dim"))
        # fold, never cut: a value too wide for the terminal wraps onto the next line
        grid.add_column(header, justify="right" if numeric else "left", overflow="fold")
    for row in result.rows:
        add_row(grid, *(_cell(value) for value in row))
    out.print(grid)
    out.print(summary(result, limit), markup=False)


def summary(result: QueryResult, limit: int | None) -> str:
    rows = f"{count(result.row_count)} row{'' if result.row_count == 1 else 's'}"
    text = f"{rows} in {result.elapsed_ms:,.1f} ms"
    if result.truncated:
        cap = f"--limit {limit}" if limit is not None else "the default limit"
        text += (
            f" · truncated: the query returned more rows than {cap} "
            "(raise --limit, or --csv FILE for every row)"
        )
    return text


def _is_number(value: object) -> bool:
    """Numbers, and decimals (which arrive as exact strings), are right-aligned."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) or (isinstance(value, str) and bool(NUMBER.match(value)))


def _cell(value: object) -> Text:
    if value is None:
        return Text("NULL", style="dim")
    if value is True or value is False:
        return Text("true" if value else "false")
    return Text(value if isinstance(value, str) else compact(value, 200))


def show_saved(out: Console, queries: list[SavedQuery]) -> None:
    if not queries:
        out.print("no saved queries: `dwsim query save NAME QUERY_NAME SQL`")
        return
    grid = table("name", "description", "updated", "sql", whole=("name",))
    for q in queries:
        add_row(
            grid,
            q.name,
            q.description or "",
            when(q.updated_at),
            compact(" ".join(q.sql.split()), 60),
        )
    out.print(grid)


def show_one_saved(out: Console, q: SavedQuery) -> None:
    out.print(
        f"[bold]{escape(q.name)}[/bold] on {escape(q.experiment)} · updated {when(q.updated_at)}"
    )
    if q.description:
        out.print(q.description, markup=False)
    out.print()
    out.print(q.sql, markup=False, highlight=False, soft_wrap=True)


class CsvRows:
    """Counts the records of RFC 4180 CSV as chunks arrive (newlines inside quotes are data)."""

    def __init__(self) -> None:
        self.records = 0
        self.in_quotes = False

    def feed(self, chunk: bytes) -> None:
        # between two quotes the state flips (an escaped quote "" flips it twice)
        parts = chunk.split(b'"')
        for index, part in enumerate(parts):
            if index:
                self.in_quotes = not self.in_quotes
            if not self.in_quotes:
                self.records += part.count(b"\n")

    @property
    def rows(self) -> int:
        """Records less the header line."""
        return max(self.records - 1, 0)
