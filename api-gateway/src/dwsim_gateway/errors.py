"""Errors the gateway raises itself; ``main`` turns each into JSON ``{"detail"}`` and a status.

The metadata client's errors (not found, conflict, unavailable) are mapped there as well, so
the service code can let them through unchanged.
"""

from typing import Any

from dwsim_shared.errors import DwsimError


class GatewayError(DwsimError):
    status = 500

    def __init__(self, detail: Any):
        self.detail = detail
        super().__init__(detail if isinstance(detail, str) else str(detail))


class BadRequestError(GatewayError):
    """400: the request names something that does not exist or asks for the impossible."""

    status = 400


class NotFoundError(GatewayError):
    status = 404


class ConflictError(GatewayError):
    status = 409


class InvalidError(GatewayError):
    """422: the payload does not validate; ``detail`` lists errors like FastAPI's own."""

    status = 422


class UnavailableError(GatewayError):
    """503: a dependency (Redis, the query service) does not answer."""

    status = 503
