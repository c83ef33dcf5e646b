"""The stack in the background: ``dwsim up --detach`` starts it, ``dwsim down`` stops it.

The detached stack is an ordinary ``dwsim up`` in its own session (a terminal's Ctrl-C does
not reach it), logging to ``<DWSIM_DATA_DIR>/logs/stack.log``; state.py knows whether it runs.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import IO

from dwsim_local import state
from dwsim_local.config import LocalSettings


def gateway_health(url: str) -> dict | None:
    """The gateway's /health document, or None when it does not answer with one."""
    import httpx

    try:
        response = httpx.get(f"{url}/health", timeout=3.0)
        body = response.json()
    except (httpx.HTTPError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def down_dependencies(health: dict | None) -> list[str]:
    if health is None:
        return ["gateway (not answering)"]
    return [
        f"{d.get('name')} ({d.get('detail') or d.get('status')})"
        for d in health.get("dependencies", [])
        if d.get("status") != "ok"
    ]


def is_healthy(health: dict | None) -> bool:
    return health is not None and health.get("status") == "ok"


def tail(path: Path, lines: int = 40) -> str:
    try:
        with path.open(errors="replace") as handle:
            return "".join(deque(handle, maxlen=lines))
    except FileNotFoundError:
        return ""


class _LogFollower:
    """Echo the supervisor's own lines (``up | ...``) from a log as they are written."""

    def __init__(self, path: Path, out: IO[str], from_end: bool = False):
        self.path, self.out, self.offset = path, out, 0
        if from_end and path.exists():
            self.offset = path.stat().st_size

    def poll(self) -> None:
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                data = handle.read()
        except FileNotFoundError:
            return
        end = data.rfind(b"\n") + 1
        self.offset += end
        for raw in data[:end].decode(errors="replace").splitlines():
            name, sep, text = raw.partition(" | ")
            if sep and name.strip() == "up" and not text.startswith(("starting ", "ready: ")):
                print(f"  {text}", file=self.out, flush=True)


def wait_healthy(
    settings: LocalSettings,
    out: IO[str],
    alive: Callable[[], bool],
    log: Path | None,
    from_end: bool = False,
) -> state.StackInfo | None:
    """Wait until every service is ready and the gateway says every dependency is ok.

    None if the stack ends first, or is not healthy in time (the message says what is not).
    """
    follower = _LogFollower(log, out, from_end) if log else None
    deadline = time.monotonic() + settings.up_health_timeout_s
    health: dict | None = None
    info = None
    while time.monotonic() < deadline:
        if follower:
            follower.poll()
        if not alive():
            if follower:
                follower.poll()
            return None
        info = state.running(settings.data_path)
        if info and info.ready:
            if info.gateway_url is None:
                return info
            health = gateway_health(info.gateway_url)
            if is_healthy(health):
                return info
        time.sleep(0.5)
    waiting = (
        "not every service reported ready"
        if not (info and info.ready)
        else "not ok: " + ", ".join(down_dependencies(health))
    )
    print(
        f"dwsim up: the stack was not healthy within {settings.up_health_timeout_s:.0f}s "
        f"(DWSIM_UP_HEALTH_TIMEOUT_S): {waiting}",
        file=out,
    )
    return None


def start_detached(settings: LocalSettings, out: IO[str] = sys.stdout) -> int:
    """Start the stack in the background (or reuse the running one) and wait until healthy."""
    from dwsim_local.services import plan

    data_dir = settings.data_path
    info = state.running(data_dir)
    if info:
        print(f"dwsim up: the stack is already running (pid {info.pid}); reusing it", file=out)
        log = Path(info.log) if info.log else None
        ready = wait_healthy(
            settings, out, lambda: state.running(data_dir) is not None, log, from_end=True
        )
        return _report_up(ready, out)

    plan(settings)  # missing prerequisites are reported here, before anything starts
    log = state.log_path(data_dir)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as handle:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dwsim_local", "up", "--log-file", str(log)],
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    print(f"dwsim up: starting the stack in the background (pid {proc.pid}, log {log})", file=out)
    ready = wait_healthy(settings, out, lambda: proc.poll() is None, log)
    if ready is None:
        if proc.poll() is None:
            stop(settings, out, quiet=True)
        print(f"dwsim up: the stack did not come up. The end of {log}:\n{tail(log)}", file=out)
        return 1
    return _report_up(ready, out)


def _report_up(info: state.StackInfo | None, out: IO[str]) -> int:
    if info is None:
        return 1
    if info.gateway_url:
        url = info.gateway_url
        print(f"dwsim up: the stack is up. API {url}/api · docs {url}/docs", file=out)
    else:
        print("dwsim up: the stack is up (without the gateway)", file=out)
    if info.log:
        print(f"  logs: {info.log}", file=out)
    print("  stop it with: make down (or dwsim down)", file=out)
    return 0


def stop(settings: LocalSettings, out: IO[str] = sys.stdout, quiet: bool = False) -> int:
    """SIGTERM the running stack's supervisor, wait until it has stopped everything, report."""
    data_dir = settings.data_path
    info = state.running(data_dir)
    if info is None:
        print(f"dwsim down: no stack is running from {data_dir}", file=out)
        return 0
    with contextlib.suppress(ProcessLookupError):
        _terminate(info.pid)
    if not quiet:
        print(f"dwsim down: stopping the stack (pid {info.pid})", file=out)
    timeout = settings.stop_timeout_s * 4 + 60  # every service's grace, one stage at a time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (state.running(data_dir) is not None or _alive(info.pid)):
        time.sleep(0.2)
    if state.running(data_dir) is not None or _alive(info.pid):
        print(
            f"dwsim down: the stack (pid {info.pid}) did not stop within {timeout:.0f}s; "
            f"see {info.log or 'its output'}; `kill -KILL {info.pid}` ends it and its servers",
            file=out,
        )
        return 1
    killed = _killed_services(Path(info.log)) if info.log else []
    if killed:
        print(f"dwsim down: stopped, but killed: {', '.join(killed)}", file=out)
    elif not quiet:
        print("dwsim down: stopped cleanly", file=out)
    return 0


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent to reap it has ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): the signal said it exists
    return stat.rpartition(")")[2].split()[0] != "Z"


def _terminate(pid: int) -> None:
    """SIGTERM to the supervisor's process group if it leads one (detached), else to it."""
    if os.getpgid(pid) == pid:
        os.killpg(pid, signal.SIGTERM)
    else:
        os.kill(pid, signal.SIGTERM)


def _killed_services(log: Path) -> list[str]:
    killed = []
    for line in tail(log, 200).splitlines():
        name, sep, text = line.partition(" | ")
        if sep and name.strip() == "up" and "(SIGKILL)" in text:
            killed.append(text.split(":", 1)[0])
    return killed
