"""Typed dependencies: routes receive the service the app was built with.

``async def``: FastAPI would run a plain ``def`` in its thread pool, a thread hop per request
for what only reads the app's state (see dwsim_gateway/api/deps.py)."""

from typing import Annotated

from fastapi import Depends, Request

from dwsim_metadata.service import MetadataService


async def get_service(request: Request) -> MetadataService:
    return request.app.state.service


Service = Annotated[MetadataService, Depends(get_service)]
