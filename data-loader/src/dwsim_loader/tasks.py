"""The loader's Celery tasks, one per task name; each takes its payload as a JSON dict.

A task never leaves its job running: whatever goes wrong, the job ends failed with a message a
person can act on (the traceback is kept apart, for the operator). Three waits are retries with
a countdown, not failures: the experiment's materialize job still queued or running (a load,
reset or drop would find no tables, or have them replaced under it), the metadata service not
answering (it may be restarting), and a load or reset whose warehouse was lost or did not
answer (an emulator restarting; the job stays running meanwhile, and its error, if the retries
run out, says how many times it was tried).
"""

import logging
from collections.abc import Callable
from typing import Any
from uuid import UUID

from celery import Task, shared_task
from celery.exceptions import Retry
from pydantic import ValidationError

from dwsim_loader import jobs
from dwsim_loader.config import Settings, get_settings
from dwsim_loader.service import LoaderService
from dwsim_shared.contracts.tasks import TaskName, TaskPayload
from dwsim_shared.errors import DwsimError
from dwsim_shared.logs import bind, log_event
from dwsim_shared.metadata_client import MetadataClient, MetadataUnavailableError
from dwsim_shared.reporter import JobFinishedError, JobReporter
from dwsim_shared.warehouses import WarehouseUnavailableError

logger = logging.getLogger("dwsim_loader.tasks")

Work = Callable[[Any, jobs.JobContext], dict[str, Any]]

# One transaction each that replaces what it touches: tried again when the warehouse was lost.
RETRIED_WHEN_WAREHOUSE_LOST = frozenset({TaskName.LOAD_RUN, TaskName.RESET})


class MaterializeStillActiveError(DwsimError):
    pass


class InvalidPayloadError(DwsimError):
    pass


@shared_task(name=TaskName.MATERIALIZE.value, bind=True, max_retries=None)
def materialize(self: Task, payload: dict) -> dict[str, Any]:
    return run_task(self, TaskName.MATERIALIZE, payload, jobs.materialize)


@shared_task(name=TaskName.LOAD_RUN.value, bind=True, max_retries=None)
def load_run(self: Task, payload: dict) -> dict[str, Any]:
    return run_task(self, TaskName.LOAD_RUN, payload, jobs.load_run, after_materialize=True)


@shared_task(name=TaskName.RESET.value, bind=True, max_retries=None)
def reset(self: Task, payload: dict) -> dict[str, Any]:
    return run_task(self, TaskName.RESET, payload, jobs.reset, after_materialize=True)


@shared_task(name=TaskName.DROP.value, bind=True, max_retries=None)
def drop(self: Task, payload: dict) -> dict[str, Any]:
    return run_task(self, TaskName.DROP, payload, jobs.drop, after_materialize=True)


def run_task(
    task: Task,
    name: TaskName,
    raw: Any,
    work: Work,
    after_materialize: bool = False,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Validate the payload, wait if need be, run ``work``, and end the job whatever happens."""
    settings = settings or get_settings()
    job_id = _job_id(raw)
    experiment = raw.get("experiment") if isinstance(raw, dict) else None
    with (
        bind(job_id=job_id, experiment=experiment, task=name.value),
        MetadataClient(settings.metadata_url) as metadata,
    ):
        reporter = JobReporter(metadata, job_id) if job_id else None
        try:
            payload = _payload(name, raw)
            assert reporter is not None  # a valid payload has a job id
            with reporter.heartbeats(
                settings.job_heartbeat_interval_s, settings.job_cancel_check_interval_s
            ):
                if after_materialize:
                    _wait_for_materialize(task, metadata, payload, settings)
                ctx = jobs.JobContext(metadata, reporter, LoaderService(settings))
                log_event(logger, "loader.task_started")
                result = work(payload, ctx)
            log_event(logger, "loader.task_succeeded", **result)
            return {"status": "succeeded", **result}
        except Retry:
            raise
        except JobFinishedError as exc:  # cancelled while it worked: stop, keep that end
            log_event(logger, "loader.task_stopped", reason=str(exc))
            return {"status": "stopped", "reason": str(exc)}
        except MetadataUnavailableError as exc:
            if task.request.retries < settings.loader_metadata_retries:
                log_event(logger, "loader.metadata_unavailable", logging.WARNING, error=str(exc))
                raise task.retry(countdown=settings.loader_metadata_retry_s) from None
            return _fail(reporter, exc)
        except WarehouseUnavailableError as exc:
            if name not in RETRIED_WHEN_WAREHOUSE_LOST:
                return _fail(reporter, exc)
            return _fail(reporter, _warehouse_lost(task, exc, settings))
        except Exception as exc:  # every failure ends the job: never left running
            return _fail(reporter, exc)


def _wait_for_materialize(
    task: Task, metadata: MetadataClient, payload: TaskPayload, settings: Settings
) -> None:
    blocking = jobs.blocking_materialize(metadata, payload)
    if blocking is None:
        return
    waited = task.request.retries * settings.loader_wait_countdown_s
    if waited >= settings.loader_wait_max_s:
        raise MaterializeStillActiveError(
            f"the tables of experiment {payload.experiment} are still being created "
            f"(materialize job {blocking.id} is {blocking.status} after {waited:g} s); "
            "try again when it has finished"
        )
    log_event(logger, "loader.waiting_for_materialize", materialize_job=str(blocking.id),
              waited_s=waited)  # fmt: skip
    raise task.retry(countdown=settings.loader_wait_countdown_s, max_retries=None)


def _warehouse_lost(
    task: Task, exc: WarehouseUnavailableError, settings: Settings
) -> WarehouseUnavailableError:
    """Retry the task later (raises ``Retry``) while tries are left; else the error to fail
    the job with, saying how many times it was tried."""
    tries = task.request.retries
    if tries < settings.loader_lost_connection_retries:
        countdown = settings.loader_lost_connection_retry_s * 2**tries
        log_event(logger, "loader.warehouse_lost", logging.WARNING, error=str(exc),
                  attempt=tries + 1, retry_in_s=countdown)  # fmt: skip
        raise task.retry(countdown=countdown, max_retries=None)
    if tries == 0:
        return exc
    waited = settings.loader_lost_connection_retry_s * (2**tries - 1)
    return WarehouseUnavailableError(
        f"{exc.detail} (tried {tries + 1} times in all over {waited:g} s: "
        "DWSIM_LOADER_LOST_CONNECTION_RETRIES)",
        warehouse=exc.warehouse,
        table=exc.table,
    )


def _fail(reporter: JobReporter | None, exc: BaseException) -> dict[str, Any]:
    log_event(logger, "loader.task_failed", logging.ERROR, error=str(exc),
              error_type=type(exc).__name__)  # fmt: skip
    if not isinstance(exc, DwsimError):  # not an expected failure: the operator needs where
        logger.error("loader.unexpected_error", exc_info=exc)
    if reporter is None:
        return {"status": "failed", "error": str(exc)}
    try:
        job = reporter.fail(exc)
    except Exception as report_error:  # nothing more can be done for the job
        log_event(logger, "loader.fail_report_failed", logging.ERROR, error=str(report_error))
        return {"status": "failed", "error": str(exc)}
    return {"status": "failed", "error": job.error if job is not None else str(exc)}


def _payload(name: TaskName, raw: Any) -> TaskPayload:
    try:
        return name.payload.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'payload'}: {err['msg']}"
            for err in exc.errors()
        )
        raise InvalidPayloadError(
            f"task {name} got a payload it cannot read ({problems})"
        ) from None


def _job_id(raw: Any) -> str | None:
    """The payload's job id if it has a valid one, so even a bad payload fails its job."""
    try:
        return str(UUID(str(raw["job_id"])))
    except (TypeError, KeyError, ValueError):
        return None
