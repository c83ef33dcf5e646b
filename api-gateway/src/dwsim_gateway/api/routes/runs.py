"""Work on an experiment's data: generate a run, load a run, reset, list the runs and jobs."""

from fastapi import APIRouter

from dwsim_gateway.api.deps import Service
from dwsim_gateway.api.responses import errors
from dwsim_shared.contracts.api import (
    Estimate,
    EstimateRequest,
    GenerateAccepted,
    GenerateRequest,
    LoadRequest,
)
from dwsim_shared.contracts.jobs import GenerationRun, Job

router = APIRouter(prefix="/api/experiments/{name}", tags=["runs"])


@router.post(
    "/generate",
    status_code=202,
    response_model=GenerateAccepted,
    responses=errors(400, 404, 409, 422, 503),
)
def generate(name: str, service: Service, body: GenerateRequest | None = None) -> GenerateAccepted:
    """Queue a generation run (and, with ``load``, its load); poll the job for progress."""
    return service.generate(name, body or GenerateRequest())


@router.post("/estimate", response_model=Estimate, responses=errors(400, 404, 422, 503))
def estimate(name: str, service: Service, body: EstimateRequest | None = None) -> Estimate:
    """What a generate request would take on ``workers`` generator processes: rows, CPU
    seconds and staged bytes per table, wall seconds in all (the cost model); nothing runs."""
    return service.estimate(name, body or EstimateRequest())


@router.post("/load", status_code=202, response_model=Job, responses=errors(404, 409, 422, 503))
def load(name: str, service: Service, body: LoadRequest | None = None) -> Job:
    """Queue the load of a run (default: the latest completed one) into the warehouse."""
    return service.load(name, body or LoadRequest())


@router.post("/reset", status_code=202, response_model=Job, responses=errors(404, 409, 503))
def reset(name: str, service: Service) -> Job:
    """Queue a reset: every table truncated, the schema kept."""
    return service.reset(name)


@router.get("/runs", response_model=list[GenerationRun], responses=errors(404, 503))
def list_runs(name: str, service: Service) -> list[GenerationRun]:
    """Generation runs, newest first."""
    return service.list_runs(name)


@router.get("/jobs", response_model=list[Job], responses=errors(404, 422, 503))
def list_jobs(name: str, service: Service, active: bool | None = None) -> list[Job]:
    """The experiment's jobs, newest first; ``active=true``: only the queued and running ones
    (how a page reloaded mid-run finds its job), ``active=false``: only the finished ones."""
    return service.list_jobs(name, active)
