"""What scripts rely on: one exit code per kind of failure, the server's message on stderr,
and the token sent as a bearer header."""

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dwsim_cli.api_errors import ExitCode, exit_code_for, format_detail
from tests.cli.conftest import Result, Services
from tests.fixtures.metadata import wait_for_health
from tests.fixtures.servers import bin_path, free_port, server_process

Dwsim = Callable[..., Result]


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (400, ExitCode.USAGE),
        (401, ExitCode.USAGE),
        (422, ExitCode.USAGE),
        (404, ExitCode.NOT_FOUND),
        (409, ExitCode.CONFLICT),
        (502, ExitCode.UNAVAILABLE),
        (503, ExitCode.UNAVAILABLE),
        (None, ExitCode.UNAVAILABLE),
    ],
)
def test_each_status_has_its_exit_code(status: int | None, code: ExitCode) -> None:
    assert exit_code_for(status) == code


def test_a_422_detail_list_reads_as_loc_and_message() -> None:
    detail = [
        {"loc": ["body", "rows", "orders"], "msg": "Input should be a valid integer", "type": "x"},
        {"loc": ["query", "format"], "msg": "Input should be 'json' or 'csv'", "type": "y"},
    ]
    assert format_detail(detail) == (
        "\n  rows.orders: Input should be a valid integer"
        "\n  query.format: Input should be 'json' or 'csv'"
    )
    assert format_detail(detail[:1]) == "rows.orders: Input should be a valid integer"
    assert format_detail("experiment x not found") == "experiment x not found"


class Recorder(BaseHTTPRequestHandler):
    """A stand-in server answering every request with the class's canned answer."""

    answer: tuple[int, str, bytes] = (200, "application/json", b"[]")
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:
        type(self).seen.append(dict(self.headers))
        status, content_type, body = type(self).answer
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, type[Recorder]]]:
    handler = type("Handler", (Recorder,), {"seen": [], "answer": Recorder.answer})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", handler
    finally:
        server.shutdown()
        server.server_close()


def test_the_token_is_sent_as_a_bearer_header(
    dwsim: Dwsim, recorder: tuple[str, type[Recorder]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, handler = recorder
    assert dwsim("experiment", "list", "--api-url", url).code == 0
    monkeypatch.setenv("DWSIM_API_TOKEN", "from-env")
    assert dwsim("experiment", "list", "--api-url", url).code == 0
    assert dwsim("experiment", "list", "--api-url", url, "--token", "from-flag").code == 0

    auth = [seen.get("Authorization") for seen in handler.seen]
    assert auth == [None, "Bearer from-env", "Bearer from-flag"]


@pytest.mark.parametrize(
    ("answer", "code", "message"),
    [
        ((503, "application/json", b'{"detail": "Redis does not answer"}'), 5, "Redis does not"),
        ((500, "text/html", b"<h1>oops</h1>"), 5, "<h1>oops</h1>"),
        ((401, "application/json", b'{"detail": "bad token"}'), 2, "bad token"),
        ((200, "text/html", b"<html>"), 5, "is --api-url the dw-sim gateway?"),
        ((404, "application/json", b'{"detail": "Not Found"}'), 3, "has no route GET /api/"),
    ],
)
def test_answers_other_than_the_gateway_s_own(
    dwsim: Dwsim,
    recorder: tuple[str, type[Recorder]],
    answer: tuple[int, str, bytes],
    code: int,
    message: str,
) -> None:
    url, handler = recorder
    handler.answer = answer
    result = dwsim("experiment", "list", "--api-url", url)
    assert result.code == code
    assert result.err.startswith("dwsim experiment list: error: ")
    assert message in result.err


def test_nothing_listening_is_exit_5_saying_how_to_start_the_stack(dwsim: Dwsim) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = dwsim("experiment", "list", "--api-url", url)
    assert result.code == 5
    assert f"cannot reach the dw-sim gateway at {url}" in result.err
    assert "dwsim up --detach" in result.err


@pytest.fixture
def gateway_without_dependencies(services: Services) -> Iterator[str]:
    """A gateway over the same metadata service whose Redis and query service are down."""
    port = free_port()
    args = [bin_path("uvicorn"), "--factory", "dwsim_gateway.main:create_app"]
    args += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    env = {
        "DWSIM_METADATA_URL": services.metadata_url,
        "DWSIM_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        "DWSIM_QUERY_URL": f"http://127.0.0.1:{free_port()}",
        "DWSIM_ENQUEUE_RETRIES": "0",
    }
    with server_process(args, port, env=env, log_name="cli-gateway-down"):
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url)
        yield url


def test_a_dependency_down_is_exit_5_with_the_gateway_s_reason(
    dwsim: Dwsim, experiment: str, gateway_without_dependencies: str
) -> None:
    url = gateway_without_dependencies

    generate = dwsim("experiment", "generate", experiment, "--api-url", url)
    query = dwsim("query", "run", experiment, "select 1", "--api-url", url)

    assert generate.code == 5
    assert "could not queue the generate job: Redis at" in generate.err
    assert query.code == 5
    assert "the query service at" in query.err
    assert "does not answer" in query.err
    # the refused job did not stay active: the working gateway can generate at once
    assert json.loads(dwsim("experiment", "generate", experiment, "--json").out)["job_id"]
