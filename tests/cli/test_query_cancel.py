"""``dwsim query cancel`` and Ctrl-C during ``dwsim query run``: a slow query on a SQLite
experiment, stopped on the server through ``POST /api/queries/{id}/cancel``."""

import os
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.cli.conftest import Result, Services
from tests.fixtures.servers import bin_path

Dwsim = Callable[..., Result]
# counts to 500 million one row at a time: far longer than any test waits (the service's own
# 30 s timeout would stop it otherwise)
SLOW = (
    "with recursive n(i) as (select 1 union all select i + 1 from n where i < 500000000) "
    "select count(*) from n"
)


def _query_id() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def _wait_running(services: Services, query_id: str, timeout: float = 20.0) -> None:
    """Until the query service has the query running under ``query_id``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if httpx.get(f"{services.query_url}/queries/{query_id}").status_code == 200:
            return
        time.sleep(0.1)
    raise AssertionError(f"query {query_id} never started")


def _running(services: Services, query_id: str) -> bool:
    return httpx.get(f"{services.query_url}/queries/{query_id}").status_code == 200


def test_an_unknown_query_id_is_exit_3(dwsim: Dwsim) -> None:
    result = dwsim("query", "cancel", "no-such-query-1")

    assert result.code == 3
    assert result.err.startswith("dwsim query cancel: error: ")
    assert "no query no-such-query-1 is running" in result.err


def test_a_running_query_is_cancelled_by_its_id(
    dwsim: Dwsim, people: str, services: Services
) -> None:
    query_id = _query_id()
    answer: list[httpx.Response] = []
    sender = threading.Thread(
        target=lambda: answer.append(
            httpx.post(
                f"{services.gateway_url}/api/experiments/{people}/query",
                json={"sql": SLOW},
                headers={"X-Query-Id": query_id},
                timeout=120,
            )
        )
    )
    sender.start()
    try:
        _wait_running(services, query_id)
        started = time.monotonic()
        result = dwsim("query", "cancel", query_id)
    finally:
        sender.join(timeout=60)

    assert result.code == 0, result.err
    assert result.out.strip() == f"cancelled query {query_id}"
    assert time.monotonic() - started < 15
    assert not _running(services, query_id)
    assert answer[0].status_code == 400
    assert f"query {query_id} was cancelled" in answer[0].json()["detail"]
    again = dwsim("query", "cancel", query_id, "--json")
    assert again.code == 3  # nothing left to cancel


@pytest.mark.parametrize("csv", [False, True], ids=["table", "csv"])
def test_ctrl_c_during_query_run_cancels_the_query_on_the_server(
    people: str, services: Services, tmp_path: Path, csv: bool
) -> None:
    query_id = _query_id()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DWSIM_")}
    env["DWSIM_API_URL"] = services.gateway_url
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    extra = ["--csv", str(out_dir / "result.csv")] if csv else []
    proc = subprocess.Popen(
        [bin_path("dwsim"), "query", "run", people, SLOW, "--query-id", query_id, *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_running(services, query_id)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    assert proc.returncode == 130, err
    assert out == ""
    assert err.splitlines() == [
        f"cancelled query {query_id} on the server",
        "dwsim query: interrupted",
    ]
    assert not _running(services, query_id)
    assert list(out_dir.iterdir()) == []  # no half-written CSV
