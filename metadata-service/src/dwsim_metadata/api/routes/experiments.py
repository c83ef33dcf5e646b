"""Experiments, with the runs and jobs listed under them."""

from fastapi import APIRouter, Response

from dwsim_metadata.api.deps import Service
from dwsim_metadata.api.responses import INVALID
from dwsim_shared.contracts.jobs import GenerationRun, JobDetail
from dwsim_shared.contracts.metadata import ExperimentCreate, ExperimentRecord, ExperimentSummary

router = APIRouter(prefix="/experiments", tags=["experiments"])


@router.post("", status_code=201, response_model=ExperimentRecord)
def create_experiment(body: ExperimentCreate, service: Service) -> ExperimentRecord:
    return service.create_experiment(body.experiment)


@router.get("", response_model=list[ExperimentSummary])
def list_experiments(service: Service) -> list[ExperimentSummary]:
    return service.list_experiments()


@router.get("/{name}", response_model=ExperimentRecord)
def get_experiment(name: str, service: Service) -> ExperimentRecord:
    return service.get_experiment(name)


@router.put("/{name}", response_model=ExperimentRecord, responses=INVALID)
def replace_experiment(name: str, body: ExperimentCreate, service: Service) -> ExperimentRecord:
    return service.replace_experiment(name, body.experiment)


@router.delete("/{name}", status_code=204)
def delete_experiment(name: str, service: Service) -> Response:
    service.delete_experiment(name)
    return Response(status_code=204)


@router.get("/{name}/runs", response_model=list[GenerationRun])
def list_runs(name: str, service: Service) -> list[GenerationRun]:
    return service.list_runs(name)


@router.get("/{name}/jobs", response_model=list[JobDetail])
def list_jobs(name: str, service: Service, active: bool = False) -> list[JobDetail]:
    return service.list_jobs(name, active)
