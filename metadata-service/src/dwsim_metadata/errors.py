"""What the service refuses, each with a message naming what was wrong (HTTP status in main.py)."""

from dwsim_shared.errors import DwsimError


class NotFoundError(DwsimError):
    """An unknown experiment, job or run (404)."""


class ConflictError(DwsimError):
    """A request the current state does not allow (409): a duplicate, an active job, a bad move."""


class InvalidError(DwsimError):
    """A body that is valid JSON but does not fit the request (422)."""
