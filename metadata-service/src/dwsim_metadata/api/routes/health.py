"""Liveness plus the database the service uses."""

from fastapi import APIRouter

from dwsim_metadata.api.deps import Service

router = APIRouter(tags=["health"])


@router.get("/health")
def health(service: Service) -> dict[str, str]:
    return service.health()
