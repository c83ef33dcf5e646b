"""Malformed requests answered as Snowflake does: HTTP 400 Bad Request, with a message.

fakesnow's login and query routes read their JSON bodies unchecked: a body that is not JSON (or
not the gzip its Content-Encoding claims), lacks ``sqlText`` or ``data``, or carries bindings
that cannot be read, raised out of the route, and Starlette, in fakesnow's debug mode, answered
HTTP 500 with the server's traceback. Here both routes check the body first and answer such a
request 400 with Snowflake's bad-request code (390400) and what is wrong; a good body goes on
to the route unchanged (Starlette keeps the body read). Debug mode is turned off, so an error
no check foresaw is a bare 500, its traceback only in the emulator's log.
"""

import binascii
import gzip
import json
import zlib
from collections.abc import Awaitable, Callable

import fakesnow.server as server
from fakesnow.converter import from_binding
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dwsim_snowflake.patches.session import LOGIN_PATH

QUERY_PATH = "/queries/v1/query-request"
BAD_REQUEST_CODE = "390400"
_UNREADABLE = (ValueError, TypeError, AttributeError, OverflowError, binascii.Error)

Endpoint = Callable[[Request], Awaitable[Response]]


class BadRequest(Exception):
    """``str()`` says what is wrong with the request."""


def bad_request(message: str) -> JSONResponse:
    body = {"data": None, "code": BAD_REQUEST_CODE, "message": message, "success": False}
    return JSONResponse(body, status_code=400)


async def json_body(request: Request) -> object:
    body = await request.body()
    if request.headers.get("Content-Encoding") == "gzip":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error) as exc:
            raise BadRequest(f"the request body is not gzip data: {exc}") from None
    try:
        return json.loads(body)
    except ValueError as exc:  # UnicodeDecodeError too
        raise BadRequest(f"the request body is not JSON: {exc}") from None


def check_login(body: object) -> bool:
    """Raise BadRequest if the body cannot be read; True if it was completed here."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise BadRequest("the login request has no data object")
    if "SESSION_PARAMETERS" not in data:  # the connector leaves it out when it has none
        data["SESSION_PARAMETERS"] = {}
        return True
    if not isinstance(data["SESSION_PARAMETERS"], dict):
        raise BadRequest("SESSION_PARAMETERS of the login request must be an object")
    return False


def check_query(body: object) -> bool:
    """Raise BadRequest if the body cannot be run as fakesnow reads it; never completes it."""
    if not isinstance(body, dict):
        raise BadRequest("the query request body must be a JSON object")
    if not isinstance(body.get("sqlText"), str):
        raise BadRequest("the query request has no sqlText (the SQL text to run)")
    bindings = body.get("bindings")
    if not bindings:
        return False
    if not isinstance(bindings, dict):
        raise BadRequest("bindings must be an object, by position (1, 2, ...) or by name")
    for name, binding in bindings.items():
        if not isinstance(binding, dict) or "type" not in binding or "value" not in binding:
            raise BadRequest(f"binding {name} must have a type and a value")
        values = binding["value"] if isinstance(binding["value"], list) else [binding["value"]]
        for value in values:
            if value is None:
                continue  # a NULL
            try:
                from_binding({**binding, "value": value})
            except _UNREADABLE as exc:
                raise BadRequest(
                    f"binding {name}: {value!r} is not a {binding['type']} value ({exc})"
                ) from None
    if all(key.isdigit() for key in bindings) and set(bindings) != {
        str(n) for n in range(1, len(bindings) + 1)
    }:
        raise BadRequest("positional bindings must be numbered 1 to N")
    return False


def checked(endpoint: Endpoint, check: Callable[[object], bool]) -> Endpoint:
    async def route(request: Request) -> Response:
        try:
            body = await json_body(request)
            completed = check(body)
        except BadRequest as exc:
            return bad_request(str(exc))
        if completed:  # the route reads the body again (Starlette keeps what it read)
            text = json.dumps(body).encode()
            gzipped = request.headers.get("Content-Encoding") == "gzip"
            request._body = gzip.compress(text) if gzipped else text
        return await endpoint(request)

    return route


def install() -> None:
    """Wrap the login route (already the session patch's) and the query route."""
    checks = {LOGIN_PATH: check_login, QUERY_PATH: check_query}
    routes = server.app.router.routes
    for i, route in enumerate(routes):
        if isinstance(route, Route) and route.path in checks:
            routes[i] = Route(
                route.path, checked(route.endpoint, checks[route.path]), methods=["POST"]
            )
    server.app.debug = False
