"""The warehouse and role a client connected with, for CURRENT_WAREHOUSE() / CURRENT_ROLE().

fakesnow's login reads the database and schema from the connector's login request and drops
its ``warehouse`` and ``roleName``; here the login route is wrapped to keep them on the new
session (see system_functions.py).
"""

import json

import fakesnow.server as server
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dwsim_snowflake.system_functions import session_info

LOGIN_PATH = "/session/v1/login-request"
_original_login = server.login_request


async def login_request(request: Request) -> Response:
    response = await _original_login(request)
    try:
        token = json.loads(bytes(response.body))["data"]["token"]
    except (KeyError, TypeError, ValueError):
        return response
    if (conn := server.sessions.get(token)) is not None:
        info = session_info(conn)
        if warehouse := request.query_params.get("warehouse"):
            info["warehouse"] = warehouse.upper()
        if role := request.query_params.get("roleName"):
            info["role"] = role.upper()
    return response


def install() -> None:
    routes = server.app.router.routes
    for i, route in enumerate(routes):
        if isinstance(route, Route) and route.path == LOGIN_PATH:
            routes[i] = Route(LOGIN_PATH, login_request, methods=["POST"])
