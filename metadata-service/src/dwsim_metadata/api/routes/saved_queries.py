"""Saved queries of an experiment: list, read, create or replace (201 or 200), delete."""

from fastapi import APIRouter, Response

from dwsim_metadata.api.deps import Service
from dwsim_metadata.api.responses import INVALID
from dwsim_shared.contracts.api import SavedQuery, SavedQueryBody

router = APIRouter(prefix="/experiments/{name}/queries", tags=["saved queries"])


@router.get("", response_model=list[SavedQuery])
def list_saved_queries(name: str, service: Service) -> list[SavedQuery]:
    return service.list_saved_queries(name)


@router.get("/{query}", response_model=SavedQuery)
def get_saved_query(name: str, query: str, service: Service) -> SavedQuery:
    return service.get_saved_query(name, query)


@router.put(
    "/{query}", response_model=SavedQuery, responses={201: {"model": SavedQuery}, **INVALID}
)
def put_saved_query(
    name: str, query: str, body: SavedQueryBody, service: Service, response: Response
) -> SavedQuery:
    saved, created = service.put_saved_query(name, query, body)
    response.status_code = 201 if created else 200
    return saved


@router.delete("/{query}", status_code=204)
def delete_saved_query(name: str, query: str, service: Service) -> Response:
    service.delete_saved_query(name, query)
    return Response(status_code=204)
