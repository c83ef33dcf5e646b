"""Run processes in the foreground with merged, prefixed logs; stop them all on a signal.

Each child runs in its own process group, so a Ctrl-C in the terminal (or a signal to our
process group) reaches only us: we stop the children in reverse start order, each with its
own stop signal, then SIGKILL whatever is left after a grace period. Children also get
SIGTERM from the kernel if this process dies without cleaning up (PR_SET_PDEATHSIG).
"""

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO

from dwsim_local.accounts import run_as
from dwsim_local.services import Service

PR_SET_PDEATHSIG = 1
STOP_GRACE_SECONDS = 10.0


def _die_with_parent() -> Callable[[], None] | None:
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before fork: no work in the child

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)

    return preexec


class Supervisor:
    def __init__(self, services: list[Service], out: IO[str] | None = None):
        self.services = services
        self.out = out or sys.stdout
        self.width = max([len(s.name) for s in services] + [2])
        self.procs: dict[str, subprocess.Popen] = {}
        self.readers: list[threading.Thread] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.force = False

    # -- output -------------------------------------------------------------------------------
    def say(self, name: str, line: str) -> None:
        with self.lock:
            self.out.write(f"{name:<{self.width}} | {line}\n")
            self.out.flush()

    def _pump(self, name: str, stream: IO[bytes]) -> None:
        for raw in iter(stream.readline, b""):
            self.say(name, raw.decode("utf-8", errors="replace").rstrip("\n"))
        stream.close()

    # -- lifecycle ----------------------------------------------------------------------------
    def _on_signal(self, signum: int, frame: object) -> None:
        if self.stopping.is_set():
            self.force = True  # a second Ctrl-C: do not wait for graceful exits
        self.stopping.set()

    def run(self) -> int:
        """Start every stage, wait for a signal or a failure, stop everything. The exit code."""
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        code = 0
        try:
            code = self._check_ports() or self._start_all()
            if code == 0 and not self.stopping.is_set():
                names = ", ".join(f"{s.name} {s.host}:{s.port}" for s in self.services)
                for service in self.services:
                    if service.hint:
                        self.say("up", f"{service.name}: {service.hint}")
                self.say("up", f"ready: {names} (Ctrl-C stops everything)")
                code = self._watch()
        finally:
            self._stop_all()
        self.say("up", "stopped" if code == 0 else f"stopped after a failure (exit {code})")
        return code

    def _check_ports(self) -> int:
        """1 (and a message) if a port is taken: nothing is started then."""
        for service in self.services:
            if _answers(service.host, service.port):
                self.say(
                    "up",
                    f"error: {service.host}:{service.port} is already in use; {service.name} "
                    "cannot listen there. Stop what runs there or choose another port "
                    "(DWSIM_* settings).",
                )
                return 1
        return 0

    def _start_all(self) -> int:
        for stage in sorted({s.stage for s in self.services}):
            batch = [s for s in self.services if s.stage == stage]
            for service in batch:
                self._start(service)
            for service in batch:
                if not self._wait_ready(service):
                    return 0 if self.stopping.is_set() else 1
                if service.on_ready:
                    try:
                        service.on_ready()
                    except Exception as exc:
                        self.say("up", f"error: {service.name} is up but setup failed: {exc}")
                        return 1
        return 0

    def _start(self, service: Service) -> None:
        self.say("up", f"starting {service.name}: {' '.join(service.command)}")
        proc = subprocess.Popen(
            service.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **service.env},
            process_group=0,
            preexec_fn=_die_with_parent(),
            **run_as(service.user),
        )
        self.procs[service.name] = proc
        reader = threading.Thread(target=self._pump, args=(service.name, proc.stdout), daemon=True)
        reader.start()
        self.readers.append(reader)

    def _wait_ready(self, service: Service) -> bool:
        proc = self.procs[service.name]
        deadline = time.monotonic() + service.start_timeout
        while time.monotonic() < deadline and not self.stopping.is_set():
            if proc.poll() is not None:
                self.say("up", f"error: {service.name} exited with code {proc.returncode}")
                return False
            if _answers(service.host, service.port):
                return True
            time.sleep(0.1)
        if not self.stopping.is_set():
            self.say(
                "up",
                f"error: {service.name} did not answer on {service.host}:{service.port} "
                f"within {service.start_timeout:.0f}s",
            )
        return False

    def _watch(self) -> int:
        while not self.stopping.wait(0.2):
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    self.say("up", f"error: {name} exited with code {proc.returncode}")
                    return 1
        return 0

    def _stop_all(self) -> None:
        by_name = {s.name: s for s in self.services}
        stages = sorted({by_name[n].stage for n in self.procs}, reverse=True)
        for stage in stages:
            batch = [n for n in self.procs if by_name[n].stage == stage]
            for name in batch:
                proc = self.procs[name]
                if proc.poll() is None:
                    self.say("up", f"stopping {name}")
                    _signal_group(proc, by_name[name].stop_signal)
            for name in batch:
                self._wait_or_kill(name, self.procs[name])
        for reader in self.readers:
            reader.join(timeout=2)

    def _wait_or_kill(self, name: str, proc: subprocess.Popen) -> None:
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while proc.poll() is None and time.monotonic() < deadline and not self.force:
            time.sleep(0.05)
        if proc.poll() is None:
            self.say("up", f"{name} did not stop in time: killing it")
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
        _signal_group(proc, signal.SIGKILL)  # anything it left in its group


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False
