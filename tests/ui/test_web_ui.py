"""The web UI against the running stack (``stack`` fixture), in headless chromium, as a person
uses it: first visit and the sample; create from DDL, see the diagram, edit rows and a rule,
generate and watch progress reach 100%, open a histogram, query, check SQL, save the query,
download CSV, reset, delete. A screenshot of each page is kept (see conftest.py). The browser fixtures come
first, so that without chromium the tests are skipped before the stack is started."""

import csv
import io
import uuid
from pathlib import Path

import pytest

from tests.e2e.helpers import wait_job
from tests.ui.steps import (
    confirm,
    editor_text,
    fill_editor,
    number,
    open_tab,
    open_ui,
    result_rows,
    run_sql,
    wait_job_done,
)

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = pytest.mark.slow

SHOP = (Path(__file__).parents[1] / "e2e" / "shop.sql").read_text()
DDL = SHOP + "\nGRANT SELECT ON orders TO analyst;\n"  # skipped, with a warning naming its line
GRANT_LINE = DDL.splitlines().index("GRANT SELECT ON orders TO analyst;") + 1
ROWS = {"customers": 300, "orders": 1200, "order_lines": 4000}


def create_via_api(stack, name: str) -> None:
    """A Redshift experiment of the shop schema, made through the API (not the page tested)."""
    with stack.client() as http:
        body = {"name": name, "warehouse": "redshift", "dialect": "redshift", "ddl": SHOP}
        created = http.post("/api/experiments", json=body)
        assert created.status_code == 201, created.text
        wait_job(http, created.headers["X-Job-Id"])


def drop_all(stack) -> None:
    """This session's stack starts empty; drop what earlier tests may have left."""
    with stack.client() as http:
        for experiment in http.get("/api/experiments").json():
            for job in http.get(f"/api/experiments/{experiment['name']}/jobs?active=true").json():
                wait_job(http, job["id"])
            dropped = http.delete(f"/api/experiments/{experiment['name']}")
            assert dropped.status_code == 202, dropped.text
            wait_job(http, dropped.json()["id"])


def test_first_visit_offers_the_sample_schema(new_page, shots, stack) -> None:
    drop_all(stack)
    page = new_page()
    open_ui(page, stack.gateway_url)
    expect(page.get_by_role("heading", name="Simulate your data warehouse")).to_be_visible()
    shots(page, "01-first-visit")

    page.get_by_role("button", name="Try the sample shop schema").click()
    expect(page).to_have_url(f"{stack.gateway_url}/#/e/shop")
    tables = page.locator("svg.er-svg g.er-table")
    expect(tables).to_have_count(5)
    lines = page.get_by_role("link", name="Table order_lines", exact=False)
    expect(lines).to_have_attribute(
        "aria-label", "Table order_lines: 6 columns, composite primary key (order_id, line_no)"
    )
    assert lines.locator("text.er-chip-text", has_text="PK").count() == 2  # both key columns
    assert lines.locator("text.er-chip-text", has_text="FK").count() == 2
    # the composite foreign key of returns draws one edge per column pair
    expect(
        page.locator("path.er-edge title", has_text="returns.line_no → order_lines.line_no")
    ).to_have_count(1)
    expect(page.locator(".toast", has_text="Tables created in the warehouse")).to_be_visible(
        timeout=60_000
    )
    shots(page, "02-sample-schema")

    # dark theme by the toggle, kept across a reload
    page.get_by_role("radio", name="Dark theme").click()
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.locator("svg.er-svg").wait_for()
    shots(page, "03-sample-schema-dark")


def test_create_generate_explore_query_reset_delete(new_page, shots, stack, tmp_path) -> None:
    name = f"ui_{uuid.uuid4().hex[:8]}"
    page = new_page()

    # create: name, warehouse and dialect chosen, DDL pasted
    open_ui(page, stack.gateway_url, "#/new")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Warehouse").select_option("snowflake")
    page.get_by_label("DDL dialect").select_option("redshift")
    fill_editor(page, DDL)
    shots(page, "04-create-from-ddl")
    page.get_by_role("button", name="Create experiment").click()

    # the experiment: the import warning names its line; the diagram has the tables and keys
    expect(page).to_have_url(f"{stack.gateway_url}/#/e/{name}")
    warning = page.locator(".warnings .banner")
    expect(warning).to_have_count(1)
    expect(warning.locator(".banner-title")).to_have_text(f"Line {GRANT_LINE}")
    expect(warning).to_contain_text("GRANT")
    expect(page.locator("svg.er-svg g.er-table")).to_have_count(3)
    expect(page.locator("path.er-edge")).to_have_count(2)  # orders→customers, lines→orders

    # a row count over the limit is refused under its field; a good one is saved
    rows = page.get_by_label("Rows").and_(page.locator("#rows-orders"))
    rows.fill("3000000000")
    page.locator("#table-orders").get_by_role("button", name="Save").click()
    expect(page.locator("#table-orders .rows-edit .field-error")).to_contain_text("over the limit")
    rows.fill(str(ROWS["orders"]))
    page.locator("#table-orders").get_by_role("button", name="Save").click()
    expect(page.locator(".toast", has_text=f"orders: {ROWS['orders']:,} rows")).to_be_visible()
    expect(page.locator("#table-orders .rows-edit .field-error")).to_have_count(0)

    # a rule that cannot be computed is refused in its dialog; a good one is saved and shown
    page.get_by_role("button", name="Edit the rule of amount").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Kind").select_option("lookup")
    dialog.get_by_label("Parent column").fill("customers.nope")
    dialog.get_by_role("button", name="Save rule").click()
    expect(dialog.locator(".banner-danger")).to_contain_text("nope")
    shots(page, "05-rule-error")
    dialog.get_by_label("Kind").select_option("range")
    dialog.get_by_label("Min").fill("5")
    dialog.get_by_label("Max").fill("500")
    dialog.get_by_role("button", name="Save rule").click()
    expect(page.locator("dialog[open]")).to_have_count(0)
    amount = page.locator("#table-orders tr", has=page.locator("td.col-name", has_text="amount"))
    expect(amount).to_contain_text("5 \u2013 500")  # an en dash
    expect(amount.locator(".source-user")).to_have_text("edited")

    # generate: seed and rows per table, progress to 100%, the run in the history
    open_tab(page, "Generate")
    page.get_by_label("Seed").fill("7")
    page.get_by_role("radio", name="Per table").click()
    for table, count in ROWS.items():
        page.get_by_label(table, exact=True).fill(str(count))
    page.get_by_role("button", name="Estimate", exact=True).click()  # the cost model, no job
    total = f"{sum(ROWS.values()):,}"
    expect(page.locator(".estimate")).to_contain_text(f"Estimate: {total} rows in about")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.get_by_test_id("job-percent")).to_have_text("100%", timeout=240_000)
    wait_job_done(page, "Generated")
    progress = page.locator(".progress-table")
    for table, count in ROWS.items():
        expect(progress.locator(f"tr[data-table={table}]")).to_contain_text(
            f"{count:,} / {count:,}"
        )
        loaded = progress.locator(f"tr[data-table={table}] td").nth(4)
        expect(loaded).to_have_text(f"{count:,}")
    for stage in ("Plan", "Generate", "Stage", "Load"):
        expect(page.locator(".stage-done", has_text=stage)).to_have_count(1)
    run = page.locator(".runs-table tbody tr").first
    expect(run.locator(".badge")).to_have_text("completed")
    expect(run).to_contain_text(f"{sum(ROWS.values()):,}")
    assert run.locator("td").nth(7).inner_text() == "7"  # the seed
    shots(page, "06-generate-done")

    # the data: a histogram of orders.amount, computed by the warehouse
    open_tab(page, "Data")
    page.get_by_role("button", name="orders", exact=False).first.click()
    card = page.locator("article.column-card[data-column=amount]")
    expect(card.get_by_role("img", name="Histogram of amount")).to_be_visible(timeout=60_000)
    expect(page.locator(".section-header")).to_contain_text(
        f"{ROWS['orders']:,} rows in the warehouse"
    )
    shots(page, "07-data")
    card.get_by_role("button", name="Open the histogram of amount").click()
    big = page.locator("dialog[open] svg.chart-large")
    expect(big).to_be_visible()
    bars = big.locator("rect.bar")
    assert 1 <= bars.count() <= 20
    in_bins = sum(
        number(t.split(": ")[1]) for t in big.locator("rect.bar title").all_text_contents()
    )
    nulls = number(
        page.locator("dialog[open] .stats div[title*=NULL]").get_attribute("title").split(" of ")[0]
    )
    assert in_bins + nulls == ROWS["orders"]
    shots(page, "08-histogram")
    page.keyboard.press("Escape")
    expect(page.locator("dialog[open]")).to_have_count(0)

    # SQL: rows in a paged table, an error with the warehouse's message, a saved query, CSV
    open_tab(page, "SQL")
    sql = "select customer_id, count(*) as n\nfrom orders\ngroup by 1\norder by 2 desc, 1"
    run_sql(page, sql)
    result = page.locator(".result-card")
    expect(result.locator(".result-header")).to_contain_text("rows")
    customers = number(result.locator(".result-header strong").inner_text())
    assert 1 < customers <= ROWS["customers"]
    first = result_rows(page)[0]
    assert number(first[1]) >= 1
    if customers > 50:
        result.get_by_role("button", name="Next page").click()
        expect(result.locator(".pager")).to_contain_text(f"Rows 51\u2013{min(100, customers)}")
    shots(page, "09-sql-results")

    run_sql(page, "select nope\nfrom orders")
    expect(page.locator(".banner-danger")).to_contain_text("NOPE", ignore_case=True)
    shots(page, "10-sql-error")

    # check SQL: each statement run on the emulator and rolled back, with its line and status
    fill_editor(page, "select count(*) as n from orders;\nselect nope\n  from orders;")
    page.get_by_role("button", name="Check SQL").click()
    report = page.locator(".check-card")
    expect(report.locator(".check-summary")).to_contain_text(
        "2 statements: 1 faithful, 0 rewritten, 0 unsupported, 1 error · 50% pass"
    )
    good, bad = report.locator("tbody tr[data-line='1']"), report.locator("tbody tr[data-line='2']")
    expect(good.locator(".badge")).to_have_text("faithful")
    expect(bad.locator(".badge")).to_have_text("error")
    expect(bad.locator(".check-detail")).to_contain_text("NOPE", ignore_case=True)
    report.scroll_into_view_if_needed()
    shots(page, "10b-sql-check")

    fill_editor(page, sql)
    page.get_by_role("complementary", name="Saved queries").get_by_role(
        "button", name="Save"
    ).click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Name").fill("orders per customer")
    dialog.get_by_role("button", name="Save").click()
    saved = page.locator(".saved-item", has_text="orders per customer")
    expect(saved).to_be_visible()
    page.reload()  # saved with the experiment, not in the browser
    fill_editor(page, "select 1")
    page.locator(".saved-item", has_text="orders per customer").get_by_role("button").first.click()
    assert "group by 1" in editor_text(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    target = tmp_path / "result.csv"
    download.value.save_as(target)
    table = list(csv.reader(io.StringIO(target.read_text())))
    assert [h.lower() for h in table[0]] == ["customer_id", "n"]
    assert len(table) - 1 == customers  # every row, not just the page shown
    assert sum(int(r[1]) for r in table[1:]) == ROWS["orders"]

    # reset: confirmed, every table emptied
    confirm(page, "Reset", "Reset every table")
    wait_job_done(page, "Reset")
    open_tab(page, "SQL")
    run_sql(page, "select count(*) as n from orders")
    expect(page.locator(".result-table tbody tr").first).to_contain_text("0")
    assert result_rows(page) == [["0"]]

    # the list shows it with its last run; then delete, confirmed
    page.get_by_role("link", name="Experiments").first.click()
    row = page.locator("tbody tr", has_text=name)
    expect(row).to_contain_text("Snowflake")
    expect(row.locator(".badge")).to_have_text("completed")
    shots(page, "11-experiments")
    row.get_by_role("link", name=name).click()
    confirm(page, "Delete", "Delete experiment")
    expect(page).to_have_url(f"{stack.gateway_url}/#/", timeout=120_000)
    expect(page.locator(".toast", has_text=f"Deleted {name}")).to_be_visible()
    expect(page.locator("tbody tr", has_text=name)).to_have_count(0)


def test_a_generate_cancelled_from_its_panel_leaves_a_cancelled_run(new_page, shots, stack):
    """A long generate: Cancel in the job panel; the panel says cancelled, and the run shows
    ``cancelled`` with the reason (its staged objects removed), with no Load button."""
    name = f"cancel_{uuid.uuid4().hex[:8]}"
    create_via_api(stack, name)
    try:
        page = new_page()
        open_ui(page, stack.gateway_url, f"#/e/{name}/generate")
        page.get_by_role("radio", name="Per table").click()
        big = {"customers": 1_000_000, "orders": 10_000_000, "order_lines": 40_000_000}
        for table, count in big.items():  # tens of seconds of chunks
            page.get_by_label(table, exact=True).fill(str(count))
        page.get_by_role("button", name="Generate", exact=True).click()
        card = page.locator(".job-card")
        expect(card.locator(".badge[data-status=running]")).to_be_visible(timeout=60_000)
        percent = page.get_by_test_id("job-percent")
        expect(percent).not_to_have_text("0%", timeout=60_000)  # parts are staged
        card.get_by_role("button", name="Cancel").click()
        expect(card.locator(".badge[data-status=cancelled]")).to_be_visible(timeout=30_000)
        expect(card.locator(".banner", has_text="Cancelled")).to_be_visible()
        run = page.locator(".runs-table tbody tr").first
        expect(run.locator(".badge")).to_have_text("cancelled", timeout=60_000)
        expect(page.locator(".runs-table .run-error").first).to_have_text(
            "the job was cancelled; the run is incomplete and its staged objects were removed"
        )
        expect(run.get_by_role("button", name="Load", exact=False)).to_have_count(0)
        shots(page, "13-generate-cancelled")
    finally:
        with stack.client() as http:
            for job in http.get(f"/api/experiments/{name}/jobs?active=true").json():
                wait_job(http, job["id"])
            wait_job(http, http.delete(f"/api/experiments/{name}").json()["id"])


def test_wide_screen_and_keyboard(new_page, shots, stack) -> None:
    """1920x1080 in dark mode; the list, the tabs and the dialogs work from the keyboard."""
    name = f"kb_{uuid.uuid4().hex[:8]}"
    create_via_api(stack, name)
    try:
        page = new_page(1920, 1080, "dark")
        open_ui(page, stack.gateway_url)
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
        page.keyboard.press("/")
        expect(page.get_by_label("Filter experiments")).to_be_focused()
        page.keyboard.type(name[:6])
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name=name, exact=True)).to_be_focused()
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{stack.gateway_url}/#/e/{name}")
        page.get_by_role("link", name="Schema", exact=True).focus()
        page.keyboard.press("ArrowRight")
        expect(page.get_by_role("link", name="Generate", exact=True)).to_be_focused()
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{stack.gateway_url}/#/e/{name}/generate")
        page.get_by_role("button", name="Reset", exact=True).focus()
        page.keyboard.press("Enter")
        expect(page.locator("dialog[open]")).to_have_count(1)
        page.keyboard.press("Escape")  # nothing was reset
        expect(page.locator("dialog[open]")).to_have_count(0)
        open_tab(page, "Schema")
        page.locator("svg.er-svg").wait_for()
        shots(page, "12-schema-1920-dark")
    finally:
        with stack.client() as http:
            wait_job(http, http.delete(f"/api/experiments/{name}").json()["id"])
