"""Speaking to the running stack as a user would: HTTP only, polling jobs to their end."""

import time
from typing import Any

import httpx

TERMINAL = {"succeeded", "failed", "cancelled"}


def wait_job(client: httpx.Client, job_id: str, timeout: float = 180.0) -> dict[str, Any]:
    """Poll ``GET /api/jobs/{id}`` until the job ends; fail with its last state otherwise."""
    deadline = time.monotonic() + timeout
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = client.get(f"/api/jobs/{job_id}")
        assert response.status_code == 200, response.text
        job = response.json()
        if job["status"] in TERMINAL:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not end within {timeout}s: {job}")


def query(client: httpx.Client, experiment: str, sql: str, **body: Any) -> dict[str, Any]:
    response = client.post(f"/api/experiments/{experiment}/query", json={"sql": sql, **body})
    assert response.status_code == 200, response.text
    return response.json()


def scalar(client: httpx.Client, experiment: str, sql: str) -> Any:
    result = query(client, experiment, sql)
    return result["rows"][0][0]
