"""Failures as JSON ``{"detail": ...}`` with the status a client can act on."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from dwsim_query.api.deps import QUERY_ID_HEADER
from dwsim_query.guard import NotAllowedError
from dwsim_query.profiling import ProfileRequestError, TableNotLoadedError
from dwsim_query.running import QueryIdInUseError
from dwsim_query.service import ExperimentNotFoundError
from dwsim_shared.metadata_client import MetadataError, MetadataUnavailableError
from dwsim_shared.warehouses import WarehouseError, WarehouseUnavailableError
from dwsim_shared.warehouses.base import QueryCancelledError

log = logging.getLogger("dwsim_query")

STATUS: dict[type[Exception], int] = {
    ExperimentNotFoundError: 404,
    QueryIdInUseError: 409,
    NotAllowedError: 400,
    ProfileRequestError: 400,
    TableNotLoadedError: 409,
    QueryCancelledError: 400,
    WarehouseUnavailableError: 503,
    WarehouseError: 400,  # the warehouse's message: bad SQL, a timeout, not materialized
    MetadataUnavailableError: 503,
    MetadataError: 502,
}


def install(app: FastAPI) -> None:
    for error, status in STATUS.items():
        app.add_exception_handler(error, _handler(status))


def _handler(status: int):  # type: ignore[no-untyped-def]
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        query_id = getattr(request.state, "query_id", None)
        detail = str(exc)
        if isinstance(exc, QueryCancelledError) and query_id:
            detail = f"query {query_id} was cancelled ({detail})"
        headers = {QUERY_ID_HEADER: query_id} if query_id else None
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)

    return handle
