"""The error body every route documents: ``{"detail": ...}`` with the statuses it can answer."""

from typing import Any

from dwsim_shared.contracts.api import ErrorBody

WHY = {
    400: "bad DDL or SQL, unknown table or column, or a request over a limit",
    404: "unknown experiment, job, run or saved query",
    409: "conflict: the name exists, another job is active, the job has finished, or the "
    "table has no data yet (generate and load first)",
    413: "the request body is over the gateway's limit (DWSIM_MAX_BODY_MB)",
    422: "invalid payload; detail lists each field's path",
    503: "a dependency (metadata service, Redis, query service) does not answer",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody, "description": WHY[code]} for code in codes}
