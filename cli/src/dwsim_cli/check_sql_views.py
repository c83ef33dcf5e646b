"""A compatibility report for people: one row per statement (files named from the folder they
share, printed first), then the counts and pass rate."""

import os

from rich.console import Console
from rich.text import Text

from dwsim_cli.render import add_row, seconds, table
from dwsim_shared.contracts.compat import CheckReport, CheckStatus, StatementCheck

STATEMENT_CHARS = 32
STYLES = {
    CheckStatus.FAITHFUL: "green",
    CheckStatus.REWRITTEN: "cyan",
    CheckStatus.UNSUPPORTED: "yellow",
    CheckStatus.ERROR: "red",
}


def show_report(out: Console, report: CheckReport) -> None:
    base = common_folder(report.statements)
    if base:
        out.print(f"in {base}{os.sep}", markup=False, highlight=False)
    grid = table("where", "statement", "status", "detail", whole=("statement", "status"))
    where_, statement, status_, detail_ = grid.columns
    where_.overflow = "fold"  # a long path breaks across lines rather than losing its line
    statement.min_width = 16
    status_.min_width = max(len(s.value) for s in CheckStatus)
    detail_.min_width = 24
    for check in report.statements:
        status = Text(check.status.value, style=STYLES[check.status])
        add_row(grid, where(check, base), first_words(check.sql), status, detail(check))
    out.print(grid)
    out.print(summary(report), markup=False, highlight=False)
    for note in report.notes:
        out.print(f"note: {note}", markup=False, highlight=False)


def common_folder(checks: list[StatementCheck]) -> str:
    """The folder every checked file is in ("" when none is shared, or files are unnamed)."""
    files = {c.file for c in checks}
    if not files or None in files:
        return ""
    try:
        return os.path.commonpath([os.path.dirname(f) for f in files if f])
    except ValueError:  # absolute and relative paths mixed
        return ""


def where(check: StatementCheck, base: str = "") -> str:
    if not check.file:
        return f"line {check.line}"
    name = os.path.relpath(check.file, base) if base else check.file
    return f"{name}:{check.line}"


def first_words(sql: str) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= STATEMENT_CHARS else text[: STATEMENT_CHARS - 1] + "…"


def detail(check: StatementCheck) -> str:
    parts = []
    if check.status is CheckStatus.REWRITTEN:
        parts.append(", ".join(check.rewrites))
    if check.reason:
        text = " ".join(check.reason.split())
        if check.error_line is not None:
            text += f" (line {check.error_line}, column {check.error_column})"
        parts.append(text)
    if check.note:
        parts.append(check.note)
    return " · ".join(p for p in parts if p)


def summary(report: CheckReport) -> str:
    s = report.summary
    statements = f"{s.total:,} statement{'' if s.total == 1 else 's'}"
    counts = ", ".join(f"{s.counts.get(status, 0):,} {status.value}" for status in CheckStatus)
    where = report.target + (f", schema {report.schema_}" if report.schema_ else "")
    return (
        f"{statements}: {counts} · {s.pass_rate:.0%} pass (faithful or rewritten) · "
        f"{report.warehouse.value} emulator at {where} · {seconds(report.elapsed_ms / 1000)}"
    )
