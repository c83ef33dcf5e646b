"""What the routes take from the app and the request: the service and the query's id.

``async def``: FastAPI would run a plain ``def`` in its thread pool, a thread hop per request
for what only reads the app's state (see dwsim_gateway/api/deps.py)."""

import uuid

from fastapi import Header, Request

from dwsim_query.service import QueryService

QUERY_ID_HEADER = "X-Query-Id"
QUERY_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}$"


async def get_service(request: Request) -> QueryService:
    return request.app.state.service


async def get_query_id(
    request: Request,
    x_query_id: str | None = Header(
        default=None,
        pattern=QUERY_ID_PATTERN,
        description="The query's id, to cancel it with POST /queries/{id}/cancel "
        "(generated when absent; returned in the response's X-Query-Id header)",
    ),
) -> str:
    query_id = x_query_id or uuid.uuid4().hex
    request.state.query_id = query_id  # for the error responses' header
    return query_id
