"""``dwsim`` against a gateway started with DWSIM_API_TOKEN: the right token (``--token`` or
``$DWSIM_API_TOKEN``) works; none or a wrong one prints the gateway's 401 message and exits 2;
``dwsim status`` (``/health``) needs no token."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dwsim_cli.api_errors import ExitCode
from tests.cli.conftest import DDL, Result, Services, new_name
from tests.fixtures.metadata import wait_for_health
from tests.fixtures.redis import REDIS_URL
from tests.fixtures.servers import bin_path, free_port, server_process

Dwsim = Callable[..., Result]
TOKEN = "cli-tok-5b1d0e7a"


@pytest.fixture(scope="module")
def guarded_url(services: Services) -> Iterator[str]:
    """A second gateway over the session's services, started with DWSIM_API_TOKEN."""
    port = free_port()
    args = [bin_path("uvicorn"), "--factory", "dwsim_gateway.main:create_app"]
    args += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    env = {
        "DWSIM_METADATA_URL": services.metadata_url,
        "DWSIM_QUERY_URL": services.query_url,
        "DWSIM_REDIS_URL": REDIS_URL,
        "DWSIM_API_TOKEN": TOKEN,
    }
    with server_process(args, port, env=env, log_name="cli-gateway-token"):
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url)
        yield url


@pytest.fixture
def guarded(guarded_url: str, dwsim: Dwsim) -> Dwsim:
    """``dwsim ARGS`` aimed at the guarded gateway (DWSIM_* cleared by ``dwsim``)."""

    def run(*argv: str) -> Result:
        return dwsim(*argv, "--api-url", guarded_url)

    return run


def test_without_a_token_the_command_prints_the_401_and_exits_2(guarded: Dwsim) -> None:
    result = guarded("experiment", "list")

    assert result.code == ExitCode.USAGE
    assert result.out == ""
    assert result.err.startswith("dwsim experiment list: error: ")
    assert "needs an API token" in result.err  # the gateway's own message
    assert "no token was sent" in result.err
    assert "--token" in result.err
    assert "DWSIM_API_TOKEN" in result.err


def test_a_wrong_token_is_exit_2_and_never_printed(guarded: Dwsim) -> None:
    result = guarded("experiment", "list", "--token", "not-the-token")

    assert result.code == ExitCode.USAGE
    assert "the API token is wrong" in result.err
    assert "a token was sent" in result.err
    assert "not-the-token" not in result.err + result.out
    assert TOKEN not in result.err + result.out


def test_the_right_token_works_from_the_flag_or_the_variable(
    guarded: Dwsim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = new_name()
    ddl = tmp_path / "shop.sql"
    ddl.write_text(DDL)
    create = ("experiment", "create", name, "--warehouse", "redshift", "--ddl", str(ddl))
    created = guarded(*create, "--token", TOKEN)
    assert created.code == ExitCode.OK, created.err
    assert f"created experiment {name}" in created.out

    monkeypatch.setenv("DWSIM_API_TOKEN", TOKEN)
    listed = guarded("experiment", "list", "--json")
    assert listed.code == ExitCode.OK, listed.err
    assert name in [e["name"] for e in json.loads(listed.out)]
    # the flag wins over the variable
    wrong = guarded("experiment", "show", name, "--token", "not-the-token")
    assert wrong.code == ExitCode.USAGE
    assert "the API token is wrong" in wrong.err


def test_status_needs_no_token(guarded: Dwsim) -> None:
    result = guarded("status", "--json")

    # the gateway answers /health without a token: the emulators are down here (exit 5),
    # but the services are listed, not refused
    assert result.code == ExitCode.UNAVAILABLE, result.err
    states = {d["name"]: d["status"] for d in json.loads(result.out)["dependencies"]}
    assert states["metadata"] == "ok"
    assert states["query"] == "ok"
    assert "token" not in result.err
