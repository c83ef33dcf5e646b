"""Speaking to the running stack as a user would: HTTP only, polling jobs to their end."""

import json
import subprocess
import time
from pathlib import Path
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


def generate_in_one_process(
    schema: dict[str, Any], out: Path, rows: dict[str, int], seed: int, chunk_rows: int
) -> list[str]:
    """``dwsim generate`` of the same run in one process; its parts' paths under ``out``."""
    from tests.fixtures.servers import bin_path

    out.mkdir(parents=True, exist_ok=True)
    schema_file = out.parent / f"{out.name}.experiment.json"
    schema_file.write_text(json.dumps(schema))
    subprocess.run(
        [bin_path("dwsim"), "generate", str(schema_file), "--out", str(out), "--seed", str(seed),
         "--chunk-rows", str(chunk_rows), "--rows", *[f"{t}={n}" for t, n in rows.items()]],
        check=True, capture_output=True,
    )  # fmt: skip
    return sorted(p.relative_to(out).as_posix() for p in out.glob("*/part-*.parquet"))


def assert_staged_parts_identical(s3: Any, bucket: str, prefix: str, out: Path) -> int:
    """Every part ``dwsim generate`` wrote under ``out`` is staged under ``prefix`` with the
    same bytes, and no other part is staged; how many parts there are."""
    local = sorted(p.relative_to(out).as_posix() for p in out.glob("*/part-*.parquet"))
    listing = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    staged = sorted(
        o["Key"][len(prefix) :]
        for page in listing
        for o in page.get("Contents", [])
        if "/part-" in o["Key"]
    )
    assert staged == local
    for key in local:
        body = s3.get_object(Bucket=bucket, Key=prefix + key)["Body"].read()
        assert body == (out / key).read_bytes(), key
    return len(local)
