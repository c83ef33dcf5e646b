"""A JSON body nested too deeply is a 422 saying so, with the limit (it was FastAPI's bare 400
"There was an error parsing the body"); a body within the limit is served as before."""

import json

import pytest
from fastapi.testclient import TestClient

from dwsim_gateway.json_depth import MAX_JSON_DEPTH, nesting_over
from dwsim_shared.metadata_client import MetadataClient
from tests.gateway.conftest import DDL, new_name

TOO_DEEP = f"the JSON body is nested too deeply: arrays and objects more than {MAX_JSON_DEPTH}"


def _nested(levels: int, inner: str = "0") -> bytes:
    return ("[" * levels + inner + "]" * levels).encode()


@pytest.mark.parametrize(
    "body",
    [
        _nested(50_000),  # far past Python's parser: it raised RecursionError
        _nested(MAX_JSON_DEPTH + 1),  # just over the limit, parsed fine
        b'{"name": "x", "ddl": ' + _nested(5_000, '{"a": 1}') + b"}",  # deep inside a field
        _nested(50_000)[:-10],  # deep and cut short: still the depth that is said
    ],
    ids=["50000 levels", "limit + 1", "in a field", "unterminated"],
)
def test_a_body_nested_too_deeply_is_422_naming_the_limit(
    api: TestClient, metadata: MetadataClient, body: bytes
) -> None:
    before = {e.name for e in metadata.list_experiments()}
    response = api.post(
        "/api/experiments", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text[:500]
    (error,) = response.json()["detail"]
    assert error["type"] == "json_invalid"
    assert error["msg"].startswith(TOO_DEEP)
    assert f"the gateway's limit is {MAX_JSON_DEPTH}" in error["msg"]
    assert {e.name for e in metadata.list_experiments()} == before


def test_other_routes_and_chunked_bodies_are_checked_too(api: TestClient) -> None:
    def chunks():
        for _ in range(100):
            yield b"[" * 1_000

    response = api.post(
        "/api/experiments/any/query", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"].startswith(TOO_DEEP)


def test_a_body_at_the_limit_passes_the_check(api: TestClient) -> None:
    """A body exactly MAX_JSON_DEPTH levels deep gets past the depth check, to validation
    (which refuses the unknown field); a usual create is served."""
    deep = json.loads(_nested(MAX_JSON_DEPTH - 1))  # inside the body's own object: the limit
    body = {"name": new_name(), "ddl": DDL, "dialect": "redshift", "extra": deep}
    response = api.post("/api/experiments", json=body)
    assert response.status_code == 422
    assert TOO_DEEP not in response.text
    body = {"name": new_name(), "ddl": DDL, "dialect": "redshift"}
    served = api.post("/api/experiments", json=body)
    assert served.status_code == 201, served.text


def test_the_depth_is_measured_outside_strings_and_only_when_it_could_be_over():
    assert not nesting_over(json.dumps({"ddl": "[" * 10_000}).encode())
    assert not nesting_over(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert nesting_over(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert not nesting_over(b"not json [[[[" + b"[" * 200)  # FastAPI says what is wrong
    wide = json.dumps([{"a": [1]} for _ in range(10_000)]).encode()  # many brackets, shallow
    assert not nesting_over(wide)
