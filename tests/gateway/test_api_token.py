"""DWSIM_API_TOKEN: with it set, the API and its docs need ``Authorization: Bearer <token>``
(401 with a message and ``WWW-Authenticate: Bearer`` otherwise); /health and the web UI's shell
stay open; the token never shows in an answer or in the gateway's log. Unset: all open."""

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from dwsim_gateway.config import Settings
from dwsim_local.demo.client import ApiError, GatewayClient
from tests.gateway.conftest import DDL, gateway_process, new_name

TOKEN = "tok-7f3a9c1e-not-in-any-log"
WRONG = "tok-guessed-wrong-0000"
GUARDED = ("/api/experiments", "/openapi.json", "/docs")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def guarded(settings: Settings, make_client: Callable[[Settings], TestClient]) -> TestClient:
    return make_client(settings.model_copy(update={"api_token": SecretStr(TOKEN)}))


@pytest.mark.parametrize("path", GUARDED)
def test_without_a_token_the_api_and_its_docs_answer_401(guarded: TestClient, path: str) -> None:
    response = guarded.get(path)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "needs an API token" in response.json()["detail"]
    assert "Authorization: Bearer" in response.json()["detail"]
    assert TOKEN not in response.text


@pytest.mark.parametrize(
    "header",
    [f"Bearer {WRONG}", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer "],
    ids=["another", "longer", "shorter", "empty"],
)
def test_a_wrong_token_is_401_and_not_echoed(guarded: TestClient, header: str) -> None:
    response = guarded.get("/api/experiments", headers={"Authorization": header})

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert "the API token is wrong" in response.json()["detail"]
    assert TOKEN[:8] not in response.text
    assert WRONG not in response.text


def test_another_scheme_is_refused_saying_bearer(guarded: TestClient) -> None:
    response = guarded.get("/api/experiments", headers={"Authorization": f"Basic {TOKEN}"})
    assert response.status_code == 401
    assert "must be 'Bearer <token>'" in response.json()["detail"]
    assert TOKEN not in response.text


def test_the_right_token_opens_every_call(guarded: TestClient) -> None:
    name = new_name()
    auth = bearer(TOKEN)
    created = guarded.post(
        "/api/experiments", json={"name": name, "ddl": DDL, "dialect": "redshift"}, headers=auth
    )
    assert created.status_code == 201, created.text

    listed = guarded.get("/api/experiments", headers=auth)
    assert listed.status_code == 200
    assert name in [e["name"] for e in listed.json()]
    assert guarded.get(f"/api/experiments/{name}", headers=auth).json()["name"] == name
    assert guarded.get("/openapi.json", headers=auth).json()["info"]["title"] == "dw-sim API"
    assert guarded.get("/docs", headers=auth).status_code == 200
    # the scheme is case-insensitive (RFC 7235)
    lower = guarded.get("/api/experiments", headers={"Authorization": f"bearer {TOKEN}"})
    assert lower.status_code == 200
    # an unknown name is still 404 for whoever holds the token
    assert guarded.get(f"/api/experiments/{new_name()}", headers=auth).status_code == 404


def test_health_and_the_web_ui_shell_stay_open(guarded: TestClient) -> None:
    health = guarded.get("/health")
    assert health.status_code == 200
    assert {d["name"] for d in health.json()["dependencies"]} >= {"metadata", "redis"}
    assert guarded.get("/").status_code == 200  # the page (or how to build it): no data
    assert guarded.get("/assets/none.js").status_code == 404  # not 401: nothing to guard


def test_without_a_token_set_everything_stays_open(api: TestClient) -> None:
    assert api.get("/api/experiments").status_code == 200
    assert api.get("/openapi.json").status_code == 200
    assert api.get("/api/experiments", headers=bearer("anything")).status_code == 200


def test_an_empty_setting_means_no_token() -> None:
    assert Settings(api_token="").api_token is None
    assert Settings(api_token="  ").api_token is None
    assert Settings(api_token=TOKEN).api_token.get_secret_value() == TOKEN
    assert TOKEN not in repr(Settings(api_token=TOKEN))


@dataclass(frozen=True)
class Gateway:
    url: str
    log: Path


@pytest.fixture
def gateway_with_token(settings: Settings) -> Iterator[Gateway]:
    """The gateway as the launcher runs it, DWSIM_API_TOKEN set, logging at DEBUG."""
    env = {"DWSIM_API_TOKEN": TOKEN, "DWSIM_LOG_LEVEL": "DEBUG", "DWSIM_LOG_JSON": "true"}
    with gateway_process(settings, "gateway-token", env) as (url, log):
        yield Gateway(url, log)


def test_the_token_is_in_no_log_line_or_answer(gateway_with_token: Gateway) -> None:
    url, name = gateway_with_token.url, new_name()
    body = {"name": name, "ddl": DDL, "dialect": "redshift"}
    answers = [
        httpx.get(f"{url}/api/experiments"),
        httpx.get(f"{url}/api/experiments", headers=bearer(WRONG)),
        httpx.get(f"{url}/openapi.json", headers={"Authorization": f"Basic {TOKEN}"}),
        httpx.post(f"{url}/api/experiments", json=body, headers=bearer(TOKEN)),
        httpx.get(f"{url}/api/experiments/{name}", headers=bearer(TOKEN)),
        httpx.get(f"{url}/api/experiments/{new_name()}", headers=bearer(TOKEN)),
        httpx.get(f"{url}/health"),
    ]
    assert [a.status_code for a in answers] == [401, 401, 401, 201, 200, 404, 200]
    for answer in answers:
        assert TOKEN not in answer.text
        assert TOKEN not in str(answer.headers)

    events = _wait_for_requests(gateway_with_token.log, len(answers) - 1)
    requests = [(e["path"], e["status"]) for e in events if e.get("event") == "gateway.request"]
    assert [r for r in requests if r[0] != "/health"][:3] == [
        ("/api/experiments", 401),
        ("/api/experiments", 401),
        ("/openapi.json", 401),
    ]
    started = [e for e in events if e.get("event") == "gateway.started"]
    assert started[0]["auth"] == "bearer token"  # it says a token guards it, never which
    log = gateway_with_token.log.read_text()
    assert TOKEN not in log
    assert WRONG not in log


def _wait_for_requests(log: Path, count: int, timeout: float = 10.0) -> list[dict]:
    """The gateway's JSON log lines, once ``count`` requests other than /health are there."""
    deadline = time.monotonic() + timeout
    while True:
        events = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
        logged = [e for e in events if e.get("event") == "gateway.request"]
        if sum(e["path"] != "/health" for e in logged) >= count or time.monotonic() > deadline:
            return events
        time.sleep(0.1)


def test_dwsim_demo_sends_the_token_of_its_environment(
    gateway_with_token: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DWSIM_API_TOKEN", raising=False)
    without = GatewayClient(gateway_with_token.url)
    with pytest.raises(ApiError, match="401: this dw-sim gateway needs an API token"):
        without.experiments()
    without.close()

    monkeypatch.setenv("DWSIM_API_TOKEN", TOKEN)
    client = GatewayClient(gateway_with_token.url)
    assert isinstance(client.experiments(), list)
    assert client.health()["dependencies"]
    client.close()
