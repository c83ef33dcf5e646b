"""Typed dependencies: routes receive the service and settings the app was built with."""

from typing import Annotated

from fastapi import Depends, Request

from dwsim_gateway.config import Settings
from dwsim_gateway.service import GatewayService
from dwsim_shared.job_cache import JobCacheReader


def get_service(request: Request) -> GatewayService:
    return request.app.state.service


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_job_views(request: Request) -> JobCacheReader:
    return request.app.state.job_views


Service = Annotated[GatewayService, Depends(get_service)]
AppSettings = Annotated[Settings, Depends(get_settings)]
JobViews = Annotated[JobCacheReader, Depends(get_job_views)]
