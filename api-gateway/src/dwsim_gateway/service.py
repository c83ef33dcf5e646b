"""The gateway's logic, free of HTTP: check a request, write to the metadata service, enqueue.

A task is enqueued only after the metadata write it works for returned (decision 6), and a
job whose task could not be enqueued is marked failed at once, so none waits forever.
"""

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID, uuid4

from celery import Celery
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from dwsim_gateway import intake
from dwsim_gateway.config import Settings
from dwsim_gateway.errors import ConflictError, NotFoundError, UnavailableError
from dwsim_shared.celery_app import send
from dwsim_shared.contracts.api import (
    ExperimentCreateRequest,
    ExperimentPatch,
    GenerateAccepted,
    GenerateRequest,
    LoadRequest,
)
from dwsim_shared.contracts.enums import JobKind, JobStatus, RunStatus
from dwsim_shared.contracts.jobs import GenerationRun, Job, JobDetail
from dwsim_shared.contracts.metadata import ExperimentRecord, ExperimentSummary
from dwsim_shared.contracts.tasks import TaskName, TaskPayload
from dwsim_shared.logs import bind, log_event
from dwsim_shared.metadata_client import ConflictError as MetadataConflictError
from dwsim_shared.metadata_client import MetadataClient, MetadataError, MetadataUnavailableError

log = logging.getLogger("dwsim_gateway")

# what a failed publish to Redis raises: kombu's wrapped errors, or redis-py's and the socket's
ENQUEUE_ERRORS = (KombuError, RedisError, OSError)


def public(job: JobDetail) -> Job:
    """The public shape of a job: the operator's traceback stays in the metadata service."""
    return Job.model_validate(job.model_dump(exclude={"traceback"}))


def new_run_id(now: datetime | None = None) -> str:
    """``r20250102143005_1a2b3c``: sorts by time, and is a valid name in S3 keys and SQL."""
    now = now or datetime.now(UTC)
    return f"r{now:%Y%m%d%H%M%S}_{secrets.token_hex(3)}"


def safe_url(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + host))


class GatewayService:
    def __init__(
        self,
        settings: Settings,
        metadata: MetadataClient,
        celery: Celery,
        run_ids: Callable[[], str] = new_run_id,
    ):
        self.settings = settings
        self.metadata = metadata
        self.celery = celery
        self.run_ids = run_ids

    # experiments

    def create_experiment(self, request: ExperimentCreateRequest) -> tuple[ExperimentRecord, Job]:
        """Store the experiment, then queue its materialize job; undone if it cannot be queued."""
        experiment = intake.experiment_from_request(request)
        record = self.metadata.create_experiment(experiment)
        log_event(log, "gateway.experiment_created", experiment=experiment.name)
        try:
            job = self._start(JobKind.MATERIALIZE, experiment.name, TaskName.MATERIALIZE)
        except (UnavailableError, MetadataError, MetadataUnavailableError):
            self._forget(experiment.name)
            raise
        return record, job

    def list_experiments(self) -> list[ExperimentSummary]:
        return self.metadata.list_experiments()

    def get_experiment(self, name: str) -> ExperimentRecord:
        return self.metadata.get_experiment(name)

    def patch_experiment(self, name: str, patch: ExperimentPatch) -> ExperimentRecord:
        record = self.metadata.get_experiment(name)
        experiment = intake.apply_patch(record.schema_, patch, self.settings.max_rows)
        updated = self.metadata.replace_experiment(experiment)
        log_event(log, "gateway.experiment_patched", experiment=name, tables=sorted(patch.tables))
        return updated

    def delete_experiment(self, name: str) -> Job:
        """Queue a drop job: the loader drops the warehouse objects, staged data and record."""
        self.metadata.get_experiment(name)
        return self._start(JobKind.DROP, name, TaskName.DROP)

    # runs and jobs on an experiment

    def generate(self, name: str, request: GenerateRequest) -> GenerateAccepted:
        experiment = self.metadata.get_experiment(name).schema_
        rows = intake.rows_for_run(experiment, request.rows, self.settings.max_rows)
        run_id = self.run_ids()
        job = self._start(
            JobKind.GENERATE,
            name,
            TaskName.GENERATE_RUN,
            run_id=run_id,
            seed=request.seed or 0,
            rows=rows,
            chunk_rows=request.chunk_rows,
            load=request.load,
        )
        return GenerateAccepted(job_id=job.id, run_id=run_id)

    def load(self, name: str, request: LoadRequest) -> Job:
        run = self._run_to_load(name, request.run_id)
        return self._start(JobKind.LOAD, name, TaskName.LOAD_RUN, run_id=run.id)

    def reset(self, name: str) -> Job:
        self.metadata.get_experiment(name)
        return self._start(JobKind.RESET, name, TaskName.RESET)

    def list_runs(self, name: str) -> list[GenerationRun]:
        return self.metadata.list_runs(name)

    def get_job(self, job_id: UUID) -> Job:
        return public(self.metadata.get_job(job_id))

    def cancel_job(self, job_id: UUID) -> Job:
        """Move the job to cancelled; its tasks see that at their next report and stop."""
        job = self.metadata.get_job(job_id)
        if not job.status.is_terminal:
            try:
                job = self.metadata.transition(job_id, JobStatus.CANCELLED)
                log_event(log, "gateway.job_cancelled", job_id=job_id, kind=job.kind)
                return public(job)
            except MetadataConflictError:
                job = self.metadata.get_job(job_id)  # it finished meanwhile
        if job.status == JobStatus.CANCELLED:
            return public(job)  # cancelling twice is not an error
        raise ConflictError(
            f"job {job_id} has already finished ({job.status.value}); it cannot be cancelled"
        )

    # helpers

    def _run_to_load(self, name: str, run_id: str | None) -> GenerationRun:
        runs = self.metadata.list_runs(name)  # newest first; 404 for an unknown experiment
        if run_id is None:
            for run in runs:
                if run.status == RunStatus.COMPLETED:
                    return run
            raise NotFoundError(f"experiment {name} has no completed run; generate first")
        for run in runs:
            if run.id == run_id:
                if run.status != RunStatus.COMPLETED:
                    raise ConflictError(
                        f"run {run_id} is {run.status.value}; only a completed run can be loaded"
                    )
                return run
        raise NotFoundError(f"experiment {name} has no run {run_id}")

    def _start(self, kind: JobKind, experiment: str, task: TaskName, **fields: Any) -> Job:
        """Create the job (the metadata service enforces one active job), then enqueue it."""
        job_id = uuid4()
        run_id = fields.get("run_id")
        job = self.metadata.create_job(kind, experiment, run_id=run_id, job_id=job_id)
        payload = task.payload(job_id=job_id, experiment=experiment, **fields)
        self._enqueue(job, task, payload)
        return public(job)

    def _enqueue(self, job: JobDetail, task: TaskName, payload: TaskPayload) -> None:
        with bind(job_id=job.id, experiment=job.experiment):
            try:
                send(
                    self.celery,
                    task,
                    payload,
                    ignore_result=True,  # progress and outcome go to the metadata service
                    retry=True,
                    retry_policy={
                        "max_retries": self.settings.enqueue_retries,
                        "interval_start": 0.1,
                        "interval_step": 0.2,
                        "interval_max": 0.5,
                    },
                )
            except ENQUEUE_ERRORS as exc:
                message = (
                    f"could not queue the {job.kind.value} job: Redis at "
                    f"{safe_url(self.settings.redis_url)} does not answer ({exc}); start Redis "
                    "(dwsim up starts one) or set DWSIM_REDIS_URL, then try again"
                )
                log_event(log, "gateway.enqueue_failed", logging.ERROR, task=task.value)
                self._fail(job.id, message)
                raise UnavailableError(message) from None
            log_event(log, "gateway.enqueued", task=task.value, kind=job.kind)

    def _fail(self, job_id: UUID, message: str) -> None:
        try:
            self.metadata.transition(job_id, JobStatus.FAILED, error=message)
        except (MetadataError, MetadataUnavailableError) as exc:  # e.g. cancelled meanwhile
            log_event(log, "gateway.fail_refused", logging.WARNING, job_id=job_id, detail=str(exc))

    def _forget(self, name: str) -> None:
        """Remove an experiment whose materialize job could not be queued."""
        try:
            self.metadata.delete_experiment(name)
        except Exception:  # the caller's error is the one to report
            log.exception("gateway.rollback_failed", extra={"fields": {"experiment": name}})
