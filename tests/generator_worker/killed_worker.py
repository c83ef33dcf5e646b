"""The generator worker whose process is killed (SIGKILL) in the middle of one chunk, once.

The chunk named by ``DWSIM_TEST_KILL_CHUNK`` ("table:chunk") uploads its part and then kills
its own process before reporting it, the first time it runs; the file ``DWSIM_TEST_KILL_MARKER``
tells the redelivered run not to. Celery (acks_late, reject_on_worker_lost) puts the task back.
"""

import os
import signal
from pathlib import Path

from dwsim_generator import service
from dwsim_generator.worker import app
from dwsim_shared.contracts.s3layout import RunLayout

_real_upload = service.upload_part
_KILL = os.environ.get("DWSIM_TEST_KILL_CHUNK", "")
_MARKER = Path(os.environ.get("DWSIM_TEST_KILL_MARKER", "/nonexistent/marker"))


def upload_part(client, bucket, key, body):
    size = _real_upload(client, bucket, key, body)
    table, _, chunk = _KILL.partition(":")
    if key.endswith(f"/{RunLayout.relative_part(table, int(chunk))}") and not _MARKER.exists():
        _MARKER.write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)  # staged, but never reported
    return size


service.upload_part = upload_part

__all__ = ["app"]
