"""Run processes in the foreground with merged, prefixed logs; stop them all on a signal.

Each child runs in its own process group, so a Ctrl-C in the terminal (or a signal to our
process group) reaches only us: we stop the children in reverse start order, each with its
own stop signal sent to it alone (a Celery worker stops its pool, PostgreSQL its backends),
then SIGKILL whatever is left after its grace period. Children also get SIGTERM from the
kernel if this process dies without cleaning up (PR_SET_PDEATHSIG).

One stop may arrive more than once: `make` forwards the SIGTERM its process group got to its
recipe, which got the same SIGTERM already. So repeats are ignored; only a SIGINT at least
FORCE_AFTER_SECONDS after the first signal (a person pressing Ctrl-C again) kills at once.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO

from dwsim_local.accounts import run_as
from dwsim_local.readiness import port_answers
from dwsim_local.services import Service

PR_SET_PDEATHSIG = 1
FORCE_AFTER_SECONDS = 2.0


def _preexec(niceness: int) -> Callable[[], None] | None:
    """In the child before exec: die with the supervisor (Linux), and lower its priority."""
    prctl = (
        ctypes.CDLL(None, use_errno=True).prctl  # looked up before fork: no work in the child
        if sys.platform.startswith("linux")
        else None
    )
    if prctl is None and not niceness:
        return None

    def preexec() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if niceness:
            os.nice(niceness)

    return preexec


def describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"signal {signal.Signals(-code).name}"
    return f"exit code {code}"


class Supervisor:
    def __init__(
        self,
        services: list[Service],
        out: IO[str] | None = None,
        on_up: Callable[[], None] | None = None,
    ):
        self.services = services
        self.out = out or sys.stdout
        self.on_up = on_up  # called once every service is ready
        self.width = max([len(s.name) for s in services] + [2])
        self.procs: dict[str, subprocess.Popen] = {}
        self.readers: list[threading.Thread] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.first_signal_at: float | None = None
        self.force = False
        self.notices: list[str] = []  # written by the signal handler, printed by the main loop

    # -- output -------------------------------------------------------------------------------
    def say(self, name: str, line: str) -> None:
        with self.lock:
            self.out.write(f"{name:<{self.width}} | {line}\n")
            self.out.flush()

    def _pump(self, name: str, stream: IO[bytes]) -> None:
        for raw in iter(stream.readline, b""):
            self.say(name, raw.decode("utf-8", errors="replace").rstrip("\n"))
        stream.close()

    def _flush_notices(self) -> None:
        while self.notices:
            self.say("up", self.notices.pop(0))

    # -- lifecycle ----------------------------------------------------------------------------
    def _on_signal(self, signum: int, frame: object) -> None:
        """Only flags here: printing from a signal handler could deadlock on the output lock."""
        now = time.monotonic()
        name = signal.Signals(signum).name
        if self.first_signal_at is None:
            self.first_signal_at = now
            self.notices.append(f"{name}: stopping everything (Ctrl-C again to kill at once)")
            self.stopping.set()
        elif signum == signal.SIGINT and now - self.first_signal_at >= FORCE_AFTER_SECONDS:
            if not self.force:
                self.notices.append("SIGINT again: killing what is still running")
            self.force = True
        else:  # the same stop delivered twice (a group signal and make's forward of it)
            self.notices.append(f"{name} again: already stopping cleanly")

    def stop(self) -> None:
        """Stop everything, as a first signal would (for callers running ``run`` in a thread)."""
        self.stopping.set()

    def run(self, install_signals: bool = True) -> int:
        """Start every stage, wait for a signal or a failure, stop everything. The exit code."""
        if install_signals:
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, self._on_signal)
        code = 0
        try:
            code = self._check_ports() or self._start_all()
            if code == 0 and not self.stopping.is_set():
                for service in self.services:
                    if service.hint:
                        self.say("up", f"{service.name}: {service.hint}")
                names = ", ".join(f"{s.name} {s.address}" for s in self.services)
                self.say("up", f"ready: {names} (Ctrl-C stops everything)")
                if self.on_up:
                    self.on_up()
                code = self._watch()
        finally:
            self._flush_notices()
            self._stop_all()
        self.say("up", "stopped" if code == 0 else f"stopped after a failure (exit {code})")
        return code

    def _check_ports(self) -> int:
        """1 (and a message) if a port is taken: nothing is started then."""
        for service in self.services:
            if service.port and port_answers(service.host, service.port):
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
                if self.stopping.is_set():
                    return 0
                if not self._start(service):
                    return 1
            for service in batch:
                if not self._wait_ready(service):
                    return 0 if self.stopping.is_set() else 1
                if service.on_ready and not self._step(service, service.on_ready, "is up but"):
                    return 1
        return 0

    def _step(self, service: Service, step: Callable[[], None], when: str) -> bool:
        try:
            step()
        except Exception as exc:
            self.say("up", f"error: {service.name} {when} setup failed: {exc}")
            return False
        return True

    def _start(self, service: Service) -> bool:
        if service.before_start and not self._step(service, service.before_start, "cannot start:"):
            return False
        self.say("up", f"starting {service.name}: {' '.join(service.command)}")
        proc = subprocess.Popen(
            service.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, **service.env},
            process_group=0,
            preexec_fn=_preexec(service.niceness),
            **run_as(service.user),
        )
        self.procs[service.name] = proc
        reader = threading.Thread(target=self._pump, args=(service.name, proc.stdout), daemon=True)
        reader.start()
        self.readers.append(reader)
        return True

    def _wait_ready(self, service: Service) -> bool:
        proc = self.procs[service.name]
        readiness = service.readiness
        deadline = time.monotonic() + service.start_timeout
        while time.monotonic() < deadline and not self.stopping.is_set():
            if proc.poll() is not None:
                self.say(
                    "up", f"error: {service.name} exited with {describe_exit(proc.returncode)}"
                )
                return False
            if readiness.check():
                self.say("up", f"{service.name} is ready")
                return True
            time.sleep(0.2)
        if not self.stopping.is_set():
            self.say(
                "up",
                f"error: {service.name} did not {readiness.describe()} "
                f"within {service.start_timeout:.0f}s",
            )
        return False

    def _watch(self) -> int:
        while not self.stopping.wait(0.2):
            self._flush_notices()
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    self.say("up", f"error: {name} exited with {describe_exit(proc.returncode)}")
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
                    with contextlib.suppress(ProcessLookupError):
                        proc.send_signal(by_name[name].stop_signal)
            for name in batch:
                self._wait_or_kill(by_name[name], self.procs[name])
        for reader in self.readers:
            reader.join(timeout=2)
        self._flush_notices()

    def _wait_or_kill(self, service: Service, proc: subprocess.Popen) -> None:
        deadline = time.monotonic() + service.stop_timeout
        while proc.poll() is None and time.monotonic() < deadline and not self.force:
            self._flush_notices()
            time.sleep(0.05)
        if proc.poll() is None:
            reason = (
                "killing it now" if self.force else f"not stopped in {service.stop_timeout:.0f}s"
            )
            self.say("up", f"{service.name}: {reason} (SIGKILL)")
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
        else:
            self.say("up", f"{service.name} stopped ({describe_exit(proc.returncode)})")
        _signal_group(proc, signal.SIGKILL)  # anything it left behind in its group


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)
