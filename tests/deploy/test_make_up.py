"""`make up` starts the local stack on the ports its DWSIM_* settings name, and stops it all.

Most tests run the emulators only (DWSIM_UP_SERVICES) to stay fast; the last one runs the
whole stack and stops it with SIGTERM to make's process group.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.deploy.procs import (
    answers,
    assert_clean_stop,
    find_in_session,
    in_new_session,
    session_members,
    stop_group,
    wait_until_gone,
    wait_until_up,
)
from tests.fixtures.servers import REPO, free_port

STARTUP_TIMEOUT = 240  # the first `make up` may run `make install`


def _make_up(env: dict[str, str], log: Path):
    return in_new_session(["make", "-C", str(REPO), "up"], env, log)


def _wait_until_up(proc: subprocess.Popen, ports: dict[str, int], log: Path) -> None:
    wait_until_up(proc, ports, log, timeout=STARTUP_TIMEOUT)


def _stack_env(tmp_path: Path, postgres_url: str) -> tuple[dict[str, str], dict[str, int]]:
    ports = {"s3": free_port(), "snowflake": free_port(), "redshift": free_port()}
    env = {
        "DWSIM_S3_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
        "DWSIM_S3_BUCKET": "dwsim-up-test",
        "DWSIM_SNOWFLAKE_PORT": str(ports["snowflake"]),
        "DWSIM_REDSHIFT_PORT": str(ports["redshift"]),
        "DWSIM_POSTGRES_URL": postgres_url,
        "DWSIM_DATA_DIR": str(tmp_path / "data"),
        "DWSIM_UP_SERVICES": "s3,postgres,snowflake,redshift",
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


def test_make_up_serves_everything_and_ctrl_c_stops_it(tmp_path, postgres_url):
    env, ports = _stack_env(tmp_path, postgres_url)
    log = tmp_path / "make-up.log"
    with _make_up(env, log) as proc:
        _wait_until_up(proc, ports, log)
        _assert_everything_works(env, ports)
        code = stop_group(proc, signal.SIGINT, log)

    # make itself ends by the signal it was sent, after its recipe (dwsim up) has exited
    assert code in (0, -signal.SIGINT), log.read_text()

    assert_clean_stop(proc, ports, log)


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
        code = stop_group(proc, signal.SIGTERM, log)

    assert code in (0, -signal.SIGTERM), log.read_text()

    assert_clean_stop(proc, ports, log)
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
    assert session_members(proc.pid) == []


def test_a_service_that_dies_stops_the_whole_stack(tmp_path, postgres_url):
    env, ports = _stack_env(tmp_path, postgres_url)
    log = tmp_path / "make-up.log"
    with _make_up(env, log) as proc:
        _wait_until_up(proc, ports, log)
        os.kill(find_in_session(proc.pid, "snowflake-emulator"), signal.SIGKILL)
        code = proc.wait(timeout=60)

    text = log.read_text()
    assert code != 0, text
    assert "error: snowflake exited with signal SIGKILL" in text
    assert re.search(r"^up +\| stopped after a failure", text, re.MULTILINE), text
    assert wait_until_gone(proc.pid) == [], text


def test_killing_the_supervisor_takes_every_server_with_it(tmp_path, postgres_url):
    env, ports = _stack_env(tmp_path, postgres_url)
    log = tmp_path / "make-up.log"
    with _make_up(env, log) as proc:
        _wait_until_up(proc, ports, log)
        os.kill(find_in_session(proc.pid, "dwsim up"), signal.SIGKILL)  # no chance to clean up
        proc.wait(timeout=60)

        # the kernel sends each child SIGTERM when its parent dies (PR_SET_PDEATHSIG)
        assert wait_until_gone(proc.pid) == [], log.read_text()
    assert [name for name, port in ports.items() if answers(port)] == []


def test_the_whole_stack_under_make_up_stops_cleanly_on_sigterm_to_its_group(tmp_path):
    import httpx

    from tests.fixtures.postgres import ADMIN_URL
    from tests.fixtures.stack import _drop_database, stack_env

    data = Path(tempfile.mkdtemp(prefix="dwsim-up-"))
    data.chmod(0o755)
    postgres_url = f"{ADMIN_URL.rpartition('/')[0]}/dwsim_up_{data.name[-8:].lower()}"
    env = stack_env(data / "data", postgres_url)
    ports = {
        "s3": int(env["DWSIM_S3_ENDPOINT_URL"].rsplit(":", 1)[1]),
        "redis": int(env["DWSIM_REDIS_URL"].rsplit(":", 1)[1].split("/")[0]),
        **{
            name: int(env[f"DWSIM_{name.upper()}_PORT"])
            for name in ("snowflake", "redshift", "metadata", "query", "gateway")
        },
    }
    log = tmp_path / "make-up.log"
    try:
        with _make_up(env, log) as proc:
            _wait_until_up(proc, ports, log)
            health = httpx.get(f"http://127.0.0.1:{ports['gateway']}/health", timeout=10).json()
            assert health["status"] == "ok", health
            code = stop_group(proc, signal.SIGTERM, log)

        assert code in (0, -signal.SIGTERM), log.read_text()
        text = assert_clean_stop(proc, ports, log)
        for worker in ("generator", "loader"):
            assert f"{worker} stopped (exit code 0)" in text
    finally:
        _drop_database(postgres_url)
        shutil.rmtree(data, ignore_errors=True)
