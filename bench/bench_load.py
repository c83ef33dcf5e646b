"""50 concurrent API clients while 3 experiments generate and load: every request must succeed,
and the latency per endpoint is recorded.

    .venv/bin/python bench/bench_load.py [--rows 3000000] [--clients 50]

The stack runs as in ``bench_suite.py`` (``dwsim up --detach`` on free ports with a private
data dir and Redis, a new PostgreSQL database, the generator's Celery worker run here with
``-c 2``). Two small TPC-H-shaped experiments (one per warehouse) are generated and loaded
first: the clients query those. Then three more experiments (two Redshift, one Snowflake)
each get ``POST /generate`` with ``load: true`` at ``--rows`` total rows, at once:

1. **baseline**: no clients; the time from each POST to the job's ``finished_at``;
2. **under load**: the same three jobs into three new experiments (empty tables) while
   ``--clients`` locust users (gevent, one process; spawned within 0.5 s of the POSTs, as
   the pollers need the jobs' ids) run until the last job ends:
   70% poll ``GET /api/jobs/{id}`` of one of the jobs every 0.5-1 s, 16% browse (the
   experiment list, one experiment, its jobs) every 1-3 s, 14% run small queries on the
   loaded experiments every 1-3 s (``POST /api/experiments/{name}/query``; one in four
   fetches CSV, ``?format=csv``).

Printed: requests, errors and p50/p95/p99/max latency per endpoint (every request's own
time, exact percentiles), each error's status and body, the jobs' times split by stage in both
phases, and under load / baseline. Exits 1 if any request erred or any job failed.
"""

# isort: off
import locust  # noqa: F401 - first: it monkey-patches the standard library for gevent

# isort: on
import argparse
import itertools
import os
import random
import sys
import time
from dataclasses import dataclass, field

import gevent
import httpx
import numpy as np
from bench_suite import SCHEMA, create_experiment, table_rows, wait_job
from common import DwsimStack, fresh_database
from locust import FastHttpUser, between, task
from locust.env import Environment
from suite_report import STAGES, Timed

from dwsim_shared.contracts.schema import Experiment

JOBS = (("redshift", "rs1"), ("redshift", "rs2"), ("snowflake", "sf"))
QUERIED = {"q_redshift": "redshift", "q_snowflake": "snowflake"}
QUERIED_ROWS = 100_000
SMALL_QUERIES = [
    "SELECT count(*) AS n FROM orders",
    "SELECT o_orderstatus, count(*) AS n, sum(o_totalprice) AS total FROM orders "
    "GROUP BY o_orderstatus ORDER BY o_orderstatus",
    "SELECT n_name, count(*) AS customers FROM customer JOIN nation "
    "ON c_nationkey = n_nationkey GROUP BY n_name ORDER BY customers DESC",
    "SELECT l_orderkey, l_linenumber, l_quantity, l_extendedprice FROM lineitem "
    "WHERE l_orderkey < 200 ORDER BY l_orderkey, l_linenumber",
]
CSV_QUERY = "SELECT o_orderkey, o_custkey, o_totalprice, o_orderdate FROM orders "
CSV_QUERY += "WHERE o_orderkey <= 3000 ORDER BY o_orderkey"


@dataclass
class Record:
    """Every request the clients made: latencies (ms) per endpoint, and the errors."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def on_request(self, name, response_time, response, exception, **_) -> None:
        self.latencies.setdefault(name, []).append(response_time)
        if exception is not None:
            status = getattr(response, "status_code", None)
            body = (getattr(response, "text", None) or "")[:500]
            self.errors.append(f"{name}: status {status}, {exception!r}, body {body!r}")


# the clients; ``Shared`` is filled in before they start


class Shared:
    jobs: list[str] = []
    experiments: list[str] = []
    turn = itertools.count()


class Poller(FastHttpUser):
    """Watches one of the three jobs, as ``dwsim demo`` and the web UI do."""

    weight, wait_time = 35, between(0.5, 1.0)

    def on_start(self) -> None:
        self.job = Shared.jobs[next(Shared.turn) % len(Shared.jobs)]

    @task
    def poll(self) -> None:
        self.client.get(f"/api/jobs/{self.job}", name="GET /api/jobs/{id}")


class Browser(FastHttpUser):
    """Looks around: the experiment list, one experiment, its jobs."""

    weight, wait_time = 8, between(1.0, 3.0)

    @task(3)
    def experiments(self) -> None:
        self.client.get("/api/experiments", name="GET /api/experiments")

    @task(2)
    def experiment(self) -> None:
        name = random.choice(Shared.experiments)
        self.client.get(f"/api/experiments/{name}", name="GET /api/experiments/{name}")

    @task(1)
    def jobs(self) -> None:
        name = random.choice(Shared.experiments)
        self.client.get(f"/api/experiments/{name}/jobs", name="GET /api/experiments/{name}/jobs")


class Querier(FastHttpUser):
    """Small queries on an experiment already loaded; CSV now and then."""

    weight, wait_time = 7, between(1.0, 3.0)

    @task(3)
    def query(self) -> None:
        body = {"sql": random.choice(SMALL_QUERIES), "limit": 200}
        self.client.post(f"/api/experiments/{random.choice(list(QUERIED))}/query", json=body,
                         name="POST /api/experiments/{name}/query")  # fmt: skip

    @task(1)
    def csv(self) -> None:
        url = f"/api/experiments/{random.choice(list(QUERIED))}/query?format=csv"
        self.client.post(url, json={"sql": CSV_QUERY},
                         name="POST /api/experiments/{name}/query?format=csv")  # fmt: skip


# the jobs


def start_jobs(client: httpx.Client, prefix: str, rows: dict[str, int]) -> list[tuple]:
    """POST generate (load: true) to each of the experiments ``{prefix}_{tag}``, at once."""
    started = []
    for _, tag in JOBS:
        name, t0 = f"{prefix}_{tag}", time.time()
        body = {"rows": rows, "seed": 1, "load": True}
        response = client.post(f"/api/experiments/{name}/generate", json=body)
        if response.status_code != 202:
            raise SystemExit(f"generate {name}: {response.status_code} {response.text}")
        started.append((name, response.json()["job_id"], t0))
    return started


def wait_jobs(client: httpx.Client, started: list[tuple]) -> dict[str, Timed | str]:
    """Each job's ``Timed`` (POST to ``finished_at``), or why it failed."""
    out: dict[str, Timed | str] = {}
    for name, job_id, t0 in started:
        try:
            out[name] = wait_job(client, job_id, 0.5, t0)
        except (SystemExit, httpx.HTTPError) as exc:
            out[name] = str(exc)
    return out


def run_phase(client: httpx.Client, stack: DwsimStack, prefix: str, rows: dict[str, int],
              clients: int) -> tuple[dict, Record | None, float]:  # fmt: skip
    """The three jobs, with ``clients`` locust users running until the last one ends."""
    for warehouse, tag in JOBS:
        create_experiment(client, f"{prefix}_{tag}", warehouse)
    began = time.perf_counter()
    started = start_jobs(client, prefix, rows)
    if not clients:
        return wait_jobs(client, started), None, time.perf_counter() - began
    Shared.jobs = [job_id for _, job_id, _ in started]
    Shared.experiments = [*QUERIED, *(name for name, _, _ in started)]
    env = Environment(user_classes=[Poller, Browser, Querier], host=stack.url, stop_timeout=60)
    record = Record()
    env.events.request.add_listener(record.on_request)
    runner = env.create_local_runner()
    runner.start(clients, spawn_rate=clients * 2)
    timed = wait_jobs(client, started)
    runner.stop()  # each user finishes the request it is in (stop_timeout): none is lost
    runner.quit()
    gevent.sleep(0.1)
    return timed, record, time.perf_counter() - began


# the report


def report_requests(record: Record, seconds: float, clients: int) -> None:
    total = sum(len(v) for v in record.latencies.values())
    print(f"\nrequests by {clients} clients over {seconds:.1f} s ({total / seconds:.0f}/s); "
          "latency in milliseconds")  # fmt: skip
    print(f"  {'endpoint':<50}{'requests':>9}{'errors':>8}{'p50':>8}{'p95':>8}{'p99':>8}"
          f"{'max':>8}")  # fmt: skip
    for name, values in sorted(record.latencies.items(), key=lambda kv: -len(kv[1])):
        errs = sum(1 for e in record.errors if e.startswith(f"{name}:"))
        p50, p95, p99 = np.percentile(values, [50, 95, 99])
        print(f"  {name:<50}{len(values):>9}{errs:>8}{p50:>8.1f}{p95:>8.1f}{p99:>8.1f}"
              f"{max(values):>8.1f}")  # fmt: skip
    print(f"  errors: {len(record.errors)}")
    for error in record.errors:
        print(f"    {error}")


def staged(timed: Timed) -> float:
    return sum(timed.stages.get(s, 0.0) for s in STAGES)


def report_jobs(phases: dict[str, dict], total: int) -> bool:
    """The jobs' times by stage in each phase, then under load / baseline; False if one failed."""
    ok = True
    print(f"\njobs: POST /generate (load: true, {total:,} rows each, all three at once) to the "
          "job's finished_at, seconds; other = queueing and hand-offs")  # fmt: skip
    print(f"  {'phase':<12}{'experiment':<12}{'total':>8}" + "".join(f"{s:>10}" for s in STAGES)
          + f"{'other':>10}")  # fmt: skip
    for phase, jobs in phases.items():
        for (name, timed), (warehouse, _) in zip(jobs.items(), JOBS, strict=True):
            if isinstance(timed, str):
                ok = False
                print(f"  {phase:<12}{name:<12}FAILED: {timed}")
                continue
            other = timed.wall - staged(timed)
            cells = "".join(f"{timed.stages.get(s, 0.0):>10.2f}" for s in STAGES)
            print(f"  {phase:<12}{name:<12}{timed.wall:>8.2f}{cells}{other:>10.2f}  {warehouse}")
    if ok:
        base, loaded = (list(jobs.values()) for jobs in phases.values())
        ratios = [t.wall / b.wall for b, t in zip(base, loaded, strict=True)]
        last = max(t.wall for t in loaded) / max(b.wall for b in base)
        work = sum(map(staged, loaded)) / sum(map(staged, base))
        print("  under load / baseline: " + ", ".join(f"{r:.2f}x" for r in ratios)
              + f"; all three done {last:.2f}x; time in stages (no queueing, which depends "
              f"on the order the jobs' tasks were taken in), summed over the jobs {work:.2f}x")  # fmt: skip
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--rows", type=int, default=3_000_000, help="total rows per experiment")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--postgres-url", default=os.environ.get(
        "DWSIM_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    args = parser.parse_args()
    if args.clients < 1:
        parser.error("--clients must be at least 1")
    load = os.getloadavg()
    print(f"bench_load: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f} at start", flush=True)  # fmt: skip
    began = time.perf_counter()
    shape = Experiment.model_validate_json(SCHEMA.read_text())
    rows = table_rows(shape, args.rows)
    with (
        fresh_database(args.postgres_url) as db_url,
        DwsimStack(db_url, without=("generator",)) as stack,
    ):
        print(f"stack up in {time.perf_counter() - began:.0f} s (gateway {stack.url})", flush=True)
        stack.start_worker(2)
        with httpx.Client(base_url=stack.url, timeout=60) as client:
            small = table_rows(shape, QUERIED_ROWS)
            for name, warehouse in QUERIED.items():  # the clients' queries read these
                create_experiment(client, name, warehouse)
                body = {"rows": small, "seed": 1, "load": True}
                response = client.post(f"/api/experiments/{name}/generate", json=body)
                response.raise_for_status()
                wait_job(client, response.json()["job_id"], 0.2, time.time())
            print(f"queried experiments loaded ({QUERIED_ROWS:,} rows each)", flush=True)
            phases, record = {}, None
            for phase, clients in (("baseline", 0), ("under load", args.clients)):
                prefix = "base" if not clients else "load"
                phases[phase], got, seconds = run_phase(client, stack, prefix, rows, clients)
                record = got or record
                load = os.getloadavg()[0]
                print(f"{phase}: the three jobs done in {seconds:.1f} s (load average {load:.2f})",
                      flush=True)  # fmt: skip
    report_requests(record, seconds, args.clients)
    jobs_ok = report_jobs(phases, args.rows)
    load = os.getloadavg()
    print(f"\nwhole run {time.perf_counter() - began:.0f} s; load average at the end "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")  # fmt: skip
    return 0 if jobs_ok and not record.errors else 1


if __name__ == "__main__":
    sys.exit(main())
