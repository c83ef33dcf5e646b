"""Sessions end after a while without requests, as Snowflake's do (the default idle timeout of
its session policies is 240 minutes).

fakesnow keeps a session, and its DuckDB connection, until the client logs out: the session of
a client that died or hung up without logging out stayed for good, so a server outliving many
such clients grew without bound. Here each request naming a session marks it used, and a
session unused for ``DWSIM_SNOWFLAKE_SESSION_IDLE_SECONDS`` is ended (its connection closed,
an open transaction rolled back); its client is then told to log in again (fakesnow's 390104).
A session with a request in flight is never ended; the connector's heartbeat
(CLIENT_SESSION_KEEP_ALIVE) counts as use. The launcher calls ``bound()``.

A request naming a session the server does not know (ended here, logged out, or lost with a
restart of the emulator) is answered as Snowflake answers a session error: HTTP 200 with the
error's code (390104, "User must login again"), not fakesnow's HTTP 401. With a 401 the connector
retries, or, for a statement sent without retries (dw-sim's adapters), fails with a bare
``KeyError: 'success'`` that says nothing of the session.
"""

import contextlib
import logging
import time
from collections import Counter
from typing import Any

import fakesnow.server as server
from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SETTING = "DWSIM_SNOWFLAKE_SESSION_IDLE_SECONDS"
_TOKEN_PREFIX = len('Snowflake Token="')  # the Authorization header, as fakesnow reads it

log = logging.getLogger("dwsim.snowflake")


class IdleSessions:
    """ASGI middleware: marks sessions used, ends those idle past the limit."""

    def __init__(self, app: ASGIApp, idle_seconds: float) -> None:
        self.app = app
        self.idle_seconds = idle_seconds
        self.last_used: dict[str, float] = {}
        self.in_flight: Counter[str] = Counter()
        self._next_sweep = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        now = time.monotonic()
        if now >= self._next_sweep:
            self.sweep(now)
            self._next_sweep = now + min(self.idle_seconds / 4, 60)
        token = _token(scope)
        if token is None:
            await self.app(scope, receive, send)
            return
        self.in_flight[token] += 1
        try:
            await self.app(scope, receive, _session_errors_as_200(send))
        finally:
            self.in_flight[token] -= 1
            if not self.in_flight[token]:
                del self.in_flight[token]
            if token in server.sessions:
                self.last_used[token] = time.monotonic()

    def sweep(self, now: float) -> None:
        """End the sessions idle past the limit; forget the tokens of ended sessions."""
        sessions: dict[str, Any] = server.sessions
        ended = 0
        for token in list(sessions):
            last = self.last_used.setdefault(token, now)  # first seen: a login just made it
            if now - last > self.idle_seconds and token not in self.in_flight:
                conn = sessions.pop(token)
                del self.last_used[token]
                with contextlib.suppress(Exception):  # ended either way
                    conn.close()
                ended += 1
        for token in [t for t in self.last_used if t not in sessions]:
            del self.last_used[token]  # logged out
        if ended:
            log.info("snowflake.sessions_ended idle=%d open=%d", ended, len(sessions))


def _session_errors_as_200(send: Send) -> Send:
    """fakesnow answers an unknown session token with 401 (its only 401); Snowflake with 200."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 401:
            message = {**message, "status": 200}
        await send(message)

    return sending


def _token(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return value.decode("latin-1")[_TOKEN_PREFIX:-1]
    return None


def bound(app: Starlette, idle_seconds: float) -> None:
    """End sessions of ``app`` (fakesnow's) idle for longer than ``idle_seconds``."""
    app.add_middleware(IdleSessions, idle_seconds=idle_seconds)
