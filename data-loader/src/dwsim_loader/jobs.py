"""The loader's jobs: each moves its job through its states around one service operation.

One function per task name, taking the task's payload model and a ``JobContext``; the Celery
tasks (``tasks.py``) only validate, retry and catch. A job's progress is reported as the work
goes: ``rows_total`` from the run's manifest, then ``rows_loaded`` table by table.
"""

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from dwsim_loader.service import LoaderService, TableLoad
from dwsim_shared.contracts.enums import JobKind, JobStage, Warehouse
from dwsim_shared.contracts.jobs import JobDetail
from dwsim_shared.contracts.metadata import TableReport
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.tasks import (
    DropPayload,
    LoadRunPayload,
    MaterializePayload,
    ResetPayload,
    TaskPayload,
)
from dwsim_shared.errors import DwsimError
from dwsim_shared.logs import log_event
from dwsim_shared.metadata_client import MetadataClient, NotFoundError
from dwsim_shared.reporter import JobReporter
from dwsim_shared.warehouses import QueryCancelledError

logger = logging.getLogger("dwsim_loader.jobs")


class ExperimentMissingError(DwsimError):
    """The job's experiment is not (or no longer) in the metadata service."""


@dataclass
class JobContext:
    metadata: MetadataClient
    reporter: JobReporter
    service: LoaderService


def experiment_of(ctx: JobContext, name: str) -> Experiment:
    """The experiment as the metadata service keeps it; its warehouse is the record's."""
    try:
        record = ctx.metadata.get_experiment(name)
    except NotFoundError:
        raise ExperimentMissingError(
            f"experiment {name} does not exist (was it deleted while this job was queued?)"
        ) from None
    schema = record.schema_
    if schema.warehouse != record.warehouse:
        schema = schema.model_copy(update={"warehouse": Warehouse(record.warehouse)})
    return schema


def blocking_materialize(metadata: MetadataClient, payload: TaskPayload) -> JobDetail | None:
    """The experiment's materialize job, while it is queued or running (its tables may not exist
    yet, or be about to be replaced)."""
    for job in metadata.list_jobs(payload.experiment, active=True):
        if job.kind == JobKind.MATERIALIZE and job.id != payload.job_id:
            return job
    return None


def materialize(payload: MaterializePayload, ctx: JobContext) -> dict[str, Any]:
    experiment = experiment_of(ctx, payload.experiment)
    ctx.reporter.start(JobStage.MATERIALIZE)
    ctx.reporter.committing()  # see drop: cancelled before this, nothing is created
    ctx.service.materialize(experiment)
    log_event(logger, "loader.materialized", tables=len(experiment.tables))
    ctx.reporter.succeed()
    return {"tables": [t.name for t in experiment.tables]}


def load_run(payload: LoadRunPayload, ctx: JobContext) -> dict[str, Any]:
    """Load a staged run; a load continuing a generate job enters that job's LOAD stage."""
    experiment = experiment_of(ctx, payload.experiment)
    ctx.reporter.start(JobStage.LOAD)
    manifest = ctx.service.read_manifest(RunLayout(experiment.name, payload.run_id))
    totals = {t.name: TableReport(rows_total=manifest.tables[t.name].rows)
              for t in experiment.tables if t.name in manifest.tables}  # fmt: skip
    ctx.reporter.tables(totals, force=True)

    def loaded(load: TableLoad) -> None:
        log_event(logger, "loader.table_loaded", table=load.table, rows=load.rows,
                  seconds=load.seconds)  # fmt: skip
        ctx.reporter.tables({load.table: TableReport(rows_loaded=load.rows)}, force=True)
        ctx.reporter.check_active()  # cancelled: stop, and the whole load is rolled back

    try:  # a cancel stops the running statement; once committing, a cancel is refused
        loads = ctx.service.load_run(experiment, payload.run_id, on_table=loaded,
                                     manifest=manifest, stopping=ctx.reporter.stopping,
                                     before_commit=ctx.reporter.committing)  # fmt: skip
    except QueryCancelledError:  # stopped by the job's end: report it as such
        ctx.reporter.check_active()
        raise
    ctx.reporter.succeed()
    return {"run_id": payload.run_id, "rows_loaded": {load.table: load.rows for load in loads}}


def reset(payload: ResetPayload, ctx: JobContext) -> dict[str, Any]:
    experiment = experiment_of(ctx, payload.experiment)
    ctx.reporter.start(JobStage.RESET)
    try:  # as a load: a cancel stops the running DELETE; once committing, a cancel is refused
        ctx.service.reset(experiment, stopping=ctx.reporter.stopping,
                          before_commit=ctx.reporter.committing)  # fmt: skip
    except QueryCancelledError:  # stopped by the job's end: report it as such
        ctx.reporter.check_active()
        raise
    ctx.reporter.tables({t.name: TableReport(rows_loaded=0) for t in experiment.tables})
    log_event(logger, "loader.reset", tables=len(experiment.tables))
    ctx.reporter.succeed()
    return {"tables": [t.name for t in experiment.tables]}


def drop(payload: DropPayload, ctx: JobContext) -> dict[str, Any]:
    """Warehouse objects, then staged data, then the experiment's record (its jobs stay)."""
    ctx.reporter.start(JobStage.DROP)
    # Its statements are not one transaction that a cancel could roll back (a DROP SCHEMA, a
    # file removed, S3 objects deleted): from here a cancel is refused, so a job never ends
    # "cancelled" with its experiment gone. A cancel before this wins: nothing is dropped.
    ctx.reporter.committing()
    try:
        experiment: Experiment | None = experiment_of(ctx, payload.experiment)
    except ExperimentMissingError:  # a drop redelivered after it deleted the record
        experiment = None
    if experiment is not None:
        ctx.service.drop_warehouse(experiment)
    deleted = ctx.service.drop_staged(payload.experiment)
    if experiment is not None:
        with contextlib.suppress(NotFoundError):  # deleted meanwhile: as good
            ctx.metadata.delete_experiment(payload.experiment)
    log_event(logger, "loader.dropped", staged_objects=deleted)
    ctx.reporter.succeed()
    return {"staged_objects_deleted": deleted}
