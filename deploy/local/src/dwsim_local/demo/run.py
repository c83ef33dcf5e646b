"""The demo: a shop schema on Redshift and on Snowflake, generated, loaded and queried.

Speaks only the gateway's public HTTP API, as any client would: create an experiment from the
bundled DDL per warehouse, generate about a million rows in all with auto-load, follow each
job with a progress bar, run a join on each warehouse and print results and stage timings.
"""

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from typing import IO

from dwsim_local.demo.client import ApiError, GatewayClient
from dwsim_local.demo.progress import ProgressBar

PREFIX = "dwsim_demo_"
DECIMAL = re.compile(r"-?\d+\.\d+")
TERMINAL = {"succeeded", "failed", "cancelled"}
# share of the rows per table: about 4 lines per order, 4 orders per customer
SHARES = {"customers": 0.05, "products": 0.002, "orders": 0.2, "order_lines": 0.748}
STAGES = ("plan", "generate", "stage", "load")
JOIN_SQL = """SELECT p.category,
       COUNT(DISTINCT o.order_id) AS orders,
       COUNT(DISTINCT c.customer_id) AS customers,
       SUM(l.quantity * l.unit_price) AS revenue
FROM order_lines l
JOIN products p ON p.product_id = l.product_id
JOIN orders o ON o.order_id = l.order_id
JOIN customers c ON c.customer_id = o.customer_id
GROUP BY p.category
ORDER BY revenue DESC"""


@dataclass(frozen=True)
class Target:
    warehouse: str
    dialect: str
    sample: str  # file under demo/sample/


TARGETS = (
    Target("redshift", "redshift", "shop.redshift.sql"),
    Target("snowflake", "snowflake", "shop.snowflake.sql"),
)


class DemoFailed(ApiError):
    """A job of the demo failed; the message carries its error."""


def sample_ddl(name: str) -> str:
    return files("dwsim_local.demo").joinpath("sample", name).read_text()


def rows_per_table(total: int) -> dict[str, int]:
    rows = {table: max(1, round(total * share)) for table, share in SHARES.items()}
    rows["order_lines"] = max(1, total - sum(r for t, r in rows.items() if t != "order_lines"))
    return rows


class Demo:
    def __init__(
        self,
        client: GatewayClient,
        out: IO[str],
        total_rows: int = 1_000_000,
        seed: int = 42,
        poll_s: float = 0.5,
        job_timeout_s: float = 1800.0,
    ):
        self.client, self.out = client, out
        self.total_rows, self.seed = total_rows, seed
        self.poll_s, self.job_timeout_s = poll_s, job_timeout_s
        self.stamp = datetime.now(UTC).strftime("%Y%m%d_%H%M%S")

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def run(self) -> int:
        self._check_health()
        self._remove_previous()
        rows = rows_per_table(self.total_rows // len(TARGETS))
        self.say(
            f"Generating {sum(rows.values()) * len(TARGETS):,} rows in all: "
            + ", ".join(f"{t} {n:,}" for t, n in rows.items())
            + f" per warehouse (seed {self.seed})."
        )
        names = []
        for target in TARGETS:
            names.append(self._experiment(target, rows))
        for target, name in zip(TARGETS, names, strict=True):
            self._query(target, name)
        return 0

    # -- steps ----------------------------------------------------------------------------------
    def _check_health(self) -> None:
        health = self.client.health()
        if health.get("status") != "ok":
            down = [
                f"{d.get('name')}: {d.get('detail') or d.get('status')}"
                for d in health.get("dependencies", [])
                if d.get("status") != "ok"
            ]
            raise ApiError(
                f"the stack at {self.client.base_url} is not healthy ({'; '.join(down)}); "
                "see its log (.dwsim/logs/stack.log) or restart it: make down && make demo"
            )

    def _remove_previous(self) -> None:
        """Delete the experiments earlier demos left (they are not needed, and take space)."""
        old = [e["name"] for e in self.client.experiments() if e["name"].startswith(PREFIX)]
        if not old:
            return
        self.say(f"Removing {len(old)} experiment(s) of earlier demos: {', '.join(old)}")
        for name in old:
            try:
                job = self.client.delete_experiment(name)
                if job and job.get("id"):
                    self._wait(job["id"], bar=None)
            except ApiError as exc:  # not worth stopping the demo for: the names are unique
                self.say(f"  could not delete {name}: {exc}")

    def _experiment(self, target: Target, rows: dict[str, int]) -> str:
        name = f"{PREFIX}{target.warehouse}_{self.stamp}"
        self.say()
        self.say(f"== {target.warehouse}: experiment {name} from {target.sample}")
        created = self.client.create_experiment(
            name, target.warehouse, sample_ddl(target.sample), target.dialect
        )
        schema = created.get("schema") or created  # an ExperimentRecord holds the schema
        self.say(f"   tables: {', '.join(t['name'] for t in schema.get('tables', []))}")
        for warning in schema.get("warnings") or []:
            text = warning.get("message", warning) if isinstance(warning, dict) else warning
            self.say(f"   warning: {text}")
        started = time.monotonic()
        accepted = self.client.generate(name, rows, self.seed, load=True)
        job = self._wait(accepted["job_id"], bar=ProgressBar(f"   {target.warehouse:<9}", self.out))
        self._report_job(job, time.monotonic() - started)
        return name

    def _wait(self, job_id: str, bar: ProgressBar | None) -> dict:
        deadline = time.monotonic() + self.job_timeout_s
        while True:
            job = self.client.job(job_id)
            if bar:
                bar.update(job)
            if job["status"] in TERMINAL:
                break
            if time.monotonic() > deadline:
                raise DemoFailed(
                    f"job {job_id} still {job['status']} after {self.job_timeout_s:.0f}s"
                )
            time.sleep(self.poll_s)
        if bar:
            bar.finish()
        if job["status"] != "succeeded":
            stage = (job.get("progress") or {}).get("stage")
            where = f" during {stage}" if stage else ""
            raise DemoFailed(
                f"{job['kind']} job {job_id} of {job['experiment']} {job['status']}{where}: "
                f"{job.get('error') or 'no error message'}"
            )
        return job

    def _report_job(self, job: dict, wall_s: float) -> None:
        progress = job.get("progress") or {}
        timings = progress.get("timings") or {}
        parts = [f"{s} {timings[s]:.1f}s" for s in STAGES if s in timings]
        parts += [f"{s} {v:.1f}s" for s, v in timings.items() if s not in STAGES]
        self.say(f"   timings: {' · '.join(parts) or 'none reported'} · total {wall_s:.1f}s")
        tables = progress.get("tables") or {}
        if tables:
            loaded = ", ".join(
                f"{t} {(p.get('rows_loaded') if p.get('rows_loaded') is not None else p.get('rows_done', 0)):,}"
                for t, p in tables.items()
            )
            self.say(f"   rows in the warehouse: {loaded}")

    def _query(self, target: Target, name: str) -> None:
        self.say()
        self.say(f"== {target.warehouse}: revenue per product category ({name})")
        started = time.monotonic()
        result = self.client.query(name, JOIN_SQL)
        elapsed = result.get("elapsed_ms")
        self.say(format_table(result))
        took = f"{elapsed:.0f} ms in the warehouse" if elapsed is not None else ""
        self.say(
            f"   {result.get('row_count', len(result.get('rows', [])))} rows · {took}"
            f" · {1000 * (time.monotonic() - started):.0f} ms round trip"
        )


def format_table(result: dict) -> str:
    """Columns padded to their widest value; numbers right-aligned, with thousands separators."""
    headers = [c["name"] for c in result.get("columns", [])]
    rows = [[_cell(v) for v in row] for row in result.get("rows", [])]
    widths = [max([len(h)] + [len(r[i][0]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["   " + "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("   " + "  ".join("-" * w for w in widths))
    for row in rows:
        cells = [
            text.rjust(w) if number else text.ljust(w)
            for (text, number), w in zip(row, widths, strict=True)
        ]
        lines.append("   " + "  ".join(cells).rstrip())
    return "\n".join(lines)


def _cell(value: object) -> tuple[str, bool]:
    """The text of a value, and whether it is a number."""
    if isinstance(value, str) and DECIMAL.fullmatch(value):  # DECIMALs come as exact strings
        value = float(value)
    if isinstance(value, float):
        return f"{value:,.2f}", True
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}", True
    return ("" if value is None else str(value)), False
