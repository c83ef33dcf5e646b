"""Jobs: create, read, move through states, report progress."""

from uuid import UUID

from fastapi import APIRouter

from dwsim_metadata.api.deps import Service
from dwsim_shared.contracts.jobs import JobDetail
from dwsim_shared.contracts.metadata import JobCreate, JobTransition, StageReport, TablesReport

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.post("", status_code=201, response_model=JobDetail)
def create_job(body: JobCreate, service: Service) -> JobDetail:
    return service.create_job(body)


@router.get("/{job_id}", response_model=JobDetail)
def get_job(job_id: UUID, service: Service) -> JobDetail:
    return service.get_job(job_id)


@router.post("/{job_id}/transition", response_model=JobDetail)
def transition(job_id: UUID, body: JobTransition, service: Service) -> JobDetail:
    return service.transition(job_id, body)


@router.post("/{job_id}/stage", response_model=JobDetail)
def report_stage(job_id: UUID, body: StageReport, service: Service) -> JobDetail:
    return service.report_stage(job_id, body)


@router.post("/{job_id}/tables", response_model=JobDetail)
def report_tables(job_id: UUID, body: TablesReport, service: Service) -> JobDetail:
    return service.report_tables(job_id, body)


@router.post("/{job_id}/heartbeat", status_code=204)
def heartbeat(job_id: UUID, service: Service) -> None:
    """A worker holding the job shows life; 409 once the job has finished (it should stop)."""
    service.heartbeat(job_id)


@router.post("/{job_id}/commit", response_model=JobDetail)
def commit(job_id: UUID, service: Service) -> JobDetail:
    """The worker is about to commit the job's result: from now on it cannot be cancelled;
    409 if the job has already ended (the worker rolls back)."""
    return service.commit(job_id)
