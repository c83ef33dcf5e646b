"""SQL on an experiment's warehouse, answered by the query service (JSON, or CSV streamed)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from dwsim_gateway import query_proxy
from dwsim_gateway.api.deps import AppSettings, Service
from dwsim_gateway.api.responses import errors
from dwsim_shared.contracts.api import QueryRequest
from dwsim_shared.contracts.query import CancelResult, QueryResult

router = APIRouter(tags=["query"])

RESULT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "QueryResult, or CSV with ?format=csv"}
}
QueryId = Annotated[
    str | None,
    Header(
        pattern=query_proxy.QUERY_ID_PATTERN,
        description="an id for the query, to cancel it with POST /api/queries/{id}/cancel "
        "(made up when absent; returned in the response's X-Query-Id header)",
    ),
]


@router.post(
    "/api/experiments/{name}/query",
    response_model=QueryResult,
    responses={**RESULT, **errors(400, 404, 422, 503)},
)
async def query(
    name: str,
    body: QueryRequest,
    request: Request,
    service: Service,
    settings: AppSettings,
    format_: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
    x_query_id: QueryId = None,
) -> Response:
    """Run ``sql`` in the warehouse's own dialect: at most ``limit`` rows as JSON, or every
    row as CSV, streamed. A client that disconnects cancels its query."""
    await run_in_threadpool(service.get_experiment, name)  # 404 before touching a warehouse
    return await query_proxy.run_query(
        settings,
        name,
        body,
        csv=format_ == "csv",
        query_id=x_query_id,
        receive=request.receive,
    )


@router.post(
    "/api/queries/{query_id}/cancel",
    response_model=CancelResult,
    responses=errors(404, 503),
)
async def cancel_query(query_id: str, settings: AppSettings) -> Response:
    """Stop a running query (by the X-Query-Id it was sent with)."""
    return await query_proxy.cancel_query(settings, query_id)
