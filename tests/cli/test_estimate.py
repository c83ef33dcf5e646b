"""``dwsim experiment generate --dry-run``: the gateway's estimate, printed; no job started."""

import json
from collections.abc import Callable

import httpx

from dwsim_shared.contracts.api import Estimate
from dwsim_shared.cost.predict import format_estimate
from tests.cli.conftest import Result, Services


def test_dry_run_prints_the_estimate_and_starts_no_job(
    dwsim: Callable[..., Result], experiment: str, services: Services
) -> None:
    jobs = f"{services.gateway_url}/api/experiments/{experiment}/jobs"
    before = httpx.get(jobs).json()
    args = ("experiment", "generate", experiment, "--scale", "3", "--dry-run", "--workers", "2")
    printed = dwsim(*args)
    assert printed.code == 0, printed.err
    as_json = dwsim(*args, "--json")
    assert as_json.code == 0, as_json.err
    estimate = Estimate.model_validate(json.loads(as_json.out))
    assert estimate.workers == 2
    assert printed.out.strip() == format_estimate(estimate)
    assert {line.split()[0] for line in printed.out.splitlines()[1:-1]} == {
        t.table for t in estimate.tables
    }
    assert httpx.get(jobs).json() == before
    assert httpx.get(f"{services.gateway_url}/api/experiments/{experiment}/runs").json() == []


def test_dry_run_shows_the_gateways_refusal(dwsim: Callable[..., Result], experiment: str) -> None:
    refused = dwsim("experiment", "generate", experiment, "--rows", "nosuch=5", "--dry-run")
    assert refused.code != 0
    assert "has no table nosuch" in refused.err
