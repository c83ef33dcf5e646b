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
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow as pa

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
    with server([bin_path("moto_server"), "-H", "127.0.0.1", "-p", str(port)], port, log=log):
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
