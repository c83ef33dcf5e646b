"""``POST /experiments/{name}/check-sql``: a compatibility report of SQL text on the
experiment's warehouse (the gateway proxies it)."""

import anyio
from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import JSONResponse, Response

from dwsim_query.api.deps import QUERY_ID_HEADER, get_query_id, get_service
from dwsim_query.checking import CheckRequestError, check_sql
from dwsim_query.service import QueryService
from dwsim_shared.contracts.compat import CheckReport, CheckSqlRequest

router = APIRouter()


@router.post("/experiments/{name}/check-sql", response_model=CheckReport)
async def check(
    name: str,
    body: CheckSqlRequest,
    service: QueryService = Depends(get_service),
    query_id: str = Depends(get_query_id),
) -> Response:
    """Each statement run in a transaction that is rolled back: faithful, rewritten,
    unsupported or error. 200 whatever the statements' fate; 400 when there is nothing to
    check or the experiment is not on Redshift or Snowflake."""
    try:
        report = await anyio.to_thread.run_sync(check_sql, service, name, body, query_id)
    except CheckRequestError as exc:
        raise HTTPException(400, str(exc)) from None
    return JSONResponse(
        report.model_dump(mode="json", by_alias=True), headers={QUERY_ID_HEADER: query_id}
    )
