"""Queries (and column profiles) go to the query service: JSON passed through, CSV streamed
through as it comes.

The query service's status and ``{"detail"}`` reach the client unchanged. Each query has an
``X-Query-Id`` (the client's, or made here) that both services log and that cancels it; a
client that goes away closes the upstream request too, which cancels the query there.
"""

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote
from uuid import uuid4

import anyio
import httpx
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Receive

from dwsim_gateway.config import Settings
from dwsim_gateway.errors import UnavailableError
from dwsim_shared.contracts.api import QueryRequest
from dwsim_shared.contracts.compat import MAX_CHECK_STATEMENTS, CheckSqlRequest
from dwsim_shared.contracts.query import ProfileRequest

QUERY_ID_HEADER = "X-Query-Id"
QUERY_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}$"  # what the query service accepts


async def run_query(
    settings: Settings,
    experiment: str,
    body: QueryRequest,
    *,
    csv: bool,
    query_id: str | None,
    receive: Receive,
) -> Response:
    query_id = query_id or uuid4().hex
    read_timeout = (body.timeout_s or settings.query_timeout_s) + settings.query_grace_s
    client = _client(settings, read_timeout)
    request = client.build_request(
        "POST",
        f"/experiments/{quote(experiment, safe='')}/query",
        json=body.model_dump(mode="json", exclude_none=True),
        params={"format": "csv"} if csv else None,
        headers={QUERY_ID_HEADER: query_id},
    )
    headers = {QUERY_ID_HEADER: query_id}
    try:
        upstream = await _unless_gone(receive, client.send(request, stream=True))
        if upstream is None:  # the client went away: closing the request cancels the query
            return Response(status_code=499)
        if csv and upstream.is_success:
            stream = _stream(upstream, client)
            client = None  # closed by the stream, however it ends
            return StreamingResponse(
                stream,
                status_code=upstream.status_code,
                media_type=upstream.headers.get("content-type", "text/csv"),
                headers=headers,
            )
        content = await _unless_gone(receive, upstream.aread())
        if content is None:
            return Response(status_code=499)
    except httpx.TransportError as exc:
        raise _unavailable(settings, exc) from None
    finally:
        if client is not None:
            await client.aclose()
    if upstream.is_success:
        return Response(content, upstream.status_code, headers, media_type="application/json")
    return JSONResponse(
        {"detail": _detail(upstream.status_code, content)}, upstream.status_code, headers
    )


async def profile_table(
    settings: Settings, experiment: str, body: ProfileRequest, statements: int, receive: Receive
) -> Response:
    """The query service's ``TableProfile`` (or its error) as it answered; a client that goes
    away stops the profile's statements (at most ``statements``, each under the timeout)."""
    query_id = uuid4().hex
    per_statement = body.timeout_s or settings.query_timeout_s
    read_timeout = per_statement * statements + settings.query_grace_s
    headers = {QUERY_ID_HEADER: query_id}
    async with _client(settings, read_timeout) as client:
        try:
            upstream = await _unless_gone(
                receive,
                client.post(
                    f"/experiments/{quote(experiment, safe='')}/profile",
                    json=body.model_dump(mode="json", exclude_none=True),
                    headers=headers,
                ),
            )
        except httpx.TransportError as exc:
            raise _unavailable(settings, exc) from None
    if upstream is None:
        return Response(status_code=499)
    if upstream.is_success:
        return Response(upstream.content, 200, headers, media_type="application/json")
    detail = _detail(upstream.status_code, upstream.content)
    return JSONResponse({"detail": detail}, upstream.status_code, headers)


async def check_sql(
    settings: Settings, experiment: str, body: CheckSqlRequest, receive: Receive
) -> Response:
    """The query service's ``CheckReport`` (or its error) as it answered. It may take each
    statement's timeout in turn: the read timeout allows that for every ``;`` or line."""
    per_statement = body.timeout_s or settings.query_timeout_s
    pieces = body.sql.count("\n" if body.per_line else ";") + 1
    read_timeout = per_statement * min(pieces, MAX_CHECK_STATEMENTS) + settings.query_grace_s
    async with _client(settings, read_timeout) as client:
        try:
            upstream = await _unless_gone(
                receive,
                client.post(
                    f"/experiments/{quote(experiment, safe='')}/check-sql",
                    json=body.model_dump(mode="json", exclude_none=True),
                ),
            )
        except httpx.TransportError as exc:
            raise _unavailable(settings, exc) from None
    if upstream is None:
        return Response(status_code=499)
    if upstream.is_success:
        return Response(upstream.content, 200, media_type="application/json")
    return JSONResponse(
        {"detail": _detail(upstream.status_code, upstream.content)}, upstream.status_code
    )


async def cancel_query(settings: Settings, query_id: str) -> Response:
    """Ask the query service to stop a running query; its answer is passed through."""
    async with _client(settings, read_timeout=settings.query_grace_s + 5) as client:
        try:
            upstream = await client.post(f"/queries/{quote(query_id, safe='')}/cancel")
        except httpx.TransportError as exc:
            raise _unavailable(settings, exc) from None
    if upstream.is_success:
        return Response(upstream.content, upstream.status_code, media_type="application/json")
    detail = _detail(upstream.status_code, upstream.content)
    return JSONResponse({"detail": detail}, upstream.status_code)


def _client(settings: Settings, read_timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=settings.query_url.rstrip("/"),
        timeout=httpx.Timeout(read_timeout, connect=settings.query_connect_timeout_s),
    )


def _unavailable(settings: Settings, exc: Exception) -> UnavailableError:
    return UnavailableError(
        f"the query service at {settings.query_url} does not answer "
        f"({exc or type(exc).__name__}); is it running? (dwsim up starts it)"
    )


async def _unless_gone(receive: Receive, work: Any) -> Any:
    """Await ``work``, or None should the client disconnect first (``work`` is then cancelled)."""
    outcome: dict[str, Any] = {}

    async def watch(scope: anyio.CancelScope) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        scope.cancel()

    async with anyio.create_task_group() as group:
        group.start_soon(watch, group.cancel_scope)
        try:
            outcome["result"] = await work
        except Exception as exc:  # raised out here, not wrapped in an ExceptionGroup
            outcome["error"] = exc
        finally:
            group.cancel_scope.cancel()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


async def _stream(upstream: httpx.Response, client: httpx.AsyncClient) -> AsyncIterator[bytes]:
    """The upstream body as it arrives; closed however the download ends (even cut short)."""
    try:
        async for chunk in upstream.aiter_raw():
            yield chunk
    finally:
        await upstream.aclose()
        await client.aclose()


def _detail(status: int, content: bytes) -> Any:
    try:
        data = json.loads(content)
    except ValueError:
        data = None
    if isinstance(data, dict) and "detail" in data:
        return data["detail"]
    text = content.decode("utf-8", "replace").strip()
    return text or f"the query service answered HTTP {status}"
