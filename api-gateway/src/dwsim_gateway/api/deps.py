"""Typed dependencies: routes receive the service and settings the app was built with.

They are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in its thread pool,
and each such hop is a thread wake-up per request (two for a job poll), which on a machine
whose cores are busy with generation added tens of milliseconds to the tail of
``GET /api/jobs/{id}``. Reading the app's state needs no thread."""

from typing import Annotated

from fastapi import Depends, Request

from dwsim_gateway.config import Settings
from dwsim_gateway.service import GatewayService
from dwsim_shared.job_cache import JobCacheReader


async def get_service(request: Request) -> GatewayService:
    return request.app.state.service


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_job_views(request: Request) -> JobCacheReader:
    return request.app.state.job_views


Service = Annotated[GatewayService, Depends(get_service)]
AppSettings = Annotated[Settings, Depends(get_settings)]
JobViews = Annotated[JobCacheReader, Depends(get_job_views)]
