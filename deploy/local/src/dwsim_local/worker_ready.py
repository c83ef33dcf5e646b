"""Imported into each Celery worker by ``dwsim up`` (``--include dwsim_local.worker_ready``).

A worker has no port to probe, so it writes the file named by DWSIM_WORKER_READY_FILE once it
consumes its queues (Celery's ``worker_ready``) and removes it when it shuts down.
"""

import contextlib
import os
from pathlib import Path

from celery.signals import worker_ready, worker_shutdown

READY_FILE_ENV = "DWSIM_WORKER_READY_FILE"


def _ready_file() -> Path | None:
    value = os.environ.get(READY_FILE_ENV)
    return Path(value) if value else None


@worker_ready.connect
def _touch(**_: object) -> None:
    path = _ready_file()
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{os.getpid()}\n")


@worker_shutdown.connect
def _remove(**_: object) -> None:
    path = _ready_file()
    if path:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
