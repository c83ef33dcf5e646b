"""`make up` starts the local stack on the ports its DWSIM_* settings name, and stops it all."""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.fixtures.servers import REPO, free_port

STARTUP_TIMEOUT = 180  # the first `make up` may run `make install`


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _session_members(sid: int) -> list[str]:
    """Processes still in the session `make up` was started in (its children's too)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rpartition(")")[2].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            members.append(text.rpartition(")")[0] + ")")  # "pid (command)"
    return members


def _find(sid: int, needle: str) -> int:
    """The pid of the process in the session whose command line contains ``needle``."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        pid = cmdline.parent.name
        if needle in args and any(m.split()[0] == pid for m in _session_members(sid)):
            return int(pid)
    raise AssertionError(f"no process running {needle!r}")


def _wait_until_gone(sid: int, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while (left := _session_members(sid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@contextmanager
def _make_up(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`make up` in its own session; killed at the end if a failed test left it running."""
    proc = subprocess.Popen(
        ["make", "-C", str(REPO), "up"],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        env={**os.environ, **env},
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _wait_until_up(proc: subprocess.Popen, ports: dict[str, int], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"make up exited with {proc.returncode}:\n{log.read_text()}")
        if "| ready:" in log.read_text() and all(_answers(p) for p in ports.values()):
            return
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail(f"make up did not answer on {ports} in {STARTUP_TIMEOUT}s:\n{log.read_text()}")


def _stop(proc: subprocess.Popen, sig: signal.Signals, log: Path) -> int:
    os.killpg(proc.pid, sig)  # what Ctrl-C in a terminal does: the whole foreground group
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"make up did not stop on {sig.name}:\n{log.read_text()}")


def _stack_env(tmp_path: Path, postgres_url: str) -> tuple[dict[str, str], dict[str, int]]:
    ports = {"s3": free_port(), "snowflake": free_port(), "redshift": free_port()}
    env = {
        "DWSIM_S3_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
        "DWSIM_S3_BUCKET": "dwsim-up-test",
        "DWSIM_SNOWFLAKE_PORT": str(ports["snowflake"]),
        "DWSIM_REDSHIFT_PORT": str(ports["redshift"]),
        "DWSIM_POSTGRES_URL": postgres_url,
        "DWSIM_DATA_DIR": str(tmp_path / "data"),
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }
    return env, ports


def _assert_everything_works(env: dict[str, str], ports: dict[str, int]) -> None:
    import boto3
    import psycopg2
    import snowflake.connector

    s3 = boto3.client(
        "s3",
        endpoint_url=env["DWSIM_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    assert "dwsim-up-test" in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    with snowflake.connector.connect(
        host="127.0.0.1",
        port=ports["snowflake"],
        protocol="http",
        account="dwsim",
        user="dwsim",
        password="dwsim",
        network_timeout=30,
    ) as conn:
        assert conn.cursor().execute("SELECT 40 + 2").fetchall() == [(42,)]
    conn = psycopg2.connect(
        host="127.0.0.1", port=ports["redshift"], dbname="dev", user="dwsim", sslmode="disable"
    )
    with conn.cursor() as cur:
        cur.execute("SELECT 40 + 2")
        assert cur.fetchall() == [(42,)]
    conn.close()


def _assert_all_stopped(proc: subprocess.Popen, ports: dict[str, int], log: Path) -> None:
    text = log.read_text()
    assert re.search(r"^up +\| stopped$", text, re.MULTILINE), text
    assert _session_members(proc.pid) == [], text
    assert [name for name, port in ports.items() if _answers(port)] == []


def test_make_up_serves_everything_and_ctrl_c_stops_it(tmp_path, postgres_url):
    env, ports = _stack_env(tmp_path, postgres_url)
    log = tmp_path / "make-up.log"
    with _make_up(env, log) as proc:
        _wait_until_up(proc, ports, log)
        _assert_everything_works(env, ports)
        code = _stop(proc, signal.SIGINT, log)

    # make itself ends by the signal it was sent, after its recipe (dwsim up) has exited
    assert code in (0, -signal.SIGINT), log.read_text()

    _assert_all_stopped(proc, ports, log)


@pytest.mark.skipif(
    not (
        Path("/usr/lib/postgresql").exists()
        or any((Path(d) / "initdb").exists() for d in os.environ.get("PATH", "").split(os.pathsep))
    ),
    reason="no PostgreSQL server programs to start a private cluster with",
)
def test_make_up_starts_a_private_postgres_when_none_answers_and_sigterm_stops_it(tmp_path):
    # under root the cluster runs as 'postgres', which cannot enter pytest's private tmp dirs
    tmp_path = Path(tempfile.mkdtemp(prefix="dwsim-up-"))
    tmp_path.chmod(0o755)
    pg_port = free_port()
    env, ports = _stack_env(tmp_path, f"postgresql://postgres@127.0.0.1:{pg_port}/dwsim")
    ports["postgres"] = pg_port
    log = tmp_path / "make-up.log"
    with _make_up(env, log) as proc:
        _wait_until_up(proc, ports, log)
        _assert_everything_works(env, ports)
        code = _stop(proc, signal.SIGTERM, log)

    assert code in (0, -signal.SIGTERM), log.read_text()

    _assert_all_stopped(proc, ports, log)
    assert (tmp_path / "data" / "postgres" / "PG_VERSION").exists()
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_make_up_refuses_a_port_in_use_and_says_which(tmp_path, postgres_url):
    env, ports = _stack_env(tmp_path, postgres_url)
    log = tmp_path / "make-up.log"
    with socket.socket() as taken:  # the last service's port: nothing may start at all
        taken.bind(("127.0.0.1", ports["redshift"]))
        taken.listen()
        with _make_up(env, log) as proc:
            code = proc.wait(timeout=STARTUP_TIMEOUT)

    text = log.read_text()
    assert code != 0
    assert f"127.0.0.1:{ports['redshift']} is already in use" in text
    assert "starting" not in text
    assert _session_members(proc.pid) == []


def test_a_service_that_dies_stops_the_whole_stack(tmp_path, postgres_url):
    env, ports = _stack_env(tmp_path, postgres_url)
    log = tmp_path / "make-up.log"
    with _make_up(env, log) as proc:
        _wait_until_up(proc, ports, log)
        os.kill(_find(proc.pid, "snowflake-emulator"), signal.SIGKILL)
        code = proc.wait(timeout=60)

    text = log.read_text()
    assert code != 0, text
    assert "error: snowflake exited with code -9" in text
    assert re.search(r"^up +\| stopped after a failure", text, re.MULTILINE), text
    assert _wait_until_gone(proc.pid) == [], text


def test_killing_the_supervisor_takes_every_server_with_it(tmp_path, postgres_url):
    env, ports = _stack_env(tmp_path, postgres_url)
    log = tmp_path / "make-up.log"
    with _make_up(env, log) as proc:
        _wait_until_up(proc, ports, log)
        os.kill(_find(proc.pid, "dwsim up"), signal.SIGKILL)  # no chance to clean up
        proc.wait(timeout=60)

        # the kernel sends each child SIGTERM when its parent dies (PR_SET_PDEATHSIG)
        assert _wait_until_gone(proc.pid) == [], log.read_text()
    assert [name for name, port in ports.items() if _answers(port)] == []
