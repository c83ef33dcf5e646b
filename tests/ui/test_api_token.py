"""The web UI on a gateway started with DWSIM_API_TOKEN: the page loads without the token, the
first API call's 401 opens the "API token" dialog with the gateway's message, a wrong token
shows the gateway's refusal, the right one lists the experiments and is kept for the tab (or
for the browser when asked to remember it); Cancel leaves the gateway's message on the page.
The browser fixtures come first, so that without chromium the tests skip before any server."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.fixtures.metadata import wait_for_health
from tests.fixtures.servers import bin_path, free_port, server_process
from tests.ui.steps import enter_token, open_ui

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

TOKEN = "ui-tok-3c9e51d2"
STORED = "dwsim.apiToken"  # the key the UI keeps it under (lib/token.js)


@dataclass(frozen=True)
class Guarded:
    url: str
    experiment: str  # made with the token, so the list has something to show


@pytest.fixture
def guarded(new_page, metadata_url: str, redis_url: str) -> Iterator[Guarded]:
    """A gateway with DWSIM_API_TOKEN over the session's metadata service, one experiment in it."""
    port = free_port()
    args = [bin_path("uvicorn"), "--factory", "dwsim_gateway.main:create_app"]
    args += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    env = {"DWSIM_METADATA_URL": metadata_url, "DWSIM_REDIS_URL": redis_url}
    env["DWSIM_API_TOKEN"] = TOKEN
    with server_process(args, port, env=env, log_name="ui-gateway-token"):
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url)
        name = f"ui_{uuid.uuid4().hex[:10]}"
        schema = {
            "warehouse": "sqlite",
            "tables": [{"name": "t", "rows": 3, "columns": [{"name": "id", "type": "bigint"}]}],
        }
        created = httpx.post(
            f"{url}/api/experiments",
            json={"name": name, "schema": schema},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert created.status_code == 201, created.text
        yield Guarded(url, name)


def test_the_token_is_asked_for_checked_and_kept_for_the_tab(new_page, shots, guarded) -> None:
    page = new_page()
    open_ui(page, guarded.url)  # the page itself needs no token
    dialog = page.get_by_role("dialog", name="API token")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("needs an API token")  # the gateway's message
    shots(page, "token-01-prompt")

    enter_token(page, "not-the-token")
    expect(dialog).to_contain_text("the API token is wrong")
    expect(dialog.get_by_label("API token", exact=True)).to_have_value("")
    shots(page, "token-02-wrong")

    enter_token(page, TOKEN)
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("link", name=guarded.experiment)).to_be_visible()
    assert page.evaluate(f"sessionStorage.getItem('{STORED}')") == TOKEN
    assert page.evaluate(f"localStorage.getItem('{STORED}')") is None

    page.reload()  # kept for the tab: no second prompt
    expect(page.get_by_role("link", name=guarded.experiment)).to_be_visible()
    expect(dialog).to_be_hidden()
    shots(page, "token-03-listed")


def test_cancel_shows_the_message_and_remember_keeps_it_for_the_browser(new_page, guarded) -> None:
    page = new_page()
    open_ui(page, guarded.url)
    dialog = page.get_by_role("dialog", name="API token")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".banner-danger")).to_contain_text("needs an API token")

    page.get_by_role("button", name="Retry").click()  # asks again
    enter_token(page, TOKEN, remember=True)
    expect(page.get_by_role("link", name=guarded.experiment)).to_be_visible()
    assert page.evaluate(f"localStorage.getItem('{STORED}')") == TOKEN

    other = page.context.new_page()  # another tab of the same browser: remembered
    open_ui(other, guarded.url)
    expect(other.get_by_role("link", name=guarded.experiment)).to_be_visible()
    expect(other.get_by_role("dialog", name="API token")).to_be_hidden()
