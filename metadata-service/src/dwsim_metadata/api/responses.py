"""Refusals the service makes itself, documented in its OpenAPI: ``{"detail": ...}``."""

from typing import Any

from pydantic import BaseModel


class ErrorBody(BaseModel):
    detail: Any  # a message; for a body FastAPI refuses, its list of {loc, msg, type}


# 422: FastAPI's validation errors, or the service's own refusal (a message naming the field)
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "invalid request; detail says what was wrong"}
}
