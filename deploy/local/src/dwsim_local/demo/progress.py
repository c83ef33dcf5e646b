"""A one-line progress bar for a job: rows done/total, rows/s, stage (plain lines off a tty)."""

import sys
import time
from typing import IO

WIDTH = 30


class ProgressBar:
    def __init__(self, label: str, out: IO[str] | None = None):
        self.label = label
        self.out = out or sys.stdout
        self.tty = self.out.isatty()
        self.started = time.monotonic()
        self.last_line = ""
        self.last_stage = ""
        self.last_print = 0.0
        self.samples: list[tuple[float, int]] = []

    def rate(self, rows_done: int, reported: float | None) -> float | None:
        """The job's own rows/s if it reports one, else measured over the last seconds."""
        if reported:
            return reported
        now = time.monotonic()
        self.samples = [(t, r) for t, r in self.samples if now - t < 5.0] + [(now, rows_done)]
        (t0, r0), (t1, r1) = self.samples[0], self.samples[-1]
        return (r1 - r0) / (t1 - t0) if t1 > t0 and r1 >= r0 else None

    def update(self, job: dict) -> None:
        progress = job.get("progress") or {}
        done, total = int(progress.get("rows_done") or 0), int(progress.get("rows_total") or 0)
        stage = progress.get("stage") or job.get("status", "queued")
        fraction = min(done / total, 1.0) if total else 0.0
        bar = "#" * int(fraction * WIDTH) + "-" * (WIDTH - int(fraction * WIDTH))
        rate = self.rate(done, progress.get("rows_per_s"))
        speed = f" · {rate:,.0f} rows/s" if rate else ""
        line = (
            f"{self.label} [{bar}] {fraction:4.0%} {done:,}/{total:,} rows{speed} · {stage}"
            f" · {time.monotonic() - self.started:.0f}s"
        )
        if self.tty:
            self.out.write("\r" + line.ljust(len(self.last_line)))
            self.out.flush()
        elif stage != self.last_stage or time.monotonic() - self.last_print >= 5.0:
            self.out.write(line + "\n")  # not a terminal: a line per stage and every 5 s
            self.out.flush()
            self.last_print = time.monotonic()
        self.last_line, self.last_stage = line, stage

    def finish(self) -> None:
        if self.tty:
            self.out.write("\n")
            self.out.flush()
