"""The loader worker that, when the test arms it, holds a load inside its transaction after the
first table is loaded (its COPY done and reported), until the test lets it go on: what happens
to the warehouse meanwhile (an emulator restarted) is then the test's to choose, not a race.

The test arms a load with the file ``armed`` in ``DWSIM_TEST_HOLD_MARKERS``; the worker removes
it, writes ``held`` and waits (at most 60 s) for ``resume``, which it removes.
"""

import os
import time
from pathlib import Path

from dwsim_loader import service
from dwsim_loader.worker import app

MARKERS = Path(os.environ.get("DWSIM_TEST_HOLD_MARKERS", "/nonexistent"))
_load_run = service.LoaderService.load_run


def _hold() -> None:
    armed = MARKERS / "armed"
    if not armed.exists():
        return
    armed.unlink()
    (MARKERS / "held").write_text(str(os.getpid()))
    deadline = time.monotonic() + 60
    while not (MARKERS / "resume").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    (MARKERS / "resume").unlink(missing_ok=True)


def load_run(self, experiment, run_id, on_table=None, manifest=None, **kwargs):
    def held(load):
        if on_table is not None:
            on_table(load)
        _hold()

    return _load_run(self, experiment, run_id, on_table=held, manifest=manifest, **kwargs)


service.LoaderService.load_run = load_run

__all__ = ["app"]
