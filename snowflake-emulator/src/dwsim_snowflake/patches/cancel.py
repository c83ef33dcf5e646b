"""Cancelling a running statement: the connector's abort request interrupts the session's DuckDB.

fakesnow's server answers ``/queries/v1/abort-request`` with success and does nothing, so a
statement past the client's timeout ran on to its end, holding a worker thread and the CPU.
The interrupted statement fails with Snowflake's 604 "SQL execution canceled"; so does a
statement waiting for a table lock (locks.py), and a COPY INTO waiting for its next file
(aborts.py: DuckDB drops an interrupt that lands while it runs nothing).
"""

import fakesnow.server as server
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dwsim_snowflake.patches import locks

ABORT_PATH = "/queries/v1/abort-request"


async def abort_request(request: Request) -> JSONResponse:
    auth = request.headers.get("Authorization") or ""
    session = server.sessions.get(auth[17:-1])  # 'Snowflake Token="<token>"', as fakesnow reads it
    if session is not None:
        locks.stop(session)
    return JSONResponse({"success": True})


def install() -> None:
    routes = server.app.router.routes
    for i, route in enumerate(routes):
        if isinstance(route, Route) and route.path == ABORT_PATH:
            routes[i] = Route(ABORT_PATH, abort_request, methods=["POST"])
