"""What the benchmarks in bench/ share: servers on free ports, a scratch database, test data.

Each benchmark is a script (``.venv/bin/python bench/bench_<name>.py``); Python puts the
script's own folder on sys.path, so ``from common import ...`` finds this module. Here:

- ``free_port``, ``wait_for_port``, ``server``: start a server subprocess on a free loopback
  port (never a default port: others run servers on this machine), wait until it answers, and
  stop it on exit (SIGTERM, then SIGKILL if it lingers); its output goes to a log file when
  one is given, and the log's tail is in the message if it exits before answering.
- ``bin_path``: a console script of this virtualenv (``dwsim``, ``moto_server``).
- ``moto_s3``, ``s3_client``: moto's S3 server and a boto3 client for it.
- ``fresh_database``: a new PostgreSQL database, dropped on exit.
- ``make_chunk``: N rows of the 8-column ``orders`` table the load benchmarks stage; the same
  rows for the same (start, n, seed), so figures from different benchmarks compare.
- ``DwsimStack``: the whole stack (``dwsim up --detach``) on free ports with a private data
  dir and Redis, optionally without its generator worker, which ``start_worker(c)`` then runs
  with any concurrency; ``dwsim down`` on exit.
- ``ProcessSampler``: peak RSS and CPU seconds of every process in some process trees over a
  block, and the whole machine's CPU meanwhile (to tell one's own work from other work on a
  shared machine), sampled by a separate process (``python bench/common.py --sample ...``),
  so sampling takes no time (nor the GIL) from the benchmark.
"""

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow as pa

from dwsim_local.services import BULK_NICENESS, WORKER_NICENESS

STATUSES = np.array(["pending", "shipped", "delivered", "cancelled", "returned", "on_hold"])


def make_chunk(start: int, n: int, seed: int) -> pa.Table:
    """Rows start..start+n-1 of ``orders``: order_id bigint, customer_id int, quantity smallint,
    price double, amount decimal(12,2), order_date date, created_at timestamp, status text."""
    rng = np.random.default_rng(seed)
    cents = rng.integers(100, 10_000_000, n)
    return pa.table(
        {
            "order_id": np.arange(start, start + n, dtype=np.int64),
            "customer_id": rng.integers(1, 2_000_000, n, dtype=np.int32),
            "quantity": rng.integers(1, 100, n, dtype=np.int16),
            "price": np.round(rng.uniform(0.5, 5000.0, n), 2),
            "amount": _decimal(cents, 12, 2),
            "order_date": pa.array(rng.integers(17_000, 20_000, n).astype(np.int32), pa.date32()),
            "created_at": pa.array(rng.integers(1.4e15, 1.7e15, n), pa.timestamp("us")),
            "status": pa.array(STATUSES[rng.integers(0, len(STATUSES), n)]),
        }
    )


def _decimal(unscaled: np.ndarray, precision: int, scale: int) -> pa.Array:
    """decimal128 from non-negative unscaled int64 values, without per-row Python."""
    words = np.zeros((len(unscaled), 2), np.uint64)
    words[:, 0] = unscaled
    return pa.Array.from_buffers(
        pa.decimal128(precision, scale), len(unscaled), [None, pa.py_buffer(words)]
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bin_path(name: str) -> str:
    """A console script of this virtualenv, else the name as found on PATH."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def wait_for_port(
    port: int, proc: subprocess.Popen, timeout: float = 60, log: Path | None = None
) -> None:
    """Return once something accepts connections on the port; exit naming why it did not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(
                f"{Path(str(proc.args[0])).name} (port {port}) exited with code "
                f"{proc.returncode}{_log_tail(log)}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing answered on port {port} within {timeout}s{_log_tail(log)}")


def _log_tail(log: Path | None, lines: int = 20) -> str:
    if log is None or not log.exists():
        return ""
    tail = log.read_text(errors="replace").splitlines()[-lines:]
    return f"; last lines of {log}:\n" + "\n".join(tail) if tail else ""


@contextmanager
def server(
    args: list[str],
    port: int,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float = 60,
) -> Iterator[subprocess.Popen]:
    """Run ``args`` (a server that listens on ``port``) for the duration of the block."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    try:
        proc = subprocess.Popen(
            args,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
        try:
            wait_for_port(port, proc, timeout, log)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    finally:
        if log:
            out.close()


@contextmanager
def moto_s3(log: Path | None = None) -> Iterator[str]:
    """moto's S3 server on a free port; yields its endpoint URL (any key/secret is accepted)."""
    port = free_port()
    from dwsim_local.services import KEEP_FREED_MEMORY  # as `dwsim up` runs it

    args = [bin_path("moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    with server(args, port, env=KEEP_FREED_MEMORY, log=log):
        yield f"http://127.0.0.1:{port}"


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A new PostgreSQL database next to ``admin_url``'s; yields its URL, drops it on exit."""
    import psycopg2

    name = f"dwsim_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rpartition("/")[0] + "/" + name
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _below_the_api() -> None:
    """As ``dwsim up`` runs its workers: niced, so the API answers while chunks fill the cores."""
    os.nice(WORKER_NICENESS)


class DwsimStack:
    """``with DwsimStack(postgres_url, without=("generator",)) as stack``: ``dwsim up --detach``
    on free ports with a private data dir (and Redis: nothing answers at its URL, so the
    launcher starts one); ``stack.url`` is the gateway. The DWSIM_* variables of this process
    are replaced by the stack's while it runs, so in-process clients speak to it alone."""

    SERVICES = ("s3", "postgres", "redis", "snowflake", "redshift", "metadata", "query",
                "generator", "loader", "gateway")  # fmt: skip

    def __init__(self, postgres_url: str, without: tuple[str, ...] = ()):
        self.data_dir = Path(tempfile.mkdtemp(prefix="dwsim-bench-stack-"))
        self.data_dir.chmod(0o755)  # a private PostgreSQL (if any) runs as 'postgres'
        ports = {name: str(free_port()) for name in ("s3", "redis", "sf", "rs", "md", "q", "gw")}
        self.env = {
            "DWSIM_DATA_DIR": str(self.data_dir),
            "DWSIM_S3_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
            "DWSIM_S3_BUCKET": "dwsim-bench",
            "DWSIM_REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/0",
            "DWSIM_POSTGRES_URL": postgres_url,
            "DWSIM_SNOWFLAKE_PORT": ports["sf"],
            "DWSIM_REDSHIFT_PORT": ports["rs"],
            "DWSIM_METADATA_PORT": ports["md"],
            "DWSIM_QUERY_PORT": ports["q"],
            "DWSIM_GATEWAY_PORT": ports["gw"],
            "DWSIM_UP_SERVICES": ",".join(s for s in self.SERVICES if s not in without),
            "DWSIM_UP_HEALTH_TIMEOUT_S": "300",
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
        }
        self.url = f"http://127.0.0.1:{ports['gw']}"
        self.worker: subprocess.Popen | None = None

    def _dwsim(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([bin_path("dwsim"), *args], env=os.environ.copy(), timeout=400,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)  # fmt: skip

    def __enter__(self) -> "DwsimStack":
        for key in [k for k in os.environ if k.startswith("DWSIM_")]:
            del os.environ[key]
        os.environ.update(self.env)
        started = self._dwsim("up", "--detach")
        if started.returncode != 0:
            self.__exit__()
            raise SystemExit(f"dwsim up --detach failed:\n{started.stdout}\n{started.stderr}")
        from dwsim_local.config import LocalSettings, child_env, consistent

        self.settings = consistent(LocalSettings())
        self.worker_env = {**os.environ, **child_env(self.settings)}
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_worker()
        stopped = self._dwsim("down")
        if stopped.returncode != 0:
            print(f"dwsim down failed: {stopped.stdout}{stopped.stderr}", file=sys.stderr)
            # the supervisor started here leads its process group: end it and its servers
            with contextlib.suppress(OSError, ValueError):
                os.killpg(self.supervisor_pid, signal.SIGKILL)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    @property
    def supervisor_pid(self) -> int:
        return int((self.data_dir / "run" / "stack.pid").read_text())

    def start_worker(self, concurrency: int) -> None:
        """The generator's Celery worker as ``dwsim up`` runs it, with ``-c concurrency``."""
        self.stop_worker()
        ready = self.data_dir / "run" / f"bench-generator-{concurrency}.ready"
        ready.unlink(missing_ok=True)
        log = self.data_dir / "logs" / "generator.log"
        with open(log, "ab") as out:
            self.worker = subprocess.Popen(
                [bin_path("celery"), "-A", "dwsim_generator.worker", "worker",
                 "-Q", "dwsim.generator", "-c", str(concurrency), "--loglevel", "INFO",
                 "-n", f"benchgen{concurrency}@%h", "--without-gossip", "--without-mingle",
                 "-I", "dwsim_local.worker_ready"],
                env={**self.worker_env, "DWSIM_WORKER_READY_FILE": str(ready)},
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, preexec_fn=_below_the_api,
            )  # fmt: skip
        deadline = time.monotonic() + 120
        while not ready.exists():
            if self.worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the generator worker did not start{_log_tail(log)}")
            time.sleep(0.1)

    def stop_worker(self) -> None:
        if self.worker is None:
            return
        self.worker.terminate()  # warm shutdown: it and its pool processes end
        try:
            self.worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait()
        self.worker = None


SAMPLE_INTERVAL_S = 0.25


class ProcessSampler:
    """``with ProcessSampler([pid, ...], cmd_contains) as sampler:`` samples, every 0.25 s from
    a separate process, the RSS and CPU time of those processes, all their descendants and any
    process whose command line contains ``cmd_contains`` (PostgreSQL backends: their title
    names the database). Afterwards ``sampler.procs`` is {pid: {name, ppid, cmd, peak, cpu}}
    (peak RSS in bytes; CPU seconds used within the block, up to the last sample of a process
    that ended) and ``sampler.busy`` the CPU seconds the whole machine used meanwhile."""

    def __init__(self, roots: list[int], cmd_contains: str | None = None):
        self.roots, self.cmd_contains = roots, cmd_contains
        self.procs: dict[int, dict] = {}
        self.busy = 0.0

    def __enter__(self) -> "ProcessSampler":
        args = [sys.executable, __file__, "--sample", self.cmd_contains or "",
                *map(str, self.roots)]  # fmt: skip
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.proc.stdout.readline()  # the first sample is taken
        return self

    def __exit__(self, *exc: object) -> None:
        out, _ = self.proc.communicate(timeout=60)  # closing its stdin ends the sampling
        result = json.loads(out or b"{}")
        self.procs = {int(pid): proc for pid, proc in result.get("procs", {}).items()}
        self.busy = result.get("busy", 0.0)


def _tree(roots: list[int], cmd_contains: str) -> list:
    import psutil

    procs: dict[int, psutil.Process] = {}
    for root in roots:
        try:
            top = psutil.Process(root)
            for proc in [top, *top.children(recursive=True)]:
                procs[proc.pid] = proc
        except psutil.Error:
            continue
    if cmd_contains:
        for proc in psutil.process_iter():
            try:
                if cmd_contains in " ".join(proc.cmdline()):
                    procs[proc.pid] = proc
            except psutil.Error:
                continue
    return list(procs.values())


def _busy() -> float:
    import psutil

    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def _sample(cmd_contains: str, roots: list[int]) -> None:
    """Until standard input closes, sample the processes; then print what was seen as JSON."""
    import psutil

    # it walks every process's /proc entries 4 times a second: niced as the emulators are, so
    # the measuring does not take the API's turn on a busy core
    os.nice(BULK_NICENESS)
    seen: dict[int, dict] = {}
    me, first, busy = os.getpid(), True, _busy()
    while True:
        for proc in _tree(roots, cmd_contains):
            if proc.pid == me:
                continue
            try:
                with proc.oneshot():
                    rss, times = proc.memory_info().rss, proc.cpu_times()
                    cpu = times.user + times.system
                    if proc.pid not in seen:
                        seen[proc.pid] = {"name": proc.name(), "ppid": proc.ppid(),
                                          "cmd": proc.cmdline(), "peak": 0,
                                          "start": cpu if first else 0.0}  # fmt: skip
            except psutil.Error:
                continue
            entry = seen[proc.pid]
            entry["peak"], entry["cpu"] = max(entry["peak"], rss), cpu - entry["start"]
        if first:
            print("ready", flush=True)
            first = False
        ready, _, _ = select.select([sys.stdin], [], [], SAMPLE_INTERVAL_S)
        if ready and not sys.stdin.buffer.read1(4096):
            break
    json.dump({"procs": seen, "busy": _busy() - busy}, sys.stdout)


if __name__ == "__main__" and sys.argv[1:2] == ["--sample"]:
    _sample(sys.argv[2], [int(pid) for pid in sys.argv[3:]])
