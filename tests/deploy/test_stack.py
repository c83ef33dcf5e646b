"""The whole stack (`stack` fixture: `dwsim up --detach` on free ports) works as a user sees it."""

import re
import subprocess

import httpx

from tests.fixtures.servers import bin_path


def test_every_dependency_of_the_gateway_is_ok(stack):
    health = httpx.get(f"{stack.gateway_url}/health", timeout=10).json()
    assert health["status"] == "ok", health
    names = {d["name"] for d in health["dependencies"]}
    assert {"metadata", "query", "redis", "s3"} <= names
    assert all(d["status"] == "ok" for d in health["dependencies"]), health

    log = stack.log_text()
    for name in (
        "s3",
        "redis",
        "snowflake",
        "redshift",
        "metadata",
        "query",
        "generator",
        "loader",
        "gateway",
    ):
        assert re.search(rf"^up +\| {name} is ready$", log, re.MULTILINE), name


def test_the_database_named_in_the_url_was_created(stack):
    import psycopg2

    psycopg2.connect(stack.postgres_url).close()  # did not exist before `dwsim up`


def test_the_demo_runs_end_to_end_over_the_api(stack):
    result = subprocess.run(
        [bin_path("dwsim"), "demo", "--url", stack.gateway_url, "--rows", "20000"],
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for warehouse in ("redshift", "snowflake"):
        assert f"== {warehouse}: revenue per product category" in output
    assert output.count("category") >= 2
    assert "timings:" in output
    assert f"docs  {stack.gateway_url}/docs" in output
