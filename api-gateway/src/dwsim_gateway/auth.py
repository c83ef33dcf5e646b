"""The optional API token (``DWSIM_API_TOKEN``): with it set, a request must carry
``Authorization: Bearer <token>`` or is answered 401 ``{"detail"}`` with a
``WWW-Authenticate: Bearer`` header.

Guarded is everything but what holds no data: ``/health`` (the launcher and the compose
healthchecks wait on it) and the web UI's shell (``/`` and ``/assets/``), whose calls to the API
carry the token. Anything else, ``/api/...``, ``/docs``, ``/openapi.json`` and any path added
later, is guarded by default. The token is compared in constant time and never logged or
echoed.
"""

import secrets

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

OPEN_PATHS = frozenset({"/health", "/"})
OPEN_PREFIXES = ("/assets/",)
REALM = 'Bearer realm="dw-sim"'

MISSING = (
    "this dw-sim gateway needs an API token: send the header 'Authorization: Bearer <token>' "
    "with the token it was started with (DWSIM_API_TOKEN)"
)
NOT_BEARER = "the Authorization header must be 'Bearer <token>' (the gateway's DWSIM_API_TOKEN)"
WRONG = "the API token is wrong: it is not the one this gateway was started with (DWSIM_API_TOKEN)"


def is_open(path: str) -> bool:
    """Paths served without a token: the health check and the web UI's static shell."""
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


class BearerAuth:
    """ASGI middleware: lets a request through only with the right bearer token."""

    def __init__(self, app: ASGIApp, token: str):
        self.app = app
        self._token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_open(scope["path"]):
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(_authorization(scope))
        if refusal is None:
            await self.app(scope, receive, send)
            return
        detail, challenge = refusal
        response = JSONResponse(
            {"detail": detail}, status_code=401, headers={"WWW-Authenticate": challenge}
        )
        await response(scope, receive, send)

    def _refusal(self, header: bytes | None) -> tuple[str, str] | None:
        """None when the token is right, else the message and the challenge to answer."""
        if not header:
            return MISSING, REALM
        scheme, _, credentials = header.strip().partition(b" ")
        if scheme.lower() != b"bearer":
            return NOT_BEARER, f'{REALM}, error="invalid_request"'
        if not secrets.compare_digest(credentials.strip(), self._token):
            return WRONG, f'{REALM}, error="invalid_token"'
        return None


def _authorization(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return value
    return None
