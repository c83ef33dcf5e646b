"""Structured logging: one JSON object per line, with the job and experiment on every line.

``configure_logging("generator-worker")`` once at start; ``bind(job_id=..., experiment=...)``
(a context manager) puts those fields on every line logged inside it, in any thread's own
context. Event names follow ``service.event`` (``loader.table_loaded``).
"""

import contextlib
import contextvars
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

_CONTEXT: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "dwsim_log", default=None
)


@contextlib.contextmanager
def bind(**fields: Any) -> Iterator[None]:
    """Add ``fields`` (job_id, experiment, run_id...) to every line logged inside."""
    token = _CONTEXT.set({**(_CONTEXT.get() or {}), **{k: str(v) for k, v in fields.items() if v}})
    try:
        yield
    finally:
        _CONTEXT.reset(token)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "event": record.getMessage(),
            **(_CONTEXT.get() or {}),
        }
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            line.update(extra)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class _ContextFilter(logging.Filter):
    """Plain-text lines get the context too, as ``key=value`` after the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _CONTEXT.get() or {}
        record.context = " ".join(f"{k}={v}" for k, v in context.items())
        return True


def configure_logging(service: str, level: str = "INFO", json_lines: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.addFilter(_ContextFilter())
        handler.setFormatter(logging.Formatter(f"%(levelname)s {service} %(message)s %(context)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``event`` with extra fields (JSON keys, or key=value in plain text)."""
    logger.log(level, event, extra={"fields": fields})
