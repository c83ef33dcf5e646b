"""The loader worker that, when the test arms it, holds a job right before it takes its commit
mark, or right after, until the test lets it go on: a cancel then meets a drop (or any job
that takes the mark) where the test chose, not by chance.

The test writes ``before`` or ``after`` into the file ``armed`` in ``DWSIM_TEST_HOLD_MARKERS``
(``holds.py``).
"""

from dwsim_loader.worker import app
from dwsim_shared.reporter import JobReporter
from tests.data_loader.holds import hold

_committing = JobReporter.committing


def committing(self):
    hold("before")
    marked = _committing(self)
    hold("after")
    return marked


JobReporter.committing = committing

__all__ = ["app"]
