"""Where a test's loader worker (``held_loader.py``, ``held_mark.py``) waits for the test: the
test writes the file ``armed`` in ``DWSIM_TEST_HOLD_MARKERS`` (holding ``point`` if it names
one); the worker removes it, writes ``held`` and waits (at most 60 s) for ``resume``, which it
removes. ``wait_for`` is the test's side: until the worker writes a marker."""

import os
import time
from pathlib import Path

MARKERS = Path(os.environ.get("DWSIM_TEST_HOLD_MARKERS", "/nonexistent"))


def hold(point: str | None = None) -> None:
    """Wait here if the test armed this point (any point when ``point`` is None)."""
    armed = MARKERS / "armed"
    if not armed.exists() or (point is not None and armed.read_text().strip() != point):
        return
    armed.unlink()
    (MARKERS / "held").write_text(str(os.getpid()))
    deadline = time.monotonic() + 60
    while not (MARKERS / "resume").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    (MARKERS / "resume").unlink(missing_ok=True)


def wait_for(path: Path, timeout: float = 60.0) -> None:
    """Until the worker writes the marker ``path``; fails the test after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} was never written"
        time.sleep(0.05)
