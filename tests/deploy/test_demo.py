"""`dwsim demo`'s parts that stand alone: its bundled DDL, its row split, its output.

The demo against the real stack runs in test_stack.py.
"""

import io

import httpx
import pytest

from dwsim_local.demo import run as demo
from dwsim_local.demo.client import GatewayClient
from dwsim_local.demo.progress import ProgressBar
from dwsim_shared.contracts.enums import Dialect, Warehouse
from dwsim_shared.ddl import import_ddl


@pytest.mark.parametrize("target", demo.TARGETS, ids=lambda t: t.warehouse)
def test_the_bundled_ddl_imports_with_its_keys_and_can_be_generated(target):
    from dwsim_generator.engine.plan import plan_run

    experiment = import_ddl(
        demo.sample_ddl(target.sample),
        dialect=Dialect(target.dialect),
        name=f"demo_{target.warehouse}",
        warehouse=Warehouse(target.warehouse),
    )
    tables = {t.name.lower(): t for t in experiment.tables}
    assert set(tables) == set(demo.SHARES)
    assert [c.lower() for c in tables["order_lines"].primary_key] == ["order_id", "line_no"]
    assert {fk.references_table.lower() for fk in tables["order_lines"].foreign_keys} == {
        "orders",
        "products",
    }
    plan_run(experiment, seed=42, rows=demo.rows_per_table(10_000))  # raises if impossible


def test_rows_add_up_to_what_was_asked():
    for total in (1_000, 500_000, 1_000_003):
        rows = demo.rows_per_table(total)
        assert sum(rows.values()) == total
        assert rows["order_lines"] > rows["orders"] > rows["customers"] > rows["products"] > 0


def test_results_print_as_a_table():
    text = demo.format_table(
        {
            "columns": [{"name": "category", "type": "varchar"}, {"name": "revenue"}],
            "rows": [["books", 1234567.5], ["toys", None]],
        }
    )
    lines = text.splitlines()
    assert lines[0].split() == ["category", "revenue"]
    assert lines[2].split() == ["books", "1,234,567.50"]
    assert lines[3].split() == ["toys"]


def test_progress_off_a_terminal_is_one_line_per_stage():
    out = io.StringIO()
    bar = ProgressBar("redshift", out)
    for stage, done in (("generate", 10), ("generate", 50), ("load", 100)):
        bar.update(
            {
                "status": "running",
                "progress": {
                    "stage": stage,
                    "rows_done": done,
                    "rows_total": 100,
                    "rows_per_s": 1000.0,
                },
            }
        )
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert "10/100 rows · 1,000 rows/s · generate" in lines[0]
    assert "100% 100/100 rows" in lines[1]
    assert lines[1].endswith("· load · 0s")


def test_a_failed_job_ends_the_demo_with_its_error():
    """The gateway is faked here: the demo's own reporting of a failure is what is tested."""
    job = {
        "id": "j1",
        "kind": "generate",
        "experiment": "e",
        "status": "failed",
        "error": "table orders: COPY failed: disk full",
        "progress": {"stage": "load"},
    }

    def gateway(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/jobs/j1"
        return httpx.Response(200, json=job)

    client = GatewayClient("http://gateway.test")
    client.http = httpx.Client(
        base_url="http://gateway.test", transport=httpx.MockTransport(gateway)
    )
    runner = demo.Demo(client, io.StringIO(), poll_s=0)
    with pytest.raises(demo.DemoFailed) as err:
        runner._wait("j1", bar=None)
    assert str(err.value) == (
        "generate job j1 of e failed during load: table orders: COPY failed: disk full"
    )


def test_an_unreachable_gateway_says_how_to_start_the_stack():
    client = GatewayClient("http://127.0.0.1:9")  # discard port: nothing answers
    with pytest.raises(demo.ApiError, match="make demo"):
        demo.Demo(client, io.StringIO()).run()
