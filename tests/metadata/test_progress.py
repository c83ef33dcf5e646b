"""A job's progress as the gateway shows it: computed from the run, parts and table reports."""

import pytest

from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus
from dwsim_shared.contracts.metadata import TableReport
from dwsim_shared.metadata_client import MetadataClient
from tests.metadata.test_runs import new_run, part


def _generate_job(client: MetadataClient, experiment: str):  # type: ignore[no-untyped-def]
    run_id = f"{experiment}_run"
    job = client.create_job(JobKind.GENERATE, experiment, run_id=run_id)
    client.create_run(new_run(experiment, run_id, {"customers": 100, "orders": 500}))
    return job, run_id


def test_progress_before_anything_is_staged(client: MetadataClient, experiment) -> None:
    job, _ = _generate_job(client, experiment.name)
    progress = client.get_job(job.id).progress
    assert progress.stage is None
    assert (progress.rows_total, progress.rows_done, progress.bytes) == (600, 0, 0)
    assert list(progress.tables) == ["customers", "orders"]
    assert progress.tables["orders"].rows_total == 500
    assert progress.tables["orders"].rows_loaded is None
    assert progress.rows_per_s is None
    assert progress.eta_s is None


def test_progress_through_a_generate_job(client: MetadataClient, experiment) -> None:
    job, run_id = _generate_job(client, experiment.name)
    client.transition(job.id, JobStatus.RUNNING)
    client.report_stage(job.id, JobStage.PLAN)
    client.report_stage(job.id, JobStage.GENERATE, {"plan": 0.5})
    client.report_parts(run_id, [part("customers", 0), part("orders", 0), part("orders", 1)])
    client.report_parts(run_id, [part("orders", 1)])  # a redelivered chunk counts once

    progress = client.get_job(job.id).progress
    assert progress.stage == JobStage.GENERATE
    assert progress.timings == {"plan": 0.5}
    assert (progress.rows_done, progress.rows_total, progress.bytes) == (300, 600, 3000)
    orders = progress.tables["orders"]
    assert (orders.rows_done, orders.rows_total, orders.files, orders.bytes) == (200, 500, 2, 2000)
    assert progress.rows_per_s is not None
    assert progress.rows_per_s > 0
    assert progress.eta_s == pytest.approx((600 - 300) / progress.rows_per_s, abs=0.1)

    client.report_stage(job.id, JobStage.STAGE, {"generate": 2.0})
    client.report_stage(job.id, JobStage.LOAD, {"stage": 0.1})
    client.report_stage(job.id, JobStage.LOAD, {"stage": 0.2})  # set, not added
    client.report_tables(job.id, {"customers": TableReport(rows_loaded=100)})
    client.report_tables(job.id, {"customers": TableReport(rows_loaded=100)})
    progress = client.get_job(job.id).progress
    assert progress.timings == {"plan": 0.5, "generate": 2.0, "stage": 0.2}
    assert progress.tables["customers"].rows_loaded == 100
    assert progress.tables["orders"].rows_loaded is None
    assert progress.rows_per_s is None  # no longer generating

    client.report_stage(job.id, JobStage.LOAD, {"load": 1.0})
    done = client.transition(job.id, JobStatus.SUCCEEDED)
    assert done.progress.timings["load"] == 1.0
    assert done.progress.rows_done == 300


def test_table_reports_override_and_keep_each_other(client: MetadataClient, experiment) -> None:
    """rows_total reported by the job wins over the run's request; each figure is kept apart."""
    job, _ = _generate_job(client, experiment.name)
    client.report_tables(job.id, {"orders": TableReport(rows_total=450)})
    client.report_tables(job.id, {"orders": TableReport(rows_loaded=10)})
    client.report_tables(job.id, {"extra": TableReport(rows_total=7)})
    progress = client.get_job(job.id).progress
    assert progress.tables["orders"].rows_total == 450
    assert progress.tables["orders"].rows_loaded == 10
    assert progress.tables["extra"].rows_total == 7
    assert progress.rows_total == 100 + 450 + 7


def test_load_job_without_run(client: MetadataClient, experiment) -> None:
    job = client.create_job(JobKind.LOAD, experiment.name)
    client.transition(job.id, JobStatus.RUNNING)
    client.report_stage(job.id, JobStage.LOAD)
    detail = client.report_tables(job.id, {"orders": TableReport(rows_total=500, rows_loaded=250)})
    assert detail.progress.tables["orders"].rows_loaded == 250
    assert detail.progress.rows_total == 500
    assert detail.progress.rows_done == 0
