"""The generator worker with one chunk task that raises past its own error handling (a bug, a
lost connection mid-report): what the chord's error callback is there for."""

from dwsim_generator import tasks
from dwsim_generator.worker import app
from dwsim_shared.contracts.tasks import TaskName

_real_run = tasks._run


def _run(task, name, raw, body):
    if name == TaskName.GENERATE_CHUNK and (raw["table"], raw["chunk"]) == ("orders", 1):
        raise RuntimeError("a chunk task raised")
    return _real_run(task, name, raw, body)


tasks._run = _run

__all__ = ["app"]
