"""Jobs: poll one, cancel one."""

from uuid import UUID

from fastapi import APIRouter

from dwsim_gateway.api.deps import Service
from dwsim_gateway.api.responses import errors
from dwsim_shared.contracts.jobs import Job

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=Job, responses=errors(404, 422, 503))
def get_job(job_id: UUID, service: Service) -> Job:
    return service.get_job(job_id)


@router.post("/{job_id}/cancel", response_model=Job, responses=errors(404, 409, 422, 503))
def cancel_job(job_id: UUID, service: Service) -> Job:
    """Cancel a queued or running job; its tasks stop at their next progress report."""
    return service.cancel_job(job_id)
