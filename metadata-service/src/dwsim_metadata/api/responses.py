"""Refusals the service makes itself, documented in its OpenAPI: ``{"detail": ...}``."""

from typing import Any

from dwsim_shared.contracts.api import ErrorBody

# 422: FastAPI's validation errors, or the service's own refusal (a message naming the field)
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "invalid request; detail says what was wrong"}
}
