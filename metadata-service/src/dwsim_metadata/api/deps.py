"""Typed dependencies: routes receive the service the app was built with."""

from typing import Annotated

from fastapi import Depends, Request

from dwsim_metadata.service import MetadataService


def get_service(request: Request) -> MetadataService:
    return request.app.state.service


Service = Annotated[MetadataService, Depends(get_service)]
