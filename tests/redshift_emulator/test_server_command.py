"""``dwsim redshift-emulator``: logs connections and emulated statements, stops on SIGTERM."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest

from tests.fixtures.servers import bin_path, free_port, wait_for_port


def _start(tmp_path: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [bin_path("dwsim"), "redshift-emulator"],
        env={**os.environ, "DWSIM_DATA_DIR": str(tmp_path), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigterm_stops_it_and_rolls_back_open_transactions(postgres_url, tmp_path):
    port = free_port()
    proc = _start(tmp_path, {"DWSIM_REDSHIFT_PORT": str(port), "DWSIM_POSTGRES_URL": postgres_url})
    try:
        wait_for_port(port, proc=proc)
        conn = psycopg2.connect(
            host="127.0.0.1", port=port, dbname="dev", user="u", password="p", sslmode="disable"
        )
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE sigterm_probe (v int)")
            conn.commit()
            cur.execute("INSERT INTO sigterm_probe VALUES (1)")  # left open
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    events = [json.loads(line)["event"] for line in err.splitlines() if line.startswith("{")]
    assert events[0:2] == ["redshift.helpers_installed", "redshift.started"]
    assert "redshift.connect" in events
    assert events[-1] == "redshift.stopped"
    check = psycopg2.connect(postgres_url)
    with check.cursor() as cur:
        cur.execute("SELECT count(*) FROM sigterm_probe")
        assert cur.fetchone() == (0,)
        cur.execute("DROP TABLE sigterm_probe")
    check.commit()
    check.close()


def test_unreachable_postgres_is_a_clear_error(tmp_path):
    dead = free_port()
    proc = _start(
        tmp_path,
        {
            "DWSIM_REDSHIFT_PORT": str(free_port()),
            "DWSIM_POSTGRES_URL": f"postgresql://postgres@127.0.0.1:{dead}/postgres",
        },
    )
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert f"cannot reach PostgreSQL at 127.0.0.1:{dead}" in err
    assert "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_stops_an_idle_server(postgres_url, tmp_path):
    port = free_port()
    proc = _start(tmp_path, {"DWSIM_REDSHIFT_PORT": str(port), "DWSIM_POSTGRES_URL": postgres_url})
    try:
        wait_for_port(port, proc=proc)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert time.monotonic() - started < 10


def test_password_is_checked_when_asked(postgres_url, tmp_path):
    port = free_port()
    proc = _start(
        tmp_path,
        {
            "DWSIM_REDSHIFT_PORT": str(port),
            "DWSIM_POSTGRES_URL": postgres_url,
            "DWSIM_REDSHIFT_CHECK_PASSWORD": "true",
            "DWSIM_REDSHIFT_USER": "analyst",
            "DWSIM_REDSHIFT_PASSWORD": "s3cret",
        },
    )
    try:
        wait_for_port(port, proc=proc)
        dsn = f"host=127.0.0.1 port={port} dbname=dev user=analyst sslmode=disable"
        with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
            psycopg2.connect(f"{dsn} password=wrong")
        conn = psycopg2.connect(f"{dsn} password=s3cret")
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
        conn.close()
    finally:
        proc.terminate()
        proc.communicate(timeout=15)
