"""The whole suite against the direct path: TPC-H-shaped data through the HTTP API (generate ->
stage -> COPY into each emulator) and, in the same run, the same rows generated with the engine
in this process and loaded with the loader's own code (``dwsim generate --workers 2`` then
``dwsim load``: engine + S3 upload + COPY, no services). Also: generator scaling (one worker
process against two, read against two baselines measured in the same rounds: the engine alone
with as many processes, and a pure-Python loop, ``scaling_baselines.py``), the latency of
``GET /api/jobs/{id}`` while a job runs, and the peak RSS of every process of the stack at each
size.

    .venv/bin/python bench/bench_suite.py [--sizes 1000000,10000000] [--rounds 1]
                                          [--warehouses redshift,snowflake]

The stack runs once (``dwsim up --detach``, free ports, a private data dir and Redis, a new
PostgreSQL database) without its generator worker: this script runs that Celery worker itself,
with -c 2 for the suite runs and -c 1 / -c 2 for the scaling runs. Each measured run gets a
new experiment (tables created and dropped untimed), so every load goes into empty tables;
one small run of each path per warehouse warms the services first. A suite run's time is from
the POST to the job's ``finished_at``, polled every 0.5 s (as ``dwsim demo`` does); the
latency of ``GET /api/jobs/{id}`` is measured apart, in one more run per warehouse at the
largest size polled every 20 ms, since that polling costs the stack CPU. CPU seconds per
process and the cores other work on the machine used are printed beside each run.
Figures are printed, not asserted; the exit code is non-zero only if something failed.
"""

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx
from common import DwsimStack, ProcessSampler, fresh_database
from scaling_baselines import cpu_loop, engine_run
from suite_report import (
    Scaling,
    Timed,
    label,
    report_compare,
    report_cpu,
    report_latency,
    report_memory,
    report_scaling,
    stages_text,
)

from dwsim_generator.commands import write_experiment
from dwsim_generator.engine import DEFAULT_CHUNK_ROWS, plan_run
from dwsim_generator.engine.parallel import RunRequest, WorkerPool, run_chunks
from dwsim_generator.engine.writer import write_manifests
from dwsim_loader.local_run import read_run, stage
from dwsim_loader.service import LoaderService
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.s3 import s3_client

SCHEMA = Path(__file__).with_name("tpch_sf1.json")
FIXED_TABLES = ("region", "nation")  # TPC-H keeps these at 5 and 25 rows at every scale
TERMINAL = {"succeeded", "failed", "cancelled"}
SEED = 1


def table_rows(experiment: Experiment, total: int) -> dict[str, int]:
    """Rows per table summing to ``total``: the SF1 shape scaled, region and nation fixed."""
    fixed = {t.name: t.target_rows for t in experiment.tables if t.name in FIXED_TABLES}
    scaled = {t.name: t.target_rows for t in experiment.tables if t.name not in FIXED_TABLES}
    factor = (total - sum(fixed.values())) / sum(scaled.values())
    rows = {name: max(round(n * factor), 1) for name, n in scaled.items()}
    largest = max(rows, key=rows.get)
    rows[largest] += total - sum(fixed.values()) - sum(rows.values())
    return {**fixed, **rows}


# the suite path: HTTP only


def wait_job(client: httpx.Client, job_id: str, poll_s: float, t0: float) -> Timed:
    """Poll the job every ``poll_s`` until it ends; wall time from ``t0`` (``time.time()``) to
    the job's ``finished_at`` (the metadata service's clock: this machine's)."""
    latencies = []
    while True:
        sent = time.perf_counter()
        response = client.get(f"/api/jobs/{job_id}")
        got = time.perf_counter()
        latencies.append(got - sent)
        response.raise_for_status()
        job = response.json()
        if job["status"] in TERMINAL:
            break
        time.sleep(max(0.0, poll_s - (got - sent)))
    if job["status"] != "succeeded":
        raise SystemExit(f"job {job_id} ({job['kind']}) ended {job['status']}: {job['error']}")
    finished = datetime.fromisoformat(job["finished_at"]).timestamp()
    return Timed(finished - t0, job["progress"]["timings"], latencies, run_id=job["run_id"])


def create_experiment(client: httpx.Client, name: str, warehouse: str) -> str:
    """Create it and wait until its tables exist; returns the materialize job's id."""
    body = {"name": name, "warehouse": warehouse, "schema": json.loads(SCHEMA.read_text())}
    response = client.post("/api/experiments", json=body)
    if response.status_code != 201:
        raise SystemExit(f"creating experiment {name}: {response.status_code} {response.text}")
    wait_job(client, response.headers["X-Job-Id"], 0.1, time.time())
    return response.headers["X-Job-Id"]


def staged_parts(s3, bucket: str, name: str, run_id: str) -> dict[str, str]:
    """{part key relative to the run: its ETag}. A part goes up in one PUT (under 128 MiB), so
    its ETag is the MD5 of its bytes: equal maps mean byte-identical staged data."""
    prefix = RunLayout(name, run_id).prefix
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return {obj["Key"].removeprefix(prefix): obj["ETag"]
            for page in pages for obj in page.get("Contents", [])
            if obj["Key"].endswith(".parquet")}  # fmt: skip


def drop_experiment(client: httpx.Client, name: str) -> None:
    response = client.delete(f"/api/experiments/{name}")
    response.raise_for_status()
    wait_job(client, response.json()["id"], 0.1, time.time())


def suite_run(client: httpx.Client, name: str, rows: dict[str, int], load: bool,
              chunk_rows: int, poll_s: float) -> Timed:  # fmt: skip
    """POST generate, then poll the job to its success; the experiment exists already."""
    body = {"rows": rows, "seed": SEED, "load": load, "chunk_rows": chunk_rows}
    t0 = time.time()
    response = client.post(f"/api/experiments/{name}/generate", json=body)
    if response.status_code != 202:
        raise SystemExit(f"generate {name}: {response.status_code} {response.text}")
    return wait_job(client, response.json()["job_id"], poll_s, t0)


# the direct path: engine + S3 upload + COPY, in this process


def direct_run(service: LoaderService, experiment: Experiment, rows: dict[str, int],
               chunk_rows: int, workers: int) -> Timed:  # fmt: skip
    """``dwsim generate --workers N`` to a temporary folder, then ``dwsim load`` of it."""
    run_id = f"d{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="dwsim-bench-direct-") as tmp:
        out = Path(tmp)
        t0 = time.perf_counter()
        with WorkerPool(workers) as pool:
            plan = plan_run(experiment, seed=SEED, rows=rows, chunk_rows=chunk_rows)
            write_experiment(out, experiment)
            parts = run_chunks(plan, RunRequest.for_plan(plan, out), pool)
        by_table = {t: [p for p in parts if p.table == t] for t in plan.order}
        write_manifests(out, RunLayout(experiment.name, run_id), service.bucket, SEED,
                        experiment.schema_hash(), chunk_rows, by_table)  # fmt: skip
        t1 = time.perf_counter()
        run, _ = read_run(out, experiment.warehouse, name=experiment.name, run_id=run_id)
        stage(service, run)
        t2 = time.perf_counter()
        service.load_run(run.experiment, run_id, manifest=run.manifest)
        t3 = time.perf_counter()
    return Timed(t3 - t0, {"generate": t1 - t0, "stage": t2 - t1, "load": t3 - t2})


@contextlib.contextmanager
def direct_experiment(service: LoaderService, name: str, warehouse: str):
    data = json.loads(SCHEMA.read_text())
    experiment = Experiment.model_validate({**data, "name": name, "warehouse": warehouse})
    service.materialize(experiment)
    try:
        yield experiment
    finally:
        service.drop_warehouse(experiment)
        service.drop_staged(name)


# the phases


class Bench:
    """The stack, an HTTP client for it, the loader's service for the direct path, the options."""

    def __init__(self, stack: DwsimStack, client: httpx.Client, args: argparse.Namespace):
        self.stack, self.client, self.args = stack, client, args
        self.service = LoaderService(stack.settings)
        self.dbname = stack.env["DWSIM_POSTGRES_URL"].rpartition("/")[2]
        self.shape = Experiment.model_validate_json(SCHEMA.read_text())
        self.s3 = s3_client(stack.settings)

    def metered(self, work) -> Timed:
        """``work()`` with the CPU and peak RSS of every process of the stack (and of this
        script, and of the PostgreSQL backends serving the stack's database) sampled."""
        roots = [self.stack.supervisor_pid, os.getpid()]
        with ProcessSampler(roots, f" {self.dbname} ") as sampler:
            timed = work()
        timed.busy = sampler.busy
        for proc in sampler.procs.values():
            name = label(proc, sampler.procs)
            timed.cpu[name] = timed.cpu.get(name, 0.0) + proc["cpu"]
            peak, count = timed.peaks.get(name, (0, 0))
            timed.peaks[name] = (max(peak, proc["peak"]), count + 1)
        return timed

    def suite(self, name: str, warehouse: str, total: int, load: bool = True,
              poll: float | None = None) -> Timed:  # fmt: skip
        """A new experiment, one generate job through the API, then the experiment dropped
        (the staged parts' ETags, their MD5s, are kept first: ``Timed.parts``)."""
        create_experiment(self.client, name, warehouse)
        rows = table_rows(self.shape, total)
        chunk_rows, poll = self.args.chunk_rows, poll or self.args.poll
        timed = self.metered(lambda: suite_run(self.client, name, rows, load, chunk_rows, poll))
        timed.parts = staged_parts(self.s3, self.stack.settings.s3_bucket, name, timed.run_id)
        drop_experiment(self.client, name)
        return timed

    def direct(self, name: str, warehouse: str, total: int) -> Timed:
        rows, chunk_rows = table_rows(self.shape, total), self.args.chunk_rows
        with direct_experiment(self.service, name, warehouse) as experiment:
            return self.metered(lambda: direct_run(self.service, experiment, rows, chunk_rows, 2))

    def warm_up(self) -> None:
        """A small run of each path into each warehouse, unmeasured: services warm, as in use."""
        for warehouse in self.args.warehouses:
            self.suite(f"warm_suite_{warehouse}", warehouse, 100_000)
            self.direct(f"warm_direct_{warehouse}", warehouse, 100_000)

    def compare(self, total: int, warehouse: str, rnd: int, results: dict) -> None:
        """One suite run and one direct run of ``total`` rows into ``warehouse``, alternating."""
        tag = f"{warehouse}_{total // 1000}k_{rnd}"
        for path in ("suite", "direct") if rnd % 2 == 0 else ("direct", "suite"):
            run = self.suite if path == "suite" else self.direct
            timed = run(f"{path}_{tag}", warehouse, total)
            results.setdefault((warehouse, total, path), []).append(timed)
            print(f"  {path:<6} {warehouse:<9} {total:>11,} rows: {timed.wall:6.2f} s "
                  f"({stages_text(timed)}; other work {timed.others:.1f} cores)", flush=True)  # fmt: skip

    def scaling(self, total: int) -> Scaling:
        """``total`` rows, load false, the generator worker at each ``--scaling`` -c
        (alternating the order between rounds), each time after an unmeasured run of
        ``--warm-rows`` (by default as many as the measured run: its pool processes warm,
        imports done, the memory of full-size chunks grown, moto's too, as in a worker in
        use). In the same round and at the same -c, the baselines (``scaling_baselines``):
        the engine alone with that many processes, and a pure-Python loop in that many."""
        out = Scaling({c: [] for c in self.args.scaling})
        warm = self.args.warm_rows or total
        rows, chunk_rows = table_rows(self.shape, total), self.args.chunk_rows
        for rnd in range(self.args.rounds):
            for workers in self.args.scaling if rnd % 2 == 0 else self.args.scaling[::-1]:
                self.stack.start_worker(workers)
                self.suite(f"scale_warm_{workers}_{rnd}", self.args.warehouses[0], warm, False)
                timed = self.suite(f"scale_{workers}_{rnd}", self.args.warehouses[0], total, False)
                out.suite[workers].append(timed)
                self.stack.stop_worker()  # idle, but its pool's memory is not the engine's
                engine = engine_run(self.shape, rows, SEED, chunk_rows, workers)
                loop = cpu_loop(workers)
                out.engine.setdefault(workers, []).append(engine)
                out.loop.setdefault(workers, []).append(loop)
                print(f"  -c {workers}: {timed.wall:6.2f} s ({stages_text(timed)}; other work "
                      f"{timed.others:.1f} cores); engine alone {engine:5.2f} s, "
                      f"cpu loop {loop:4.2f} s", flush=True)  # fmt: skip
        return out

    def latency_probe(self, total: int) -> dict[str, Timed]:
        """A suite run per warehouse polled every ``--probe`` s: the job's GET latency."""
        out = {}
        for warehouse in self.args.warehouses:
            out[warehouse] = self.suite(
                f"probe_{warehouse}", warehouse, total, poll=self.args.probe
            )
            print(f"  probe  {warehouse:<9} {total:>11,} rows: {out[warehouse].wall:6.2f} s, "
                  f"{len(out[warehouse].latencies)} GETs", flush=True)  # fmt: skip
        return out

    def idle_latency(self, requests: int = 300) -> dict[str, list[float]]:
        """GET a finished job through the gateway, and straight from the metadata service."""
        job_id = create_experiment(self.client, "idle", self.args.warehouses[0])
        out: dict[str, list[float]] = {}
        urls = {"gateway": f"{self.stack.url}/api/jobs/{job_id}",
                "metadata": f"{self.stack.settings.metadata_url}/jobs/{job_id}"}  # fmt: skip
        with httpx.Client(timeout=10) as client:
            for where, url in urls.items():
                out[where] = []
                for _ in range(requests):
                    sent = time.perf_counter()
                    client.get(url).raise_for_status()
                    out[where].append(time.perf_counter() - sent)
                    time.sleep(self.args.probe)
        drop_experiment(self.client, "idle")
        return out


# the report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--sizes", default="1000000,10000000", help="total rows, comma-separated")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--warehouses", default="redshift,snowflake")
    parser.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS)
    parser.add_argument("--poll", type=float, default=0.5,
                        help="seconds between job polls in the timed runs")  # fmt: skip
    parser.add_argument("--probe", type=float, default=0.02,
                        help="seconds between job polls in the latency probe runs")  # fmt: skip
    parser.add_argument("--scaling", default="1,2,4",
                        help="generator worker -c values of the scaling runs, comma-separated")  # fmt: skip
    parser.add_argument("--warm-rows", type=int, default=None,
                        help="rows of the unmeasured run before each scaling run "
                             "(default: as many as the measured run)")  # fmt: skip
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling runs")
    parser.add_argument("--only-scaling", action="store_true",
                        help="only the scaling runs (no suite/direct comparison, no latency)")  # fmt: skip
    parser.add_argument("--postgres-url", default=os.environ.get(
        "DWSIM_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    args = parser.parse_args()
    args.sizes = sorted(int(s) for s in args.sizes.split(","))
    args.warehouses = [Warehouse(w).value for w in args.warehouses.split(",")]
    args.scaling = [int(c) for c in args.scaling.split(",")]
    load = os.getloadavg()
    print(f"bench_suite: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f} at start" + ("  (shared machine: other work is running, figures "
          "are noisy)" if load[0] > 0.5 else ""), flush=True)  # fmt: skip
    began = time.perf_counter()
    results: dict = {}
    scaled = None
    with (
        fresh_database(args.postgres_url) as db_url,
        DwsimStack(db_url, without=("generator",)) as stack,
    ):
        print(f"stack up in {time.perf_counter() - began:.0f} s (gateway {stack.url})", flush=True)
        stack.start_worker(2)
        with httpx.Client(base_url=stack.url, timeout=60) as client:
            bench = Bench(stack, client, args)
            if not args.only_scaling:
                bench.warm_up()
                idle = bench.idle_latency()
                for total in args.sizes:
                    for warehouse in args.warehouses:
                        for rnd in range(args.rounds):
                            bench.compare(total, warehouse, rnd, results)
                probes = bench.latency_probe(args.sizes[-1])
            if not args.no_scaling:
                scaled = bench.scaling(args.sizes[-1])
    if not args.only_scaling:
        report_compare(results, args)
        report_cpu(results, args)
        report_latency(probes, idle, results, args)
        report_memory(results, args.sizes)
    if scaled:
        report_scaling(scaled, args.sizes[-1])
    load = os.getloadavg()
    print(f"\nwhole run {time.perf_counter() - began:.0f} s; load average at the end "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
