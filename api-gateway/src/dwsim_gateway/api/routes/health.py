"""Health of every dependency; always HTTP 200 (the body says), so a launcher can wait on it."""

from fastapi import APIRouter

from dwsim_gateway import health as checks
from dwsim_gateway.api.deps import AppSettings
from dwsim_shared.contracts.api import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
async def health(settings: AppSettings) -> Health:
    return await checks.check(settings)
