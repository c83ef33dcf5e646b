"""``POST /experiments/{name}/query`` (JSON or ``?format=csv``), ``POST
/experiments/{name}/profile`` (a table's column profile), ``POST /queries/{query_id}/cancel``
and ``GET /queries/{query_id}`` (404 once it is not running); the gateway proxies all but the
last."""

import threading
import time
from collections.abc import Callable
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar

import anyio
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel
from starlette.types import Receive, Scope, Send

from dwsim_query.api.deps import QUERY_ID_HEADER, get_query_id, get_service
from dwsim_query.service import CsvExport, QueryService
from dwsim_shared.contracts.api import QueryRequest, TableProfile
from dwsim_shared.contracts.query import CancelResult, ProfileRequest, QueryResult
from dwsim_shared.errors import DwsimError

router = APIRouter()
T = TypeVar("T")


class OutputFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


class RunningQueryInfo(BaseModel):
    query_id: str
    experiment: str
    cancelled: bool  # asked to stop, not stopped yet
    running_s: float


@router.post(
    "/experiments/{name}/query",
    response_model=QueryResult,
    responses={200: {"content": {"text/csv": {}}, "description": "QueryResult, or CSV"}},
)
async def run_query(
    name: str,
    body: QueryRequest,
    request: Request,
    format: OutputFormat = OutputFormat.JSON,
    service: QueryService = Depends(get_service),
    query_id: str = Depends(get_query_id),
) -> Response:
    """JSON: at most ``limit`` rows. CSV: every row, streamed. A client that goes away
    cancels its query."""
    headers = {QUERY_ID_HEADER: query_id}
    if format == OutputFormat.CSV:
        export = await _watching(
            request, query_id, service, partial(service.open_csv, name, body, query_id)
        )
        return CsvResponse(export, headers)
    result = await _watching(request, query_id, service, partial(service.run, name, body, query_id))
    return JSONResponse(result.model_dump(mode="json"), headers=headers)


@router.post("/experiments/{name}/profile", response_model=TableProfile)
async def profile_table(
    name: str,
    body: ProfileRequest,
    request: Request,
    service: QueryService = Depends(get_service),
    query_id: str = Depends(get_query_id),
) -> Response:
    """Rows, NULLs, distinct values, range, and a histogram or the most frequent values of
    each column, computed by the warehouse. 409 when the table has no data yet."""
    result = await _watching(
        request, query_id, service, partial(service.profile, name, body, query_id)
    )
    return JSONResponse(result.model_dump(mode="json"), headers={QUERY_ID_HEADER: query_id})


@router.post("/queries/{query_id}/cancel", response_model=CancelResult)
def cancel_query(query_id: str, service: QueryService = Depends(get_service)) -> CancelResult:
    status = service.cancel(query_id)
    if status is None:
        raise HTTPException(404, f"no query {query_id} is running (it may have finished)")
    return CancelResult(query_id=query_id, status=status)


@router.get("/queries/{query_id}", response_model=RunningQueryInfo)
def get_running_query(
    query_id: str, service: QueryService = Depends(get_service)
) -> RunningQueryInfo:
    running = service.running.get(query_id)
    if running is None:
        raise HTTPException(404, f"no query {query_id} is running (it may have finished)")
    return RunningQueryInfo(
        query_id=query_id,
        experiment=running.experiment,
        cancelled=running.cancelled.is_set(),
        running_s=round(time.monotonic() - running.started, 3),
    )


async def _watching(
    request: Request, query_id: str, service: QueryService, work: Callable[[], T]
) -> T:
    """Run ``work`` in a worker thread; should the client disconnect meanwhile, cancel it."""
    outcome: dict[str, Any] = {}
    async with anyio.create_task_group() as group:
        group.start_soon(_cancel_on_disconnect, request.receive, partial(service.cancel, query_id))
        try:
            outcome["result"] = await anyio.to_thread.run_sync(work)
        except Exception as exc:  # raised out here, not wrapped in an ExceptionGroup
            outcome["error"] = exc
        finally:
            group.cancel_scope.cancel()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


async def _cancel_on_disconnect(receive: Receive, cancel: Callable[[], object]) -> None:
    """Once the client disconnects, ``cancel`` in a thread of its own (it may wait for the
    warehouse to stop the query; nothing here waits for it)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    threading.Thread(target=cancel, name="dwsim-query-cancel", daemon=True).start()


class CsvResponse(StreamingResponse):
    """Streams a ``CsvExport`` batch by batch (each fetched in a worker thread); stops the
    query if the client goes away, and always closes the export."""

    def __init__(self, export: CsvExport, headers: dict[str, str]):
        super().__init__(content=iter(()), headers=headers, media_type="text/csv")
        self.export = export

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(_cancel_on_disconnect, receive, self.export.cancel)
            try:
                await self._stream(send)
            finally:
                group.cancel_scope.cancel()
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(self.export.close)

    async def _stream(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        try:
            while (chunk := await anyio.to_thread.run_sync(self.export.next_chunk)) is not None:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except (DwsimError, OSError):
            # logged by the export's close; the response ends without its last chunk, so
            # the client sees an incomplete body rather than a CSV that looks whole
            return
        await send({"type": "http.response.body", "body": b"", "more_body": False})
