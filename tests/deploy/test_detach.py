"""`dwsim up --detach` runs the stack in the background; `dwsim down` stops it cleanly.

These run two services (DWSIM_UP_SERVICES) to stay fast; the `stack` fixture runs them all
the same way.
"""

import os
import re
import socket
from pathlib import Path

import pytest

from tests.deploy.procs import answers, wait_until_gone
from tests.fixtures.servers import free_port
from tests.fixtures.stack import dwsim


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return {
        "DWSIM_DATA_DIR": str(tmp_path / "data"),
        "DWSIM_UP_SERVICES": "s3,snowflake",
        "DWSIM_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
        "DWSIM_SNOWFLAKE_PORT": str(free_port()),
        "DWSIM_UP_HEALTH_TIMEOUT_S": "120",
    }


def _ports(env: dict[str, str]) -> list[int]:
    return [int(env["DWSIM_S3_ENDPOINT_URL"].rsplit(":", 1)[1]), int(env["DWSIM_SNOWFLAKE_PORT"])]


def _pid(env: dict[str, str]) -> int:
    return int((Path(env["DWSIM_DATA_DIR"]) / "run" / "stack.pid").read_text())


def test_detach_returns_once_up_reuses_a_running_stack_and_down_stops_it(env, tmp_path):
    log = tmp_path / "data" / "logs" / "stack.log"
    started = dwsim(["up", "--detach"], env, timeout=180)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        assert "the stack is up" in started.stdout
        assert all(answers(p) for p in _ports(env))
        pid = _pid(env)
        assert os.getsid(pid) == pid  # its own session: a terminal's Ctrl-C does not reach it
        assert "| ready:" in log.read_text()

        again = dwsim(["up", "--detach"], env, timeout=180)
        assert again.returncode == 0, again.stdout + again.stderr
        assert f"already running (pid {pid}); reusing it" in again.stdout
        assert _pid(env) == pid

        foreground = dwsim(["up"], env, timeout=60)
        assert foreground.returncode == 1
        assert f"a stack is already running from {tmp_path / 'data'} (pid {pid})" in (
            foreground.stderr
        )
    finally:
        stopped = dwsim(["down"], env, timeout=180)

    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert "stopped cleanly" in stopped.stdout
    assert wait_until_gone(pid) == []
    assert not any(answers(p) for p in _ports(env))
    text = log.read_text()
    assert re.search(r"^up +\| stopped$", text, re.MULTILINE), text
    assert "SIGKILL" not in text
    assert not (tmp_path / "data" / "run" / "stack.pid").exists()

    nothing = dwsim(["down"], env, timeout=60)
    assert nothing.returncode == 0
    assert "no stack is running" in nothing.stdout


def test_detach_reports_a_stack_that_cannot_start_with_its_log(env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(env["DWSIM_SNOWFLAKE_PORT"])))
        taken.listen()
        result = dwsim(["up", "--detach"], env, timeout=120)

    assert result.returncode == 1
    assert "the stack did not come up" in result.stdout
    assert f"127.0.0.1:{env['DWSIM_SNOWFLAKE_PORT']} is already in use" in result.stdout
