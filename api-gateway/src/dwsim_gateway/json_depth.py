"""A JSON body nested more than ``MAX_JSON_DEPTH`` levels deep is answered 422, saying so.

Without this, a body of tens of thousands of ``[`` got FastAPI's bare 400 "There was an error
parsing the body" (Python's JSON parser gives up with a RecursionError). dw-sim's own bodies
nest a few levels (an experiment JSON: schema, tables, columns, rule, weights), so the limit
is far above any real request.

The check costs nothing for most requests: the body's chunks are kept as they pass on to
FastAPI (which reads the whole body anyway), and only a body with more than
``MAX_JSON_DEPTH`` opening brackets, the least a body that deep needs, is parsed here to
measure its depth. The answer has FastAPI's shape for a body that is not JSON
(``json_invalid``, a 422), raised from the body's last chunk as ``BodyLimit`` raises its 413.
"""

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_JSON_DEPTH = 100
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def too_deep_message(limit: int = MAX_JSON_DEPTH) -> str:
    return (
        f"the JSON body is nested too deeply: arrays and objects more than {limit} levels "
        f"deep; the gateway's limit is {limit}"
    )


def nesting_over(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``body`` is JSON nesting arrays and objects more than ``limit`` levels deep.
    A body that is not JSON is not (FastAPI's own error names what is wrong with it)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    try:
        value = json.loads(body)
    except RecursionError:  # far deeper than the limit: the parser's own stack ran out
        return True
    except ValueError:
        return False
    return _depth_over(value, limit)


def _depth_over(value: object, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JsonDepthLimit:
    """ASGI middleware: a JSON request body nested over ``limit`` levels gets a 422."""

    def __init__(self, app: ASGIApp, limit: int = MAX_JSON_DEPTH):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []

        async def checked() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and nesting_over(
                    b"".join(chunks), self.limit
                ):
                    # an HTTPException: FastAPI passes it through as it is (any other error
                    # raised while it reads the body becomes its bare 400)
                    raise HTTPException(
                        422,
                        detail=[
                            {
                                "type": "json_invalid",
                                "loc": ("body", 0),
                                "msg": too_deep_message(self.limit),
                                "input": {},
                                "ctx": {"error": too_deep_message(self.limit)},
                            }
                        ],
                    )
            return message

        await self.app(scope, checked, send)


def _is_json(scope: Scope) -> bool:
    """FastAPI parses a body as JSON when its type is application/json or */*+json, or when
    it has no content type at all."""
    for name, value in scope["headers"]:
        if name == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return True
