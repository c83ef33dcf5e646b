"""The generator worker with chunks that take an hour: a task that holds its job for long, for
what happens while it works (its heartbeat) and when its worker is killed."""

import logging
import time

from dwsim_generator import tasks
from dwsim_generator.worker import app
from dwsim_shared.logs import log_event

_real_chunk = tasks._generate_chunk


def _generate_chunk(task, payload):
    log_event(logging.getLogger("tests.slow_worker"), "test.chunk_holding")
    time.sleep(3600)
    return _real_chunk(task, payload)


tasks._generate_chunk = _generate_chunk

__all__ = ["app"]
