"""The metadata service app: ``uvicorn --factory dwsim_metadata.main:create_app``."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from celery import Celery
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from dwsim_metadata import migrate
from dwsim_metadata.api.routes import experiments, health, jobs, runs, saved_queries
from dwsim_metadata.config import Settings, get_settings
from dwsim_metadata.db import Database
from dwsim_metadata.errors import ConflictError, InvalidError, NotFoundError
from dwsim_metadata.jobs import OrphanRun
from dwsim_metadata.reaper import Reaper
from dwsim_metadata.service import MetadataService
from dwsim_metadata.task_queue import TaskQueue
from dwsim_shared.celery_app import make_celery, send
from dwsim_shared.contracts.tasks import DiscardRunPayload, TaskName
from dwsim_shared.job_cache import JobCache
from dwsim_shared.logs import configure_logging, log_event

log = logging.getLogger("dwsim_metadata")

STATUS = {NotFoundError: 404, ConflictError: 409, InvalidError: 422}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: logging, database (migrated to the newest version), routes."""
    settings = settings or get_settings()
    configure_logging("metadata-service", settings.log_level, settings.log_json)
    _route_uvicorn_logs()
    db = Database.from_settings(settings)
    migrate.upgrade(db.engine)
    log_event(log, "metadata.started", database=db.dialect)

    cache = JobCache(settings.redis_url, settings.job_cache_ttl_s) if settings.job_cache else None
    service = MetadataService(db, cache=cache)
    queue = TaskQueue(settings.redis_url)
    celery = make_celery("dwsim-metadata", settings)
    reaper = Reaper(service, settings.job_heartbeat_timeout_s, waiting=queue.waiting,
                    discard=lambda orphan: discard_run(celery, orphan))  # fmt: skip

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        reaping = asyncio.create_task(_reap_forever(reaper, settings.job_reaper_interval_s))
        yield
        reaping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reaping
        queue.close()
        celery.close()
        db.close()
        if cache is not None:
            cache.close()

    app = FastAPI(title="dw-sim metadata service", lifespan=lifespan)
    app.state.service = service
    app.state.settings = settings
    routers = (health.router, experiments.router, jobs.router, runs.router, saved_queries.router)
    for router in routers:
        app.include_router(router)
    for error, status in STATUS.items():
        app.add_exception_handler(error, _handler(status))
    return app


async def _reap_forever(reaper: Reaper, interval_s: float) -> None:
    """Run the reaper every ``interval_s`` (in a thread: it reads the database and Redis)."""
    while True:
        await asyncio.sleep(interval_s)
        try:
            await asyncio.to_thread(reaper.reap)
        except Exception:  # the database briefly away: try again next time
            log.exception("metadata.reaper_failed")


def discard_run(celery: Celery, orphan: OrphanRun) -> None:
    """Enqueue, by name, the generator's removal of a cancelled run's objects."""
    payload = DiscardRunPayload(job_id=orphan.job_id, experiment=orphan.experiment,
                                run_id=orphan.run_id)  # fmt: skip
    send(celery, TaskName.GENERATE_DISCARD, payload)


def _handler(status: int):  # type: ignore[no-untyped-def]
    async def handle(_request: Request, exc: Exception) -> JSONResponse:
        if status != 404:
            log_event(log, "metadata.refused", status=status, detail=str(exc))
        return JSONResponse({"detail": str(exc)}, status_code=status)

    return handle


def _route_uvicorn_logs() -> None:
    """uvicorn's own lines go through the root handler, so they are JSON too."""
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        if logger.handlers:  # none on uvicorn.access under --no-access-log: keep it quiet
            logger.handlers[:] = []
            logger.propagate = True
