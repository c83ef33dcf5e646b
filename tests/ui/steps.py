"""What a person does in the web UI, step by step (Playwright, by role and label)."""

import re
from typing import Any

JOB_TIMEOUT_MS = 240_000


def open_ui(page: Any, base: str, route: str = "") -> None:
    page.goto(f"{base}/{route}")
    page.wait_for_selector("header.topbar")


def fill_editor(page: Any, text: str, which: str = ".code-editor") -> None:
    """Replace the text of a CodeMirror editor, as pasting would."""
    content = page.locator(f"{which} .cm-content").first
    content.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def editor_text(page: Any) -> str:
    return page.locator(".code-editor .cm-content").first.inner_text()


def open_tab(page: Any, label: str) -> None:
    page.get_by_role("navigation", name="Experiment").get_by_role("link", name=label).click()


def wait_job_done(page: Any, title: str) -> None:
    """The job panel shows the job finished well: its title, 100%, a succeeded badge."""
    card = page.locator(".job-card")
    card.locator(".card-title", has_text=title).wait_for(timeout=JOB_TIMEOUT_MS)
    card.locator(".badge[data-status=succeeded]").wait_for(timeout=JOB_TIMEOUT_MS)


def run_sql(page: Any, sql: str) -> None:
    """Type the query and run it with the keyboard (Ctrl+Enter), as the hint says."""
    fill_editor(page, sql)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".result-card, .banner-danger", timeout=60_000)


def result_rows(page: Any) -> list[list[str]]:
    rows = page.locator(".result-table tbody tr")
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()[1:]]
        for i in range(rows.count())
    ]


def confirm(page: Any, button: str, confirm_label: str) -> None:
    """Click an action, then confirm it in its dialog."""
    page.get_by_role("button", name=button, exact=True).click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    dialog.get_by_role("button", name=confirm_label).click()
    page.wait_for_function("!document.querySelector('dialog[open]')", timeout=30_000)


def number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def enter_token(page: Any, token: str, remember: bool = False) -> None:
    """Type the token into the "API token" dialog (shown on a 401) and use it."""
    dialog = page.get_by_role("dialog", name="API token")
    dialog.get_by_label("API token", exact=True).fill(token)
    if remember:
        dialog.get_by_label("Remember it on this browser", exact=False).check()
    dialog.get_by_role("button", name="Use token").click()
