"""``dwsim status``: the gateway's view of the stack, each service with its state."""

import json
from collections.abc import Callable

from dwsim_cli.api_errors import ExitCode
from tests.cli.conftest import Result
from tests.cli.test_exit_codes import Recorder, recorder  # noqa: F401 (the fixture)

Dwsim = Callable[..., Result]


def test_status_names_each_service_and_exits_5_when_one_is_down(dwsim: Dwsim) -> None:
    # the test gateway has its metadata service, Redis and query service, but no emulators
    result = dwsim("status")
    assert result.code == ExitCode.UNAVAILABLE, result.err
    lines = {line.split()[0]: line for line in result.out.splitlines() if line.strip()}
    assert " ok " in lines["metadata"]
    assert " ok " in lines["redis"]
    assert " down " in lines["redshift-emulator"]
    assert "down: " in result.out
    assert "redshift-emulator" in result.out.splitlines()[-1]

    as_json = json.loads(dwsim("status", "--json").out)
    assert as_json["status"] == "degraded"
    states = {d["name"]: d["status"] for d in as_json["dependencies"]}
    assert states["metadata"] == "ok"
    assert states["redshift-emulator"] == "down"


def test_status_is_0_when_every_service_is_up(
    dwsim: Dwsim,
    recorder: tuple[str, type[Recorder]],  # noqa: F811
) -> None:
    url, handler = recorder
    up = {"status": "ok", "dependencies": [
        {"name": "metadata", "status": "ok", "address": "http://127.0.0.1:8001"},
        {"name": "redis", "status": "ok", "address": "redis://127.0.0.1:6379/0"},
    ]}  # fmt: skip
    handler.answer = (200, "application/json", json.dumps(up).encode())
    result = dwsim("status", "--api-url", url)
    assert result.code == ExitCode.OK, result.err
    assert result.out.splitlines()[-1] == "all services up"
    assert handler.seen, "the command asked the gateway"
