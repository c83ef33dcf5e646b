"""The loader worker that, when the test arms it, holds a load inside its transaction after the
first table is loaded (its COPY done and reported), until the test lets it go on: what happens
to the warehouse meanwhile (an emulator restarted) is then the test's to choose, not a race.

The test arms a load with the file ``armed`` in ``DWSIM_TEST_HOLD_MARKERS``; the worker removes
it, writes ``held`` and waits (at most 60 s) for ``resume``, which it removes.
"""

from dwsim_loader import service
from dwsim_loader.worker import app
from tests.data_loader.holds import hold

_load_run = service.LoaderService.load_run


def load_run(self, experiment, run_id, on_table=None, manifest=None, **kwargs):
    def held(load):
        if on_table is not None:
            on_table(load)
        hold()

    return _load_run(self, experiment, run_id, on_table=held, manifest=manifest, **kwargs)


service.LoaderService.load_run = load_run

__all__ = ["app"]
