"""Helpers for the launcher's tests: processes of a session, ports, and reading its log."""

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def session_members(sid: int) -> list[str]:
    """Processes still in the session ``sid`` (a launcher's, its children's too)."""
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


def find_in_session(sid: int, needle: str) -> int:
    """The pid of the process in the session whose command line contains ``needle``."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        pid = cmdline.parent.name
        if needle in args and any(m.split()[0] == pid for m in session_members(sid)):
            return int(pid)
    raise AssertionError(f"no process running {needle!r}")


def wait_until_gone(sid: int, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while (left := session_members(sid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@contextmanager
def in_new_session(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """Run ``args`` in its own session; killed at the end if a failed test left it running."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DWSIM_")}
    proc = subprocess.Popen(
        args,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**clean, **env},
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        wait_until_gone(proc.pid, timeout=30)


def wait_until_up(
    proc: subprocess.Popen, ports: dict[str, int], log: Path, timeout: float = 240
) -> None:
    """Until the launcher says ``ready:`` and every port answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the stack exited with {proc.returncode}:\n{log.read_text()}")
        if "| ready:" in log.read_text() and all(answers(p) for p in ports.values()):
            return
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail(f"the stack did not answer on {ports} in {timeout}s:\n{log.read_text()}")


def stop_group(proc: subprocess.Popen, sig: signal.Signals, log: Path, timeout: float = 120) -> int:
    """``sig`` to the whole process group (what Ctrl-C in a terminal does); its exit code."""
    os.killpg(proc.pid, sig)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"the stack did not stop on {sig.name}:\n{log.read_text()}")


def assert_clean_stop(proc: subprocess.Popen, ports: dict[str, int], log: Path) -> str:
    """Every service ended by its own shutdown on its stop signal: none had to be killed."""
    gone = wait_until_gone(proc.pid)
    text = log.read_text()
    assert re.search(r"^up +\| stopped$", text, re.MULTILINE), text
    started = re.findall(r"^up +\| starting (\w+):", text, re.MULTILINE)
    stopped = dict(re.findall(r"^up +\| (\w+) stopped \((.*)\)$", text, re.MULTILINE))
    assert started, text
    assert sorted(stopped) == sorted(started), text
    for name, how in stopped.items():
        assert how in ("exit code 0", "signal SIGTERM", "signal SIGINT"), f"{name}: {how}\n{text}"
    assert "SIGKILL" not in text, text
    assert gone == [], text
    assert [name for name, port in ports.items() if answers(port)] == []
    return text
