"""How the gateway serves the web UI (dwsim_gateway.ui), on an app of its own: the built page,
its assets cached for good, and a page saying how to build it when it is not built."""

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dwsim_gateway.ui import mount_ui
from tests.ui.conftest import STATIC


@pytest.fixture
def static(tmp_path: Path) -> Path:
    return tmp_path / "static"


@pytest.fixture
def client(static: Path) -> TestClient:
    app = FastAPI()

    @app.get("/api/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    mount_ui(app, static)
    return TestClient(app)


def build(static: Path) -> None:
    (static / "assets").mkdir(parents=True)
    (static / "index.html").write_text('<!doctype html><script src="/assets/main-ABC.js"></script>')
    (static / "assets" / "main-ABC.js").write_text("console.log('dw-sim')")
    (static.parent / "secret.txt").write_text("not for the browser")


def test_without_a_build_root_says_how_to_build_it(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "make ui" in response.text
    assert "npm" in response.text
    assert 'href="/docs"' in response.text  # the API is still there
    assert client.get("/assets/main-ABC.js").status_code == 404


def test_the_built_page_and_its_assets(client: TestClient, static: Path) -> None:
    build(static)  # after the app started: served without a restart
    page = client.get("/")
    assert page.status_code == 200
    assert "/assets/main-ABC.js" in page.text
    assert page.headers["cache-control"] == "no-cache"  # a new build is picked up at once

    asset = client.get("/assets/main-ABC.js")
    assert asset.status_code == 200
    assert asset.text == "console.log('dw-sim')"
    assert "javascript" in asset.headers["content-type"]
    assert "immutable" in asset.headers["cache-control"]  # hashed names: cached for good


def test_assets_stay_inside_their_folder(client: TestClient, static: Path) -> None:
    build(static)
    for path in ("/assets/../index.html", "/assets/%2e%2e/%2e%2e/secret.txt", "/assets/nope.js"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "not for the browser" not in response.text
    assert client.get("/assets/").status_code == 404


def test_the_api_is_untouched(client: TestClient, static: Path) -> None:
    build(static)
    assert client.get("/api/ping").json() == {"pong": "yes"}


def test_the_built_bundle_sends_the_api_token() -> None:
    """The bundle `make ui` built holds the token code path: the bearer header and its prompt."""
    if not (STATIC / "index.html").is_file():
        pytest.skip("the web UI is not built (make ui; it needs npm)")
    bundle = "".join(p.read_text() for p in (STATIC / "assets").glob("*.js"))
    assert "Authorization:`Bearer ${" in bundle or 'Authorization:"Bearer "' in bundle
    assert "dwsim.apiToken" in bundle  # where the token is kept
    assert "API token" in bundle  # the prompt's title
