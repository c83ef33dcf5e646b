"""The request body limit (DWSIM_MAX_BODY_MB): a larger body is answered 413 naming the limit
and its setting, before anything is read or stored; a body within it is served as before."""

from collections.abc import Callable, Iterator

from fastapi.testclient import TestClient

from dwsim_gateway.config import Settings
from dwsim_shared.metadata_client import MetadataClient
from tests.gateway.conftest import DDL, new_name

LIMIT_MB = 0.01  # 10485 bytes


def _limited(settings: Settings, make_client: Callable[[Settings], TestClient]) -> TestClient:
    return make_client(settings.model_copy(update={"max_body_mb": LIMIT_MB}))


def test_a_body_over_the_limit_is_413_and_stores_nothing(
    settings: Settings, make_client, metadata: MetadataClient
) -> None:
    api = _limited(settings, make_client)
    name = new_name()
    padding = "-- " + "x" * 20_000 + "\n"
    response = api.post(
        "/api/experiments", json={"name": name, "ddl": padding + DDL, "dialect": "redshift"}
    )
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "the request body is over the gateway's limit of 0.01 MB (DWSIM_MAX_BODY_MB); send a "
        "smaller DDL file or experiment JSON, or raise the limit"
    )
    assert name not in {e.name for e in metadata.list_experiments()}


def test_a_chunked_body_is_counted_as_it_comes(
    settings: Settings, make_client, metadata: MetadataClient
) -> None:
    """No Content-Length to go by: refused once the bytes received pass the limit."""
    api = _limited(settings, make_client)
    name = new_name()

    def chunks() -> Iterator[bytes]:
        yield f'{{"name": "{name}", "dialect": "redshift", "ddl": "'.encode()
        for _ in range(20):
            yield b"-" * 1000
        yield b'"}'

    response = api.post(
        "/api/experiments", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "DWSIM_MAX_BODY_MB" in response.json()["detail"]
    assert name not in {e.name for e in metadata.list_experiments()}


def test_a_body_within_the_limit_is_served(settings: Settings, make_client) -> None:
    api = _limited(settings, make_client)
    response = api.post(
        "/api/experiments", json={"name": new_name(), "ddl": DDL, "dialect": "redshift"}
    )
    assert response.status_code == 201, response.text
