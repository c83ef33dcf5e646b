"""The query service app: ``uvicorn --factory dwsim_query.main:create_app``."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from dwsim_query.api import errors
from dwsim_query.api.routes import check_sql, health, query
from dwsim_query.config import Settings, get_settings
from dwsim_query.service import QueryService
from dwsim_shared.logs import configure_logging, log_event

log = logging.getLogger("dwsim_query")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: logging, the service (a metadata client), routes, error mapping."""
    settings = settings or get_settings()
    configure_logging("query-service", settings.log_level, settings.log_json)
    _route_uvicorn_logs()
    service = QueryService(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        log_event(log, "query.started", metadata_url=settings.metadata_url)
        yield
        service.close()

    app = FastAPI(title="dw-sim query service", lifespan=lifespan)
    app.state.service = service
    app.state.settings = settings
    app.include_router(health.router)
    app.include_router(query.router)
    app.include_router(check_sql.router)
    errors.install(app)
    return app


def _route_uvicorn_logs() -> None:
    """uvicorn's own lines go through the root handler, so they are JSON too."""
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        if logger.handlers:  # none on uvicorn.access under --no-access-log: keep it quiet
            logger.handlers[:] = []
            logger.propagate = True
