"""Saved queries of an experiment: list, read, create or replace, delete. They go when the
experiment is dropped."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from dwsim_gateway.api.deps import Service
from dwsim_gateway.api.responses import errors
from dwsim_shared.contracts.api import SAVED_QUERY_NAME_PATTERN, SavedQuery, SavedQueryBody

router = APIRouter(prefix="/api/experiments/{name}/queries", tags=["saved queries"])

NewName = Annotated[
    str,
    Path(
        pattern=SAVED_QUERY_NAME_PATTERN,
        description="1 to 100 letters, digits, spaces, '_', '.' or '-', starting with a "
        "letter or digit",
    ),
]


@router.get("", response_model=list[SavedQuery], responses=errors(404, 503))
def list_saved_queries(name: str, service: Service) -> list[SavedQuery]:
    """The experiment's saved queries, by name."""
    return service.list_saved_queries(name)


@router.get("/{query}", response_model=SavedQuery, responses=errors(404, 503))
def get_saved_query(name: str, query: str, service: Service) -> SavedQuery:
    return service.get_saved_query(name, query)


@router.put(
    "/{query}",
    response_model=SavedQuery,
    responses={201: {"model": SavedQuery, "description": "created"}, **errors(404, 422, 503)},
)
def put_saved_query(
    name: str, query: NewName, body: SavedQueryBody, service: Service, response: Response
) -> SavedQuery:
    """Save ``sql`` (and an optional ``description``) under ``query``: 201 when created,
    200 when it replaced a query of that name."""
    saved, created = service.put_saved_query(name, query, body)
    response.status_code = 201 if created else 200
    return saved


@router.delete("/{query}", status_code=204, responses=errors(404, 503))
def delete_saved_query(name: str, query: str, service: Service) -> Response:
    service.delete_saved_query(name, query)
    return Response(status_code=204)
