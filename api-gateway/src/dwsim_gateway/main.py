"""The public HTTP API: ``uvicorn --factory dwsim_gateway.main:create_app``. OpenAPI at /docs."""

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dwsim_gateway.api.routes import (
    check_sql,
    experiments,
    health,
    jobs,
    query,
    runs,
    saved_queries,
    tables,
)
from dwsim_gateway.auth import BearerAuth
from dwsim_gateway.body_limit import BodyLimit
from dwsim_gateway.config import Settings, get_settings
from dwsim_gateway.errors import GatewayError
from dwsim_gateway.json_depth import JsonDepthLimit
from dwsim_gateway.service import GatewayService
from dwsim_gateway.ui import mount_ui
from dwsim_shared.celery_app import make_celery
from dwsim_shared.job_cache import JobCacheReader
from dwsim_shared.logs import configure_logging, log_event
from dwsim_shared.metadata_client import MetadataClient, MetadataError, MetadataUnavailableError

log = logging.getLogger("dwsim_gateway")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: logging, the metadata client, the Celery app (enqueue only), routes."""
    settings = settings or get_settings()
    configure_logging("api-gateway", settings.log_level, settings.log_json)
    _route_uvicorn_logs()
    metadata = MetadataClient(settings.metadata_url, timeout=settings.metadata_timeout_s)
    celery = make_celery("dwsim-gateway", settings)
    job_views = JobCacheReader(settings.redis_url)  # what the metadata service keeps there

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        auth = "bearer token" if settings.api_token else "none"  # never the token itself
        log_event(log, "gateway.started", metadata=settings.metadata_url, auth=auth)
        yield
        metadata.close()
        celery.close()
        await job_views.close()

    app = FastAPI(
        title="dw-sim API",
        summary="Experiments from warehouse DDL, synthetic data runs, loads and queries.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.service = GatewayService(settings, metadata, celery)
    app.state.job_views = job_views
    routers = (experiments.router, runs.router, jobs.router, query.router, health.router)
    for router in (*routers, saved_queries.router, tables.router, check_sql.router):
        app.include_router(router)
    mount_ui(app)  # the web UI at /
    _add_error_handlers(app)
    app.add_middleware(JsonDepthLimit)  # inside BodyLimit: sees only bodies under its limit
    app.add_middleware(BodyLimit, limit_mb=settings.max_body_mb)
    if settings.api_token:  # DWSIM_API_TOKEN; inside RequestLog, so a 401 is logged too
        app.add_middleware(BearerAuth, token=settings.api_token.get_secret_value())
    app.add_middleware(RequestLog)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    async def gateway_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, GatewayError)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status)

    async def metadata_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, MetadataError)
        status = {404: 404, 409: 409}.get(exc.status, 502)
        detail: Any = exc.detail
        if status == 502:
            detail = f"the metadata service refused the request (HTTP {exc.status}): {detail}"
            log_event(log, "gateway.metadata_refused", logging.ERROR, detail=str(exc.detail))
        return JSONResponse({"detail": detail}, status_code=status)

    async def metadata_down(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    app.add_exception_handler(GatewayError, gateway_error)
    app.add_exception_handler(MetadataError, metadata_error)  # and its 404/409 subclasses
    app.add_exception_handler(MetadataUnavailableError, metadata_down)


class RequestLog:
    """One log line per request: method, path, status, milliseconds."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            log_event(
                log,
                "gateway.request",
                logging.WARNING if status >= 500 else logging.INFO,
                method=scope["method"],
                path=scope["path"],
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )


def _route_uvicorn_logs() -> None:
    """uvicorn's lines go through the root handler (JSON too); its access log is ours instead."""
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per metadata call is noise
