"""The web UI in a real headless browser: Debian's ``chromium`` driven by Playwright.

Playwright's own browser download is not used (nor reachable): the browser is the system's
``chromium``, found on PATH. Without it, or without a built UI (``make ui`` needs npm), the
browser tests are skipped and say why. Screenshots of each page go to the artifacts directory:
``$DWSIM_TEST_ARTIFACTS_DIR/ui`` (default ``.dwsim/test-artifacts/ui``, not committed).
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fixtures.servers import REPO

STATIC = REPO / "api-gateway" / "src" / "dwsim_gateway" / "static"
ARTIFACTS = (
    Path(os.environ.get("DWSIM_TEST_ARTIFACTS_DIR", REPO / ".dwsim" / "test-artifacts")) / "ui"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One browser for the session (Debian's chromium, headless)."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip(
            "browser tests skipped: Debian's chromium is not installed "
            "(apt-get install chromium; .ci/run installs it)"
        )
    if not (STATIC / "index.html").is_file():
        pytest.skip("browser tests skipped: the web UI is not built (make ui; it needs npm)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium) -> Iterator[Callable[..., object]]:
    """Pages in fresh contexts (own storage); any uncaught script error fails the test."""
    contexts = []
    errors: list[str] = []

    def make(width: int = 1280, height: int = 800, scheme: str = "light"):
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,
            accept_downloads=True,
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"the page raised script errors: {errors}"


@pytest.fixture(scope="session")
def shots() -> Callable[[object, str], Path]:
    """Save a screenshot of the page as an artifact, named for the step it shows."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def shot(page, name: str, full_page: bool = False) -> Path:
        page.mouse.move(2, 2)  # no hover effects in the picture
        page.wait_for_timeout(350)  # transitions settle
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return shot
