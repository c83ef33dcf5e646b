"""A session as the client named it: its database and schema, warehouse and role.

fakesnow's login reads the database and schema from the connector's login request, upper-cases
them even when quoted, leaves no current schema when only a database is named, and drops the
``warehouse`` and ``roleName``. Here the login route is wrapped: before it, a quoted name is
created under its exact name or refused when it clashes by case with another (an emulator
limit); after it, the session takes the names as Snowflake reads them, PUBLIC when no schema
was named (session_names.py), and keeps the warehouse and role (system_functions.py) and the
login name, upper case as Snowflake keeps an unquoted user name (SHOW LOCKS and SHOW
TRANSACTIONS show a user their own sessions' transactions, lock_listing.py). The connector
learns the session's names from the login answer.
"""

import gzip
import json

import fakesnow.server as server
from snowflake.connector.errors import ProgrammingError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dwsim_snowflake import session_names
from dwsim_snowflake.system_functions import session_info

LOGIN_PATH = "/session/v1/login-request"
_original_login = server.login_request


def _refused(error: ProgrammingError) -> JSONResponse:
    code = f"{error.errno:06d}"
    return JSONResponse({"data": None, "code": code, "message": error.msg, "success": False})


async def login_request(request: Request) -> Response:
    database = session_names.identifier(request.query_params.get("databaseName"))
    schema = session_names.identifier(request.query_params.get("schemaName"))
    try:
        session_names.prepare(server.shared_fs, database, schema)
    except ProgrammingError as exc:
        return _refused(exc)
    response = await _original_login(request)
    try:
        body = json.loads(bytes(response.body))
        token = body["data"]["token"]
    except (KeyError, TypeError, ValueError):
        return response
    if (conn := server.sessions.get(token)) is None:
        return response
    info = session_info(conn)
    if warehouse := request.query_params.get("warehouse"):
        info["warehouse"] = warehouse.upper()
    if role := request.query_params.get("roleName"):
        info["role"] = role.upper()
    if user := await _login_name(request):
        info["user"] = user.upper()
    session_names.settle(conn, database, schema)
    body["data"]["sessionInfo"] = {
        "databaseName": conn.database if conn.database_set else None,
        "schemaName": conn.schema if conn.schema_set else None,
    }
    return JSONResponse(body, status_code=response.status_code)


async def _login_name(request: Request) -> str | None:
    """The request's LOGIN_NAME (the body was read and checked before: Starlette keeps it)."""
    body = await request.body()
    try:
        if request.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        name = json.loads(body)["data"].get("LOGIN_NAME")
    except (KeyError, TypeError, ValueError, OSError, AttributeError):
        return None
    return name if isinstance(name, str) else None


def install() -> None:
    routes = server.app.router.routes
    for i, route in enumerate(routes):
        if isinstance(route, Route) and route.path == LOGIN_PATH:
            routes[i] = Route(LOGIN_PATH, login_request, methods=["POST"])
