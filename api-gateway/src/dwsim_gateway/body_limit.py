"""The request body limit (``DWSIM_MAX_BODY_MB``): a larger body is answered 413 ``{"detail"}``.

A ``Content-Length`` over the limit is refused before a byte of the body is read; a body sent
without one (chunked) is counted as it arrives and refused once it passes the limit, so the
gateway never holds more than the limit in memory for one request.
"""

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MEGABYTE = 1024 * 1024
SETTING = "DWSIM_MAX_BODY_MB"


def too_large_message(limit_mb: float) -> str:
    return (
        f"the request body is over the gateway's limit of {limit_mb:g} MB "
        f"({SETTING}); send a smaller DDL file or experiment JSON, or raise the limit"
    )


class BodyLimit:
    """ASGI middleware: bodies over ``limit_mb`` get a 413 naming the limit and its setting."""

    def __init__(self, app: ASGIApp, limit_mb: float):
        self.app = app
        self.limit_mb = limit_mb
        self.limit = int(limit_mb * MEGABYTE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            response = JSONResponse({"detail": too_large_message(self.limit_mb)}, status_code=413)
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:  # FastAPI passes an HTTPException through as it is
                    raise HTTPException(413, detail=too_large_message(self.limit_mb))
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length itself
    return None
