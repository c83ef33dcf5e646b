"""A generate job through real workers: plan -> chunks -> finish, staged in S3, handed to the loader."""

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dwsim_cli.main import main
from dwsim_shared.celery_app import send
from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus, RunStatus
from dwsim_shared.contracts.jobs import RunManifest
from dwsim_shared.contracts.metadata import RunCreate
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.tasks import (
    GenerateChunkPayload,
    GenerateFinishPayload,
    LoadRunPayload,
    Queue,
    TaskName,
)
from dwsim_shared.metadata_client import NotFoundError
from tests.generator_worker.conftest import Stack

ROWS = {"customers": 2500, "orders": 6000, "order_lines": 9000}
CHUNK_ROWS = 1000
MAX_ROWS = 50_000


@pytest.fixture(scope="module")
def worker(stack: Stack) -> Iterator[list[Path]]:
    with stack.workers(concurrency=2, max_rows=MAX_ROWS) as logs:
        yield logs


def test_a_generate_job_stages_every_part_and_the_manifests(stack, worker, tmp_path):
    name = stack.new_experiment()
    payload = stack.generate(name, seed=7, rows=ROWS, chunk_rows=CHUNK_ROWS, load=False)
    job = stack.wait(payload.job_id)

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress.stage == JobStage.STAGE
    assert set(job.progress.timings) == {"plan", "generate", "stage"}
    assert job.progress.rows_done == job.progress.rows_total == sum(ROWS.values())
    assert {t: p.rows_done for t, p in job.progress.tables.items()} == ROWS
    run = stack.client.get_run(payload.run_id)
    assert run.status == RunStatus.COMPLETED
    assert run.finished_at is not None
    assert set(run.timings) == {"plan", "generate", "stage"}
    assert run.rows == run.rows_requested == ROWS
    assert run.files == 3 + 6 + 9

    layout = RunLayout(name, payload.run_id)
    objects = stack.objects(layout.prefix)
    manifest = RunManifest.model_validate_json(objects[layout.manifest_key])
    assert {t: m.rows for t, m in manifest.tables.items()} == ROWS
    assert list(manifest.tables) == ["customers", "orders", "order_lines"]  # parents first
    assert (manifest.seed, manifest.chunk_rows, manifest.run_id) == (7, 1000, payload.run_id)
    parts = {f"{layout.prefix}{f.key}": f for m in manifest.tables.values() for f in m.files}
    expected = {layout.part_key(t, c) for t, n in ROWS.items() for c in range(-(-n // CHUNK_ROWS))}
    assert set(parts) == expected
    assert all(len(objects[key]) == f.bytes for key, f in parts.items())
    for table in ROWS:
        redshift = json.loads(objects[layout.redshift_manifest_key(table)])
        urls = [e["url"] for e in redshift["entries"]]
        assert urls == [f"s3://{stack.bucket}/{k}" for k in sorted(parts) if f"/{table}/" in k]
    assert set(objects) == expected | {layout.manifest_key} | {
        layout.redshift_manifest_key(t) for t in ROWS
    }
    lines = pa.concat_tables(
        pq.read_table(pa.BufferReader(objects[layout.part_key("order_lines", c)])) for c in range(9)
    )
    assert lines.num_rows == 9000
    assert lines.column_names == ["order_id", "line_no", "qty"]

    # the same request through `dwsim generate` writes the same bytes, part for part
    experiment = tmp_path / "shop.json"
    experiment.write_text(stack.client.get_experiment(name).schema_.model_dump_json())
    out = tmp_path / "cli"
    rows = [f"{t}={n}" for t, n in ROWS.items()]
    code = main(["generate", str(experiment), "--out", str(out), "--seed", "7",
                 "--chunk-rows", str(CHUNK_ROWS), "--rows", *rows])  # fmt: skip
    assert code == 0
    for key in expected:
        assert (out / key.removeprefix(layout.prefix)).read_bytes() == objects[key], key
    cli_manifest = RunManifest.model_validate_json((out / "manifest.json").read_text())
    assert cli_manifest.tables == manifest.tables
    assert cli_manifest.schema_hash == manifest.schema_hash


def test_with_load_the_run_is_handed_to_the_loader(stack, worker):
    name = stack.new_experiment()
    payload = stack.generate(name, seed=1, rows=ROWS, chunk_rows=CHUNK_ROWS, load=True)
    job = stack.wait(payload.job_id, until=lambda j: j.progress.stage == JobStage.LOAD)

    assert job.status == JobStatus.RUNNING  # the loader ends it
    assert {"plan", "generate", "stage"} <= set(job.progress.timings)
    assert stack.client.get_run(payload.run_id).status == RunStatus.COMPLETED
    loads = _queued_loads(stack, payload.run_id)
    expected = LoadRunPayload(job_id=payload.job_id, experiment=name, run_id=payload.run_id,
                              continues_generate=True)  # fmt: skip
    assert loads == [
        {"task": TaskName.LOAD_RUN.value, "args": [expected.model_dump(mode="json")], "kwargs": {}}
    ]
    layout = RunLayout(name, payload.run_id)
    assert layout.manifest_key in stack.objects(layout.prefix)


def _queued_loads(stack: Stack, run_id: str) -> list[dict]:
    """The load messages of a run on the loader's queue, once there is one: the finish moves
    the job to its load stage first, then sends the message (a poll can come in between)."""
    deadline = time.monotonic() + 10
    while True:
        loads = [m for m in stack.queued(Queue.LOADER) if m["args"][0]["run_id"] == run_id]
        if loads or time.monotonic() > deadline:
            return loads
        time.sleep(0.05)


def test_a_request_over_the_row_limit_is_refused_naming_the_limit(stack, worker):
    name = stack.new_experiment()
    payload = stack.generate(name, rows={**ROWS, "orders": 60_000}, chunk_rows=CHUNK_ROWS)
    job = stack.wait(payload.job_id)

    assert job.status == JobStatus.FAILED
    assert job.error == (
        "orders: 60,000 rows were requested, above the limit of 50,000 rows per table "
        "(DWSIM_MAX_ROWS); ask for fewer rows or raise the limit"
    )
    with pytest.raises(NotFoundError):
        stack.client.get_run(payload.run_id)
    assert stack.objects(f"experiments/{name}/") == {}


def test_an_unknown_table_fails_the_job_with_the_planners_message(stack, worker):
    name = stack.new_experiment()
    payload = stack.generate(name, rows={"customer": 10})
    job = stack.wait(payload.job_id)
    assert job.status == JobStatus.FAILED
    assert "unknown table 'customer'" in job.error


def test_the_chunks_of_a_cancelled_job_do_nothing(stack, worker):
    name = stack.new_experiment()
    run_id = "cancelled_run"
    job = stack.client.create_job(JobKind.GENERATE, name, run_id=run_id)
    stack.client.transition(job.id, JobStatus.RUNNING)
    stack.client.create_run(RunCreate(
        id=run_id, experiment=name, job_id=job.id, seed=0, chunk_rows=CHUNK_ROWS,
        rows_requested=ROWS,
        prefix=f"s3://{stack.bucket}/{RunLayout(name, run_id).prefix}"))  # fmt: skip
    stack.client.transition(job.id, JobStatus.CANCELLED)

    chunks = [
        send(stack.app, TaskName.GENERATE_CHUNK, GenerateChunkPayload(
            job_id=job.id, experiment=name, run_id=run_id, table=t, chunk=c))
        for t, c in [("customers", 0), ("orders", 1), ("order_lines", 2)]
    ]  # fmt: skip
    assert [r.get(timeout=60) for r in chunks] == [None, None, None]
    finish = send(stack.app, TaskName.GENERATE_FINISH,
                  GenerateFinishPayload(job_id=job.id, experiment=name, run_id=run_id))  # fmt: skip
    assert finish.get(timeout=60) == "skipped"

    assert stack.client.list_parts(run_id) == []
    assert stack.objects(f"experiments/{name}/") == {}
    assert stack.client.get_job(job.id).status == JobStatus.CANCELLED
    run = stack.client.get_run(run_id)
    assert run.status == RunStatus.CANCELLED
    assert run.error == (
        "the job was cancelled; the run is incomplete and its staged objects were removed"
    )
    assert all(m["args"][0]["run_id"] != run_id for m in stack.queued(Queue.LOADER))
