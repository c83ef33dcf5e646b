"""The generator worker with each chunk paused for ``DWSIM_TEST_CHUNK_PAUSE_S`` before it is made:
a job of a few small chunks that lasts a few seconds, for what happens to it meanwhile."""

import os
import time

from dwsim_generator import tasks
from dwsim_generator.worker import app

_PAUSE_S = float(os.environ.get("DWSIM_TEST_CHUNK_PAUSE_S", "0.3"))
_real_chunk = tasks._generate_chunk


def _generate_chunk(task, payload):
    time.sleep(_PAUSE_S)
    return _real_chunk(task, payload)


tasks._generate_chunk = _generate_chunk

__all__ = ["app"]
