"""Jobs: poll one, cancel one."""

from uuid import UUID

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from dwsim_gateway.api.deps import JobViews, Service
from dwsim_gateway.api.responses import errors
from dwsim_shared.contracts.jobs import Job

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=Job, responses=errors(404, 422, 503))
async def get_job(job_id: UUID, service: Service, views: JobViews) -> Response:
    """The job as of its last change: read from the view the metadata service keeps in Redis
    (one hop, for clients that poll), else from the metadata service itself."""
    view = await views.get(job_id)
    if view is not None:
        return Response(view, media_type="application/json")
    job = await run_in_threadpool(service.get_job, job_id)
    return Response(job.model_dump_json(), media_type="application/json")


@router.post("/{job_id}/cancel", response_model=Job, responses=errors(404, 409, 422, 503))
def cancel_job(job_id: UUID, service: Service) -> Job:
    """Cancel a queued or running job; its tasks stop at their next progress report."""
    return service.cancel_job(job_id)
