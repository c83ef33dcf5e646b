"""The metadata service fuzzed from its own OpenAPI (schemathesis), over HTTP, on SQLite and on
PostgreSQL: no input, however bad, gets a 5xx, and every answer has the documented shape.

Half the cases aim at a real experiment (``known``, and a valid saved query name) rather than
random names, so the fuzzer gets past the 404 into the checks behind it and the database. The service starts no work itself: jobs it records
only run when a worker is given a task, and none is here.
"""

import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import strategies as st

from dwsim_metadata.config import Settings
from dwsim_metadata.main import create_app
from dwsim_shared.metadata_client import MetadataClient
from tests.fixtures.fuzz import CHECKS, fuzz_config
from tests.metadata.conftest import make_experiment


def _openapi() -> dict[str, Any]:
    """The OpenAPI the service serves at /openapi.json (an app over a throwaway database)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(data_dir=tmp, log_level="WARNING"))
        try:
            return app.openapi()
        finally:
            app.state.service.db.close()


schema = schemathesis.openapi.from_dict(_openapi(), config=fuzz_config())


@pytest.fixture(scope="module")
def known(backend: tuple[str, str]) -> Iterator[str]:
    with MetadataClient(backend[1]) as client:
        experiment = make_experiment()
        client.create_experiment(experiment)
        yield experiment.name


@schema.parametrize()
@schema.given(aim_at_known=st.booleans())
def test_no_server_error(
    case: schemathesis.Case, aim_at_known: bool, backend: tuple[str, str], known: str
):
    if aim_at_known and "name" in (case.path_parameters or {}):
        case.path_parameters["name"] = known
        if "query" in case.path_parameters:
            case.path_parameters["query"] = "fuzzed query"  # a valid name: on to the database
    case.call_and_validate(base_url=backend[1], checks=CHECKS)


def test_a_refused_saved_query_name_has_the_documented_422(
    backend: tuple[str, str], known: str
) -> None:
    """Found by the fuzzer: the service's own 422 (a message naming the name) was not the
    shape its OpenAPI documented (FastAPI's list of errors)."""
    operation = schema["/experiments/{name}/queries/{query}"]["PUT"]
    case = operation.Case(path_parameters={"name": known, "query": "-dash"}, body={"sql": "1"})
    response = case.call_and_validate(base_url=backend[1], checks=CHECKS)
    assert response.status_code == 422
    assert "saved query name '-dash' is not valid" in response.json()["detail"]
