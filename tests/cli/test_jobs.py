"""``dwsim experiment generate|load|reset|runs`` and ``dwsim job ...`` against a real gateway.

No worker runs here: a test that needs a job to move plays the worker itself, reporting to
the metadata service exactly as the generator and the loader do, while the command watches.
"""

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from uuid import uuid4

import pytest

from dwsim_shared.contracts.enums import JobStage, JobStatus, RunStatus
from dwsim_shared.contracts.jobs import StagedPart
from dwsim_shared.contracts.metadata import RunCreate, TableReport
from dwsim_shared.metadata_client import MetadataClient
from tests.cli.conftest import Result, Services

Dwsim = Callable[..., Result]
ROWS = {"customers": 1000, "orders": 5000}


@pytest.fixture
def metadata(services: Services) -> Iterator[MetadataClient]:
    with MetadataClient(services.metadata_url) as client:
        yield client


def generate(dwsim: Dwsim, experiment: str, *args: str) -> dict:
    result = dwsim("experiment", "generate", experiment, "--json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_generate_queues_a_run_and_says_how_to_follow_it(dwsim: Dwsim, experiment: str) -> None:
    result = dwsim(
        "experiment", "generate", experiment, "--seed", "7", "--rows", "orders=2500", "--no-load"
    )

    assert result.code == 0, result.err
    match = re.search(r"generating run (r\d{14}_[0-9a-f]{6}) of (\S+): 3,500 rows", result.out)
    assert match
    assert match.group(2) == experiment
    job_id = result.out.split("dwsim job watch ")[1].split("`")[0]
    job = json.loads(dwsim("job", "show", job_id, "--json").out)
    assert (job["kind"], job["status"], job["run_id"]) == ("generate", "queued", match.group(1))


def test_a_second_generate_while_one_is_active_is_exit_4(dwsim: Dwsim, experiment: str) -> None:
    first = generate(dwsim, experiment)

    second = dwsim("experiment", "generate", experiment)

    assert second.code == 4
    assert str(first["job_id"]) in second.err


def test_cancel_then_watch_a_cancelled_job_is_exit_1(dwsim: Dwsim, experiment: str) -> None:
    job_id = str(generate(dwsim, experiment)["job_id"])

    cancelled = dwsim("job", "cancel", job_id)
    watched = dwsim("job", "watch", job_id)
    as_json = dwsim("job", "watch", job_id, "--json")

    assert cancelled.code == 0
    assert f"generate job {job_id} on {experiment} was cancelled" in cancelled.out
    assert watched.code == 1
    assert f"generate job {job_id} on {experiment} was cancelled" in watched.err
    assert as_json.code == 1
    assert json.loads(as_json.out)["status"] == "cancelled"


def test_job_show_and_its_errors(dwsim: Dwsim, experiment: str) -> None:
    job_id = str(generate(dwsim, experiment, "--rows", "orders=10")["job_id"])

    shown = dwsim("job", "show", job_id)
    unknown = dwsim("job", "show", str(uuid4()))
    malformed = dwsim("job", "show", "12")

    assert shown.code == 0
    assert shown.out.startswith(f"generate job {job_id} on {experiment}: queued")
    assert unknown.code == 3
    assert malformed.code == 2
    assert "job_id: Input should be a valid UUID" in malformed.err


def test_load_without_a_completed_run_is_exit_3(dwsim: Dwsim, experiment: str) -> None:
    result = dwsim("experiment", "load", experiment)
    assert result.code == 3
    assert f"experiment {experiment} has no completed run; generate first" in result.err


def test_runs_and_load_of_a_named_run(
    dwsim: Dwsim, experiment: str, metadata: MetadataClient
) -> None:
    run_id = "r20250101000000_abcdef"
    metadata.create_run(
        RunCreate(
            id=run_id,
            experiment=experiment,
            seed=3,
            chunk_rows=1000,
            rows_requested=ROWS,
            prefix=f"s3://dwsim/experiments/{experiment}/runs/{run_id}/",
        )
    )
    metadata.update_run(run_id, status=RunStatus.COMPLETED, finished=True)

    runs = dwsim("experiment", "runs", experiment)
    loaded = dwsim("experiment", "load", experiment, "--run", run_id, "--json")
    missing = dwsim("experiment", "load", experiment, "--run", "r_nope")

    assert runs.code == 0
    assert runs.out.splitlines()[1].split()[:4] == [run_id, "completed", "3", "6,000"]
    assert loaded.code == 0, loaded.err
    job = json.loads(loaded.out)
    assert (job["kind"], job["run_id"]) == ("load", run_id)
    assert missing.code == 3


def test_reset_queues_a_job(dwsim: Dwsim, experiment: str) -> None:
    result = dwsim("experiment", "reset", experiment)
    assert result.code == 0, result.err
    assert re.search(
        rf"emptying the tables of {experiment}: job [0-9a-f-]{{36}} queued", result.out
    )


def play_generate(metadata: MetadataClient, job_id: str, run_id: str, experiment: str) -> None:
    """What the generator and the loader report for a run of ROWS, a few steps at a time."""
    step = 0.3
    metadata.transition(job_id, JobStatus.RUNNING)
    metadata.report_stage(job_id, JobStage.PLAN)
    metadata.create_run(
        RunCreate(
            id=run_id, experiment=experiment, job_id=job_id, seed=0, chunk_rows=2500,
            rows_requested=ROWS, prefix=f"s3://dwsim/experiments/{experiment}/runs/{run_id}/",
        )
    )  # fmt: skip
    metadata.report_tables(job_id, {t: TableReport(rows_total=n) for t, n in ROWS.items()})
    metadata.report_stage(job_id, JobStage.GENERATE, {"plan": 0.1})
    parts = [("customers", 0, 1000), ("orders", 0, 2500), ("orders", 1, 2500)]
    for table, chunk, rows in parts:
        time.sleep(step)
        key = f"{table}/part-{chunk:05d}.parquet"
        metadata.report_parts(run_id, [StagedPart(table=table, chunk=chunk, key=key, rows=rows,
                                                  bytes=rows * 20)])  # fmt: skip
    metadata.report_stage(job_id, JobStage.STAGE, {"generate": 0.9})
    metadata.report_stage(job_id, JobStage.LOAD, {"stage": 0.1})
    for table, rows in ROWS.items():
        time.sleep(step)
        metadata.report_tables(job_id, {table: TableReport(rows_loaded=rows)})
    metadata.report_stage(job_id, JobStage.LOAD, {"load": 0.6})
    metadata.transition(job_id, JobStatus.SUCCEEDED)


def test_watch_follows_a_job_through_its_stages_to_success(
    dwsim: Dwsim, experiment: str, metadata: MetadataClient
) -> None:
    accepted = generate(dwsim, experiment)
    job_id, run_id = str(accepted["job_id"]), accepted["run_id"]
    worker = threading.Thread(target=play_generate, args=(metadata, job_id, run_id, experiment))
    worker.start()

    result = dwsim("job", "watch", job_id, "--interval", "0.1")
    worker.join()

    assert result.code == 0, result.err
    said = [line for line in result.out.splitlines() if line.startswith("generate job")]
    stages = [line.rsplit(": ", 1)[1] for line in said[:-1]]
    assert "running, generate" in stages
    assert "running, load" in stages
    assert stages[-1] == "succeeded, load"
    bars = {line.split()[0]: line.split() for line in result.out.splitlines() if "━" in line}
    assert "1,000/1,000" in bars["customers"]
    assert "done" in bars["customers"]
    assert "5,000/5,000" in bars["orders"]
    assert said[-1].startswith(f"generate job {job_id} on {experiment} succeeded in")
    assert "6,000 rows" in said[-1]
    assert f"run {run_id}" in said[-1]


def test_watch_of_a_failing_job_prints_its_error_and_exits_1(
    dwsim: Dwsim, experiment: str, metadata: MetadataClient
) -> None:
    job_id = str(generate(dwsim, experiment)["job_id"])

    def fail() -> None:
        metadata.transition(job_id, JobStatus.RUNNING)
        time.sleep(0.3)
        metadata.transition(job_id, JobStatus.FAILED, error="table orders: COPY refused: boom")

    worker = threading.Thread(target=fail)
    worker.start()
    watched = dwsim("job", "watch", job_id, "--interval", "0.1")
    worker.join()

    assert watched.code == 1
    assert re.search(
        rf"generate job {job_id} on {experiment} failed after [\d.]+ s: table orders: COPY "
        "refused: boom",
        watched.err,
    )
