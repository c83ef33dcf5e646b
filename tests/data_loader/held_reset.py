"""The loader worker that, when the test arms it, holds a reset inside its transaction (every
table emptied, nothing committed) right before its job takes the commit mark, or right after,
until the test lets it go on: a cancel then meets the reset where the test chose, not by chance.

The test writes ``before`` or ``after`` into the file ``armed`` in ``DWSIM_TEST_HOLD_MARKERS``;
the worker removes it, writes ``held`` at that point and waits (at most 60 s) for ``resume``,
which it removes.
"""

import os
import time
from pathlib import Path

from dwsim_loader import service
from dwsim_loader.worker import app

MARKERS = Path(os.environ.get("DWSIM_TEST_HOLD_MARKERS", "/nonexistent"))
_reset = service.LoaderService.reset


def _hold(point: str) -> None:
    armed = MARKERS / "armed"
    if not armed.exists() or armed.read_text().strip() != point:
        return
    armed.unlink()
    (MARKERS / "held").write_text(str(os.getpid()))
    deadline = time.monotonic() + 60
    while not (MARKERS / "resume").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    (MARKERS / "resume").unlink(missing_ok=True)


def reset(self, experiment, *, before_commit=None, **kwargs):
    def held():
        _hold("before")
        marked = before_commit() if before_commit is not None else None
        _hold("after")
        return marked

    return _reset(self, experiment, before_commit=held, **kwargs)


service.LoaderService.reset = reset

__all__ = ["app"]
