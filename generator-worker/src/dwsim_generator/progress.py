"""Progress on stderr while a run goes (rows per table), and the summary that ends it."""

import shutil
import sys
import time
from collections import defaultdict
from typing import TextIO

from dwsim_generator.engine.writer import PartResult
from dwsim_shared.contracts.api import Estimate
from dwsim_shared.contracts.sizing import extrapolate_bytes, human_bytes


class Progress:
    """Rows done per table, redrawn in place on a terminal; else a line per finished table and
    a status line every ``EVERY`` seconds."""

    EVERY = 5.0

    def __init__(self, totals: dict[str, int], parts: dict[str, int], stream: TextIO | None = None):
        self.totals, self.parts = totals, parts
        self.stream = stream or sys.stderr
        self.rows: dict[str, int] = defaultdict(int)
        self.files: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)
        self.bytes: dict[str, int] = defaultdict(int)
        self.started = self.printed = time.perf_counter()
        self.tty = self.stream.isatty()

    def __call__(self, part: PartResult) -> None:
        self.rows[part.table] += part.rows
        self.files[part.table] += 1
        self.seconds[part.table] += part.seconds
        self.bytes[part.table] += part.bytes
        if self.tty:
            self.stream.write(f"\r\x1b[K{self.line()}")
            self.stream.flush()
        elif self.files[part.table] == self.parts[part.table]:
            print(f"{part.table}: {self.rows[part.table]:,} rows", file=self.stream, flush=True)
            self.printed = time.perf_counter()
        elif time.perf_counter() - self.printed >= self.EVERY:  # a log: a line now and then
            print(self.line(), file=self.stream, flush=True)
            self.printed = time.perf_counter()

    def announce(self, estimate: Estimate) -> None:
        """Before any work: how long and how much the run will take (the cost model), so a big
        request shows its size."""
        total = sum(self.totals.values())
        print(
            f"generating {total:,} rows in {len(self.totals)} tables, "
            f"about {estimate.seconds:,.1f} s, about {human_bytes(estimate.bytes)} of Parquet",
            file=self.stream,
            flush=True,
        )

    def line(self) -> str:
        """One status line, cut to the terminal's width so it redraws in place."""
        done = sum(self.files[t] == self.parts[t] for t in self.totals)
        rows, total = sum(self.rows.values()), sum(self.totals.values())
        busy = [f"{t} {self.rows[t]:,}/{n:,}" for t, n in self.totals.items()
                if self.files[t] and self.files[t] < self.parts[t]]  # fmt: skip
        text = f"{done}/{len(self.totals)} tables, {rows:,}/{total:,} rows" + self._rate(
            rows, total
        )
        return (text + "".join(f"; {b}" for b in busy))[: shutil.get_terminal_size().columns - 1]

    def _rate(self, rows: int, total: int) -> str:
        """`, 2.1M rows/s, ETA 12s, 40.2 MB of ~130.5 MB`: the pace so far and where it leads."""
        elapsed = time.perf_counter() - self.started
        if rows <= 0 or elapsed <= 0:
            return ""
        rate = rows / elapsed
        size = sum(self.bytes.values())
        expected = extrapolate_bytes(size, rows, total) or size
        return (
            f", {rate:,.0f} rows/s, ETA {max(total - rows, 0) / rate:.0f}s, "
            f"{human_bytes(size)} of ~{human_bytes(expected)}"
        )

    def summary(self) -> str:
        wall = time.perf_counter() - self.started
        header = f"{'table':<24} {'rows':>14} {'files':>6} {'seconds':>9} {'rows/s':>12}"
        lines = [header]
        for table in self.totals:
            seconds = self.seconds[table]
            rate = self.rows[table] / seconds if seconds > 0 else 0.0
            lines.append(
                f"{table:<24} {self.rows[table]:>14,} {self.files[table]:>6} "
                f"{seconds:>9.2f} {rate:>12,.0f}"
            )
        total = sum(self.rows.values())
        lines.append(
            f"{'total (wall clock)':<24} {total:>14,} {sum(self.files.values()):>6} "
            f"{wall:>9.2f} {total / wall if wall > 0 else 0:>12,.0f}"
        )
        return "\n".join(lines)

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
        print(self.summary(), file=self.stream, flush=True)
