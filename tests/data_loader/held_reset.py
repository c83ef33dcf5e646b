"""The loader worker that, when the test arms it, holds a reset inside its transaction (every
table emptied, nothing committed) right before its job takes the commit mark, or right after,
until the test lets it go on: a cancel then meets the reset where the test chose, not by chance.

The test writes ``before`` or ``after`` into the file ``armed`` in ``DWSIM_TEST_HOLD_MARKERS``;
the worker removes it, writes ``held`` at that point and waits (at most 60 s) for ``resume``,
which it removes.
"""

from dwsim_loader import service
from dwsim_loader.worker import app
from tests.data_loader.holds import hold

_reset = service.LoaderService.reset


def reset(self, experiment, *, before_commit=None, **kwargs):
    def held():
        hold("before")
        marked = before_commit() if before_commit is not None else None
        hold("after")
        return marked

    return _reset(self, experiment, before_commit=held, **kwargs)


service.LoaderService.reset = reset

__all__ = ["app"]
