"""What bench_suite.py measures per run (``Timed``) and how it prints the figures."""

from dataclasses import dataclass, field

import numpy as np

STAGES = ("plan", "generate", "stage", "load")
API_PROCESSES = ("api-gateway", "metadata-service")
LABELS = [  # a fragment of the command line -> the process's name in the memory table
    ("dwsim_local up", "dwsim up (supervisor)"),
    ("moto_server", "s3 (moto_server)"),
    ("redis-server", "redis"),
    ("snowflake-emulator", "snowflake-emulator"),
    ("dwsim_redshift.main", "redshift-emulator"),
    ("dwsim_metadata.main", "metadata-service"),
    ("dwsim_query.main", "query-service"),
    ("dwsim_gateway.main", "api-gateway"),
    ("dwsim_loader.worker", "data-loader"),
    ("dwsim_generator.worker", "generator-worker"),
    ("bench_suite.py", "bench_suite.py (direct path)"),
    ("bench_big_table.py", "bench_big_table.py"),
    ("postgres: ", "postgresql backends (this database)"),
    ("--sample", "bench_suite.py sampler"),
]


@dataclass
class Timed:
    wall: float
    stages: dict[str, float]
    latencies: list[float] = field(default_factory=list)  # GET /api/jobs/{id}, seconds
    cpu: dict[str, float] = field(default_factory=dict)  # CPU s per process name, this run
    peaks: dict[str, tuple[int, int]] = field(default_factory=dict)  # name: (peak RSS, count)
    busy: float = 0.0  # CPU s the whole machine used meanwhile
    run_id: str | None = None
    parts: dict[str, str] = field(default_factory=dict)  # staged part: its ETag (MD5)

    @property
    def others(self) -> float:
        """Cores other work on the machine used meanwhile (not this stack, not this script)."""
        return max(self.busy - sum(self.cpu.values()), 0.0) / self.wall


def stages_text(timed: Timed) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in timed.stages.items())


@dataclass
class Scaling:
    """The scaling runs, by -c: the suite's (``Timed``), and the same-run baselines' seconds
    (``scaling_baselines``: the engine alone, a pure-Python loop)."""

    suite: dict[int, list[Timed]]
    engine: dict[int, list[float]] = field(default_factory=dict)
    loop: dict[int, list[float]] = field(default_factory=dict)


def _median_generate(runs: list[Timed]) -> float:
    return float(np.median([t.stages["generate"] for t in runs]))


def best(runs: list[Timed]) -> Timed:
    return min(runs, key=lambda t: t.wall)


def report_compare(results: dict, args) -> None:
    print("\nPOST /generate (load: true) to success, against the direct path (engine with 2 "
          f"processes + S3 upload + COPY); seconds, best of {args.rounds} round(s). CPU s: "
          "CPU seconds of every process of the stack, of this script and of the database's "
          "PostgreSQL backends (least of the rounds)")  # fmt: skip
    head = f"{'warehouse':<10}{'rows':>12}  {'path':<7}{'total':>8}"
    print(head + "".join(f"{s:>10}" for s in (*STAGES, "other")) + f"{'rows/s':>12}{'CPU s':>8}")
    for warehouse in args.warehouses:
        for total in args.sizes:
            runs = {p: results[(warehouse, total, p)] for p in ("suite", "direct")}
            cpu = {p: min(sum(t.cpu.values()) for t in r) for p, r in runs.items()}
            for path, t in ((p, best(r)) for p, r in runs.items()):
                other = t.wall - sum(t.stages.get(s, 0.0) for s in STAGES)
                cells = "".join(f"{t.stages[s]:>10.2f}" if s in t.stages else f"{'-':>10}"
                                for s in STAGES)  # fmt: skip
                print(f"{warehouse:<10}{total:>12,}  {path:<7}{t.wall:>8.2f}{cells}"
                      f"{other:>10.2f}{total / t.wall:>12,.0f}{cpu[path]:>8.1f}")  # fmt: skip
            wall = best(runs["suite"]).wall / best(runs["direct"]).wall
            print(f"{'':<24}suite / direct: time {wall:.2f}x ({(wall - 1) * 100:+.0f}%), "
                  f"CPU {cpu['suite'] / cpu['direct']:.2f}x")  # fmt: skip


def report_cpu(results: dict, args) -> None:
    total = args.sizes[-1]
    print(f"\nCPU seconds per process at {total:,} rows (best run), and the cores other work on "
          "the machine used meanwhile")  # fmt: skip
    for warehouse in args.warehouses:
        for path in ("suite", "direct"):
            t = best(results[(warehouse, total, path)])
            top = sorted(((v, k) for k, v in t.cpu.items() if v >= 0.05), reverse=True)
            print(f"  {warehouse:<10}{path:<7} {sum(t.cpu.values()):6.1f} s: "
                  + ", ".join(f"{k} {v:.1f}" for v, k in top)
                  + f"; other work {t.others:.2f} cores")  # fmt: skip


def percentiles(seconds: list[float]) -> str:
    ms = np.array(seconds) * 1000
    p50, p99 = np.percentile(ms, [50, 99])
    return f"{len(ms):>5} requests, p50 {p50:6.1f}, p99 {p99:6.1f}, max {ms.max():6.1f}"


def report_latency(probes: dict[str, Timed], idle: dict[str, list[float]], results: dict,
                   args) -> None:  # fmt: skip
    print(f"\nGET /api/jobs/{{id}} latency, milliseconds (one client, a request every "
          f"{args.probe * 1000:.0f} ms)")  # fmt: skip
    print(f"  idle stack, via the gateway          {percentiles(idle['gateway'])}")
    print(f"  idle stack, metadata-service direct  {percentiles(idle['metadata'])}")
    total = args.sizes[-1]
    for warehouse, t in probes.items():
        print(f"  {total:,}-row job, {warehouse:<10}  {percentiles(t.latencies)}")
        timed = best(results[(warehouse, total, "suite")])
        api = [sum(v for k, v in run.cpu.items() if k in API_PROCESSES) for run in (t, timed)]
        per_get = (api[0] - api[1]) / max(len(t.latencies) - len(timed.latencies), 1) * 1000
        print(f"    the job took {t.wall:.1f} s ({stages_text(t)}; other work {t.others:.1f} "
              f"cores) against {timed.wall:.1f} s polled every {args.poll:g} s; gateway + "
              f"metadata-service CPU {api[0]:.1f} s against {api[1]:.1f} s, i.e. "
              f"~{per_get:.1f} ms of CPU per GET")  # fmt: skip


def label(proc: dict, procs: dict[int, dict]) -> str:
    cmd = " ".join(proc["cmd"])
    name = next((n for frag, n in LABELS if frag in cmd), proc["name"])
    parent = procs.get(proc["ppid"])
    if parent and parent["cmd"] == proc["cmd"]:
        return f"{name} child"
    return name


def report_memory(results: dict, sizes: list[int]) -> None:
    print("\npeak RSS per process (MiB), sampled every 0.25 s over all runs at each size "
          "(suite and direct); N = most processes of that name in one run")  # fmt: skip
    memory: dict[int, dict[str, tuple[int, int]]] = {size: {} for size in sizes}
    for (_, size, _), runs in results.items():
        for timed in runs:
            for name, (peak, count) in timed.peaks.items():
                old = memory[size].get(name, (0, 0))
                memory[size][name] = (max(old[0], peak), max(old[1], count))
    names = sorted({n for m in memory.values() for n in m} - {"bench_suite.py sampler"})
    print(f"  {'process':<36}" + "".join(f"{f'{s:,} rows':>18}" for s in sizes) + "   ratio")
    for name in names:
        cells, values = "", []
        for size in sizes:
            peak, count = memory[size].get(name, (0, 0))
            values.append(peak)
            cells += f"{peak / 2**20:>12.0f} (N={count})"
        ratio = f"{values[-1] / values[0]:.2f}x" if values[0] and values[-1] else "-"
        print(f"  {name:<36}{cells}   {ratio}")


def report_scaling(runs: Scaling, total: int) -> None:
    counts = sorted(runs.suite)
    print(f"\ngenerator scaling: {total:,} rows, load false, generator worker at -c "
          f"{', '.join(map(str, counts))} (generate stage = parts made and uploaded to S3), "
          f"best of {len(runs.suite[counts[0]])} round(s)")  # fmt: skip
    bests = {n: best(runs.suite[n]) for n in counts}
    for n, t in bests.items():
        gen = t.stages["generate"]
        worker = sum(v for k, v in t.cpu.items() if k.startswith("generator-worker"))
        print(f"  -c {n}: generate {gen:6.2f} s = {total / gen:>10,.0f} rows/s; POST to success "
              f"{t.wall:6.2f} s; generator CPU {worker:5.1f} s, s3 (moto) "
              f"{t.cpu.get('s3 (moto_server)', 0.0):4.1f} s, other work {t.others:.2f} cores")  # fmt: skip
    one = bests[counts[0]]
    for n in counts[1:]:
        gen = one.stages["generate"] / bests[n].stages["generate"]
        goal = " (goal >= 1.8x)" if (counts[0], n) == (1, 2) else ""
        medians = _median_generate(runs.suite[counts[0]]) / _median_generate(runs.suite[n])
        print(f"  ratio -c {n} / -c {counts[0]}: generate stage {gen:.2f}x{goal}, "
              f"POST to success {one.wall / bests[n].wall:.2f}x; of the rounds' medians, "
              f"generate stage {medians:.2f}x")  # fmt: skip
        engine = min(runs.engine[counts[0]]) / min(runs.engine[n])
        loop = n / counts[0] * min(runs.loop[counts[0]]) / min(runs.loop[n])
        print(f"    same run, same machine: the engine alone (dwsim generate --workers, parts "
              f"to a local folder, no S3) {engine:.2f}x ({min(runs.engine[counts[0]]):.2f} s "
              f"against {min(runs.engine[n]):.2f} s); a pure-Python loop in {n} processes "
              f"{loop:.2f}x; the generator's ratio is {gen / loop:.0%} of the loop's")  # fmt: skip
    fingerprints = {n: t.parts for n in counts for t in runs.suite[n]}
    same = len({tuple(sorted(p.items())) for p in fingerprints.values()}) == 1
    parts = len(next(iter(fingerprints.values())))
    print(
        f"  staged data: {parts} parts in each run, "
        + (
            "byte-identical whatever the number of workers (same ETag, the MD5, per part)"
            if same
            else "DIFFERENT between worker counts: a determinism bug"
        )
    )
