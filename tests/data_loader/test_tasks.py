"""The loader's Celery tasks through a real worker subprocess, a real metadata service, Redis,
S3 and the warehouses: what a person polling ``GET /api/jobs/{id}`` would see."""

import time
from collections.abc import Iterator

import pytest

from dwsim_loader.service import experiment_prefix
from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus, Warehouse
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.tasks import TaskName
from dwsim_shared.metadata_client import NotFoundError
from dwsim_shared.warehouses import WarehouseError
from tests.data_loader.conftest import ROWS, WAREHOUSES
from tests.data_loader.stack import Stack, loader_stack


@pytest.fixture(scope="module")
def stack(request) -> Iterator[Stack]:
    """One worker for every warehouse: the experiment's warehouse picks the adapter."""
    with loader_stack(request, "tasks") as running:
        yield running


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=str)
def test_materialize_then_load_reports_rows_loaded_per_table(stack, warehouse):
    experiment = stack.materialized(warehouse)
    assert stack.service.count_rows(experiment) == dict.fromkeys(ROWS, 0)
    run_id = stack.stage(experiment)

    job = stack.jobs.run(TaskName.LOAD_RUN, JobKind.LOAD, experiment.name, run_id=run_id)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress.stage == JobStage.LOAD
    assert {t: p.rows_loaded for t, p in job.progress.tables.items()} == ROWS
    assert {t: p.rows_total for t, p in job.progress.tables.items()} == ROWS
    assert stack.service.count_rows(experiment) == ROWS

    again = stack.jobs.run(TaskName.LOAD_RUN, JobKind.LOAD, experiment.name, run_id=run_id)
    assert again.status == JobStatus.SUCCEEDED, again.error
    assert stack.service.count_rows(experiment) == ROWS  # never duplicated
    stack.service.drop_warehouse(experiment)


def test_reset_empties_every_table(stack):
    experiment = stack.materialized(Warehouse.SQLITE)
    run_id = stack.stage(experiment)
    stack.jobs.run(TaskName.LOAD_RUN, JobKind.LOAD, experiment.name, run_id=run_id)
    assert stack.service.count_rows(experiment) == ROWS

    job = stack.jobs.run(TaskName.RESET, JobKind.RESET, experiment.name)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert stack.service.count_rows(experiment) == dict.fromkeys(ROWS, 0)
    assert {t: p.rows_loaded for t, p in job.progress.tables.items()} == dict.fromkeys(ROWS, 0)


@pytest.mark.parametrize("warehouse", [Warehouse.SQLITE, Warehouse.REDSHIFT], ids=str)
def test_drop_removes_tables_staged_objects_and_the_record(stack, warehouse):
    experiment = stack.materialized(warehouse)
    stack.stage(experiment)
    s3 = stack.service.s3
    prefix = experiment_prefix(experiment.name)
    assert s3.list_objects_v2(Bucket=stack.service.bucket, Prefix=prefix)["KeyCount"] > 0

    job = stack.jobs.run(TaskName.DROP, JobKind.DROP, experiment.name)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert s3.list_objects_v2(Bucket=stack.service.bucket, Prefix=prefix)["KeyCount"] == 0
    with pytest.raises(NotFoundError):
        stack.metadata.get_experiment(experiment.name)
    with stack.service.adapter(experiment) as adapter, pytest.raises(WarehouseError):
        adapter.count_rows(experiment, "orders")  # no such table, schema or file any more
    assert stack.metadata.get_job(job.id).status == JobStatus.SUCCEEDED  # jobs stay as history


@pytest.mark.parametrize("warehouse", [Warehouse.REDSHIFT, Warehouse.SNOWFLAKE], ids=str)
def test_a_copy_the_warehouse_rejects_fails_the_job_with_its_message(stack, warehouse):
    experiment = stack.materialized(warehouse)
    run_id = stack.stage(experiment)
    key = RunLayout(experiment.name, run_id).part_key("order_lines", 1)
    stack.service.s3.put_object(Bucket=stack.service.bucket, Key=key, Body=b"not parquet")

    job = stack.jobs.run(TaskName.LOAD_RUN, JobKind.LOAD, experiment.name, run_id=run_id)
    assert job.status == JobStatus.FAILED
    assert f"{warehouse}, table order_lines:" in job.error
    assert "part-00001.parquet" in job.error
    assert "Traceback" not in job.error
    assert "Traceback" in stack.metadata.get_job(job.id).traceback
    # the load is one transaction: every table, the parents loaded before it too, as it was
    assert stack.service.count_rows(experiment) == dict.fromkeys(ROWS, 0)
    stack.service.drop_warehouse(experiment)


def test_a_run_that_is_not_staged_fails_the_job_naming_it(stack):
    experiment = stack.materialized(Warehouse.SQLITE)
    job = stack.jobs.run(TaskName.LOAD_RUN, JobKind.LOAD, experiment.name, run_id="nope")
    assert job.status == JobStatus.FAILED
    assert f"run nope of experiment {experiment.name} is not staged" in job.error


def test_a_load_waits_for_the_materialize_job_of_its_experiment(stack):
    experiment = stack.experiment(Warehouse.SQLITE)
    run_id = stack.stage(experiment)
    materialize = stack.jobs.create(JobKind.MATERIALIZE, experiment.name)
    load = stack.jobs.create(JobKind.LOAD, experiment.name, run_id=run_id)
    stack.jobs.send(TaskName.LOAD_RUN, TaskName.LOAD_RUN.payload(
        job_id=load.id, experiment=experiment.name, run_id=run_id))  # fmt: skip
    time.sleep(2)  # the load's task has run (and retried) meanwhile
    assert stack.metadata.get_job(load.id).status == JobStatus.QUEUED

    stack.jobs.send(TaskName.MATERIALIZE, TaskName.MATERIALIZE.payload(
        job_id=materialize.id, experiment=experiment.name))  # fmt: skip
    assert stack.jobs.wait(materialize.id).status == JobStatus.SUCCEEDED
    done = stack.jobs.wait(load.id)
    assert done.status == JobStatus.SUCCEEDED, done.error
    assert stack.service.count_rows(experiment) == ROWS


def test_a_load_continuing_a_generate_job_keeps_its_earlier_stages(stack):
    experiment = stack.materialized(Warehouse.SQLITE)
    run_id = stack.stage(experiment)
    job = stack.jobs.create(JobKind.GENERATE, experiment.name, run_id=run_id)
    stack.metadata.transition(job.id, JobStatus.RUNNING)
    stack.metadata.report_stage(job.id, JobStage.GENERATE)
    stack.metadata.report_stage(job.id, JobStage.STAGE, {"generate": 1.5})
    stack.jobs.send(TaskName.LOAD_RUN, TaskName.LOAD_RUN.payload(
        job_id=job.id, experiment=experiment.name, run_id=run_id, continues_generate=True))  # fmt: skip

    done = stack.jobs.wait(job.id)
    assert done.status == JobStatus.SUCCEEDED, done.error
    assert done.kind == JobKind.GENERATE
    assert done.progress.stage == JobStage.LOAD
    assert done.progress.timings["generate"] == 1.5
    assert "load" in done.progress.timings
    assert {t: p.rows_loaded for t, p in done.progress.tables.items()} == ROWS


def test_a_payload_the_task_cannot_read_fails_its_job(stack):
    experiment = stack.experiment(Warehouse.SQLITE)
    job = stack.jobs.create(JobKind.LOAD, experiment.name)
    stack.jobs.send(TaskName.LOAD_RUN, {"job_id": str(job.id), "experiment": experiment.name})
    done = stack.jobs.wait(job.id)
    assert done.status == JobStatus.FAILED
    assert "run_id" in done.error
