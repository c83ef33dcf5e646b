"""Experiments: create (from DDL or experiment JSON), list, read, patch, drop."""

from urllib.parse import quote

from fastapi import APIRouter, Response

from dwsim_gateway.api.deps import Service
from dwsim_gateway.api.responses import errors
from dwsim_shared.contracts.api import ExperimentCreateRequest, ExperimentPatch
from dwsim_shared.contracts.jobs import Job
from dwsim_shared.contracts.metadata import ExperimentRecord, ExperimentSummary

router = APIRouter(prefix="/api/experiments", tags=["experiments"])


@router.post(
    "",
    status_code=201,
    response_model=ExperimentRecord,
    responses=errors(400, 409, 413, 422, 503),
)
def create_experiment(
    body: ExperimentCreateRequest, service: Service, response: Response
) -> ExperimentRecord:
    """Import DDL (or take an experiment JSON), store it and queue the creation of its tables.

    The materialize job's id is in the ``X-Job-Id`` header.
    """
    record, job = service.create_experiment(body)
    response.headers["Location"] = f"/api/experiments/{quote(record.name, safe='')}"
    response.headers["X-Job-Id"] = str(job.id)
    return record


@router.get("", response_model=list[ExperimentSummary], responses=errors(503))
def list_experiments(service: Service) -> list[ExperimentSummary]:
    return service.list_experiments()


@router.get("/{name}", response_model=ExperimentRecord, responses=errors(404, 503))
def get_experiment(name: str, service: Service) -> ExperimentRecord:
    return service.get_experiment(name)


@router.patch("/{name}", response_model=ExperimentRecord, responses=errors(400, 404, 413, 422, 503))
def patch_experiment(name: str, body: ExperimentPatch, service: Service) -> ExperimentRecord:
    """Change row counts and generation rules, per table and column."""
    return service.patch_experiment(name, body)


@router.delete("/{name}", status_code=202, response_model=Job, responses=errors(404, 409, 503))
def delete_experiment(name: str, service: Service) -> Job:
    """Queue a drop job: the warehouse objects, the staged data, then the experiment itself."""
    return service.delete_experiment(name)
