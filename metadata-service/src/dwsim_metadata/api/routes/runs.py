"""Generation runs and the Parquet parts staged for them."""

from fastapi import APIRouter

from dwsim_metadata.api.deps import Service
from dwsim_shared.contracts.jobs import GenerationRun, StagedPart
from dwsim_shared.contracts.metadata import RunCompletion, RunCreate, RunUpdate

router = APIRouter(prefix="/runs", tags=["runs"])


@router.post("", status_code=201, response_model=GenerationRun)
def create_run(body: RunCreate, service: Service) -> GenerationRun:
    return service.create_run(body)


@router.get("/{run_id}", response_model=GenerationRun)
def get_run(run_id: str, service: Service) -> GenerationRun:
    return service.get_run(run_id)


@router.patch("/{run_id}", response_model=GenerationRun)
def update_run(run_id: str, body: RunUpdate, service: Service) -> GenerationRun:
    return service.update_run(run_id, body)


@router.post("/{run_id}/complete", response_model=GenerationRun)
def complete_run(run_id: str, body: RunCompletion, service: Service) -> GenerationRun:
    """Complete the run and move its job on (to ``job_stage``, or succeeded) in one step;
    409 if the job has ended (cancelled): the run is then not completed."""
    return service.complete_run(run_id, body)


@router.post("/{run_id}/parts", response_model=GenerationRun)
def report_parts(run_id: str, parts: list[StagedPart], service: Service) -> GenerationRun:
    return service.report_parts(run_id, parts)


@router.get("/{run_id}/parts", response_model=list[StagedPart])
def list_parts(run_id: str, service: Service) -> list[StagedPart]:
    return service.list_parts(run_id)
