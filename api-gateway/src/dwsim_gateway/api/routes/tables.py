"""A table's data as the warehouse holds it: its column profile."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from dwsim_gateway import intake, query_proxy
from dwsim_gateway.api.deps import AppSettings, Service
from dwsim_gateway.api.responses import errors
from dwsim_shared.contracts.api import TableProfile
from dwsim_shared.contracts.query import (
    DEFAULT_PROFILE_BINS,
    DEFAULT_PROFILE_TOP,
    MAX_PROFILE_BINS,
    MAX_PROFILE_TOP,
)

router = APIRouter(prefix="/api/experiments/{name}/tables", tags=["tables"])


@router.get(
    "/{table}/profile",
    response_model=TableProfile,
    responses=errors(400, 404, 409, 422, 503),
)
async def profile_table(
    name: str,
    table: str,
    request: Request,
    service: Service,
    settings: AppSettings,
    columns: Annotated[
        str | None, Query(description="comma-separated column names (default: every column)")
    ] = None,
    bins: Annotated[
        int, Query(ge=1, le=MAX_PROFILE_BINS, description="histogram bins")
    ] = DEFAULT_PROFILE_BINS,
    top: Annotated[
        int, Query(ge=1, le=MAX_PROFILE_TOP, description="most frequent values listed")
    ] = DEFAULT_PROFILE_TOP,
) -> Response:
    """Per column: rows, NULLs, distinct values, min and max, and equal-width histogram bins
    (numbers, dates, timestamps; each bin holds ``lower <= value < upper``, the last one
    ``upper`` too) or the most frequent values (the rest; empty when every value is
    distinct). Computed by the warehouse over the whole table; 409 until it has data."""
    record = await run_in_threadpool(service.get_experiment, name)  # 404 first
    body = intake.profile_request(record.schema_, table, columns, bins, top)
    statements = 1 + len(body.columns or record.schema_.table(body.table).columns)
    return await query_proxy.profile_table(settings, name, body, statements, request.receive)
