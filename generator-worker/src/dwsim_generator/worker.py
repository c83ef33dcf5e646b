"""The generator worker's Celery app.

Run it with ``celery -A dwsim_generator.worker worker -Q dwsim.generator -c N --loglevel INFO``.
"""

import logging
from typing import Any

import pyarrow as pa
from celery.signals import setup_logging

from dwsim_generator import tasks  # noqa: F401 - registers the tasks on the app below
from dwsim_generator.config import get_settings
from dwsim_generator.engine.memory import reuse_freed_memory
from dwsim_shared.celery_app import make_celery
from dwsim_shared.logs import configure_logging

settings = get_settings()
app = make_celery("dwsim-generator", settings)

# pyarrow imports its pandas support on its first array where pandas is installed (pandas is
# not a dependency of dw-sim, but may sit in the same environment). Done here, in the worker's
# main process before it forks its pool, every pool process inherits it, instead of each
# importing it again on its first chunk: measured 0.2-0.4 CPU s per pool process per start.
pa.array([0])
reuse_freed_memory()  # each pool process reuses its chunks' memory (engine/memory.py)


@setup_logging.connect
def _configure_logging(loglevel: Any = None, **_: Any) -> None:
    """Our JSON lines instead of Celery's own format (``--loglevel`` wins over the setting)."""
    level = logging.getLevelName(loglevel) if isinstance(loglevel, int) else settings.log_level
    configure_logging("generator-worker", level, settings.log_json)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per metadata call is noise
