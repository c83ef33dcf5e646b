"""A compatibility report of SQL on an experiment's warehouse, made by the query service."""

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from dwsim_gateway import query_proxy
from dwsim_gateway.api.deps import AppSettings, Service
from dwsim_gateway.api.responses import errors
from dwsim_shared.contracts.compat import CheckReport, CheckSqlRequest

router = APIRouter(tags=["query"])


@router.post(
    "/api/experiments/{name}/check-sql",
    response_model=CheckReport,
    responses=errors(400, 404, 422, 503),
)
async def check_sql(
    name: str, body: CheckSqlRequest, request: Request, service: Service, settings: AppSettings
) -> Response:
    """Run each statement of ``sql`` (a file split on ``;``, or with ``per_line`` a query log
    of one statement per line) on the experiment's warehouse, in a transaction that is rolled
    back, with the experiment's schema as the default: each is ``faithful`` (runs as written),
    ``rewritten`` (runs through the emulator's rewrites, named), ``unsupported`` (an emulator
    limit, with the reason) or ``error`` (the warehouse's message, line and column). 200
    whatever their fate; 400 when there is nothing to check."""
    await run_in_threadpool(service.get_experiment, name)  # 404 before touching a warehouse
    return await query_proxy.check_sql(settings, name, body, request.receive)
