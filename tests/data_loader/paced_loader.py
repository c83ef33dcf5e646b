"""The loader worker with a pause of ``DWSIM_TEST_TABLE_PAUSE_S`` after each table's load is
reported: a load of a few small tables that lasts a few seconds, for what happens meanwhile."""

import os
import time

from dwsim_loader import service
from dwsim_loader.worker import app

_PAUSE_S = float(os.environ.get("DWSIM_TEST_TABLE_PAUSE_S", "1.0"))
_load_run = service.LoaderService.load_run


def load_run(self, experiment, run_id, on_table=None, manifest=None, **kwargs):
    def paced(load):
        if on_table is not None:
            on_table(load)
        time.sleep(_PAUSE_S)

    return _load_run(self, experiment, run_id, on_table=paced, manifest=manifest, **kwargs)


service.LoaderService.load_run = load_run

__all__ = ["app"]
