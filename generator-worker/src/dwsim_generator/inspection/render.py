"""A run inspection as text: one table of column profiles per data table, then the checks."""

from dwsim_shared.contracts.inspection import CheckResult, RunInspection, StagedColumnProfile

BARS = " ▁▂▃▄▅▆▇█"
SHOW_TOP_UP_TO = 20  # distinct values up to which the common values are listed
CELL = 26  # widest min/max cell


def sparkline(counts: list[int]) -> str:
    most = max(counts) if counts else 0
    if not most:
        return ""
    return "".join(BARS[0 if c == 0 else max(1, round(c / most * (len(BARS) - 1)))] for c in counts)


def _cut(value: object, width: int = CELL) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _values(column: StagedColumnProfile) -> str:
    present = column.rows - column.nulls
    if column.top and (column.distinct <= SHOW_TOP_UP_TO or column.histogram is None):
        return ", ".join(f"{_cut(v.value, 16)} {_share(v.count / present)}" for v in column.top)
    if column.histogram is not None:
        return sparkline(column.histogram.counts)
    if present and column.distinct == present:
        return "all distinct"
    return ""


def _share(fraction: float) -> str:
    return f"{fraction:.0%}" if fraction >= 0.095 else f"{fraction:.1%}"


def _nulls(column: StagedColumnProfile) -> str:
    if not column.nulls:
        return "0"
    return f"{column.nulls:,} {column.null_fraction:.1%}"


def _grid(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]  # fmt: skip
        out.append("  " + "  ".join(cells).rstrip())
    return out


def _check_line(check: CheckResult) -> str:
    status = "ok  " if check.ok else ("ERROR" if check.error else "FAIL")
    what = f"{check.table}({', '.join(check.columns)})" if check.columns else check.table
    if check.target:
        what += f" -> {check.target}"
    kind = check.kind.replace("_", " ")
    detail = check.message
    if check.examples and not check.ok:
        detail += "; e.g. " + ", ".join(_cut(e, 40) for e in check.examples)
    return f"  {status}  {kind:<14} {what}: {detail}"


def render(report: RunInspection) -> str:
    lines = [f"run {report.run} (experiment {report.experiment})"]
    header = ["column", "type", "nulls", "distinct", "min", "max", "values"]
    for table in report.tables:
        lines += ["", f"{table.name}: {table.rows:,} rows"]
        rows = [[c.name, c.type, _nulls(c), f"{c.distinct:,}", _cut(c.min), _cut(c.max), _values(c)]
                for c in table.columns]  # fmt: skip
        lines += _grid(header, rows, right={2, 3})
    failed = report.failed
    lines += ["", f"checks: {len(report.checks) - len(failed)} passed, {len(failed)} failed"]
    lines += [_check_line(c) for c in sorted(report.checks, key=lambda c: c.ok)]
    return "\n".join(lines)
