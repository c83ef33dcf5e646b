"""Which stack runs from a data dir: ``<DWSIM_DATA_DIR>/run/stack.lock`` and ``stack.json``.

A running ``dwsim up`` holds an exclusive lock on stack.lock for its whole life; the kernel
drops it when the process ends however it ends, so a stale pid file can never pass for a
running stack (nor a reused pid for ours).
"""

import contextlib
import fcntl
import json
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import IO


@dataclass(frozen=True)
class StackInfo:
    pid: int
    gateway_url: str | None  # None when the stack runs without the gateway (DWSIM_UP_SERVICES)
    log: str | None  # the log file of a detached stack
    started_at: float
    ready: bool = False  # every service has reported ready


def run_dir(data_dir: Path) -> Path:
    return data_dir / "run"


def _lock_path(data_dir: Path) -> Path:
    return run_dir(data_dir) / "stack.lock"


def _info_path(data_dir: Path) -> Path:
    return run_dir(data_dir) / "stack.json"


def pid_path(data_dir: Path) -> Path:
    return run_dir(data_dir) / "stack.pid"


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / "stack.log"


class StackLock:
    """Held by the running ``dwsim up``; ``acquire`` fails if another holds it."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.handle: IO[str] | None = None
        self.info: StackInfo | None = None

    def acquire(self) -> bool:
        run_dir(self.data_dir).mkdir(parents=True, exist_ok=True)
        handle = _lock_path(self.data_dir).open("a+")
        for _ in range(10):  # `running()` takes the lock for an instant to test it
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                time.sleep(0.05)
                continue
            self.handle = handle
            return True
        handle.close()
        return False

    def publish(self, gateway_url: str | None, log: str | None) -> None:
        self.info = StackInfo(os.getpid(), gateway_url, log, time.time())
        _write(_info_path(self.data_dir), json.dumps(asdict(self.info)))
        _write(pid_path(self.data_dir), f"{self.info.pid}\n")

    def mark_ready(self) -> None:
        self.info = replace(self.info, ready=True)
        _write(_info_path(self.data_dir), json.dumps(asdict(self.info)))

    def release(self) -> None:
        for path in (_info_path(self.data_dir), pid_path(self.data_dir)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        if self.handle:
            self.handle.close()  # drops the lock
            self.handle = None


def running(data_dir: Path) -> StackInfo | None:
    """The stack running from ``data_dir``, or None."""
    lock = _lock_path(data_dir)
    if not lock.exists():
        return None
    with lock.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # held: a stack runs
        else:
            return None
    for _ in range(50):  # the holder writes its info right after taking the lock
        with contextlib.suppress(FileNotFoundError, json.JSONDecodeError, TypeError):
            return StackInfo(**json.loads(_info_path(data_dir).read_text()))
        time.sleep(0.1)
    return None


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)
