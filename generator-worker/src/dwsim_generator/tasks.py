"""The generator's Celery tasks, one per task name, each a thin shell over ``service``.

A run is a chord: GENERATE_RUN plans it and fans out one GENERATE_CHUNK per (table, chunk),
largest first; GENERATE_FINISH runs once every chunk task has returned (and, as the chord's
error callback, if one raised), writes the manifests and hands the run to the loader.
GENERATE_DISCARD removes what a run staged when its job was cancelled and the task that would
have done so was lost (the metadata service's reaper sends it as it ends such a run).
A task never raises into endless redelivery: connection failures are retried a few times
with backoff, anything else ends the job failed with the message.
"""

import logging
import os
import random
from collections.abc import Callable
from typing import Any

from celery import Task, chord, shared_task
from kombu.exceptions import OperationalError
from pydantic import ValidationError

from dwsim_generator.service import Finish, GeneratorService
from dwsim_generator.staging import Outage, S3UnavailableError, is_transient
from dwsim_shared.celery_app import send, signature
from dwsim_shared.contracts.tasks import (
    DiscardRunPayload,
    GenerateChunkPayload,
    GenerateFinishPayload,
    GenerateRunPayload,
    LoadRunPayload,
    TaskName,
    TaskPayload,
)
from dwsim_shared.errors import DwsimError
from dwsim_shared.logs import bind, log_event
from dwsim_shared.metadata_client import MetadataUnavailableError
from dwsim_shared.reporter import JobFinishedError

logger = logging.getLogger("dwsim_generator.tasks")

MAX_RETRIES = 5  # connection failures: retried after ~1, 2, 4, 8, 16 s, then the job fails
# (S3 not answering: also no longer than DWSIM_GENERATOR_S3_OUTAGE_S, see _may_wait)
_SERVICE: tuple[int, GeneratorService] | None = None


def service() -> GeneratorService:
    """This process's service (its HTTP and S3 clients are made after the worker forks)."""
    global _SERVICE
    if _SERVICE is None or _SERVICE[0] != os.getpid():
        _SERVICE = (os.getpid(), GeneratorService())
    return _SERVICE[1]


@shared_task(name=TaskName.GENERATE_RUN.value, bind=True)
def generate_run(task: Task, payload: dict) -> None:
    return _run(task, TaskName.GENERATE_RUN, payload, _generate_run)


@shared_task(name=TaskName.GENERATE_CHUNK.value, bind=True)
def generate_chunk(task: Task, payload: dict) -> dict | None:
    return _run(task, TaskName.GENERATE_CHUNK, payload, _generate_chunk)


@shared_task(name=TaskName.GENERATE_FINISH.value, bind=True)
def generate_finish(task: Task, payload: dict) -> str | None:
    return _run(task, TaskName.GENERATE_FINISH, payload, _generate_finish)


@shared_task(name=TaskName.GENERATE_DISCARD.value, bind=True)
def generate_discard(task: Task, payload: dict) -> None:
    return _run(task, TaskName.GENERATE_DISCARD, payload, _generate_discard)


def _generate_run(task: Task, payload: GenerateRunPayload) -> None:
    chunks = service().start_run(payload)
    done = GenerateFinishPayload(job_id=payload.job_id, experiment=payload.experiment,
                                 run_id=payload.run_id, load=payload.load)  # fmt: skip
    finish = signature(task.app, TaskName.GENERATE_FINISH, done).set(immutable=True)
    if not chunks:
        finish.apply_async()
        return
    header = [
        signature(task.app, TaskName.GENERATE_CHUNK, GenerateChunkPayload(
            job_id=payload.job_id, experiment=payload.experiment, run_id=payload.run_id,
            table=table, chunk=chunk)).set(immutable=True)
        for table, chunk in chunks
    ]  # fmt: skip
    # If a chunk task raised after all, the chord calls its error callback instead: finish
    # then finds the missing parts and fails the job, so it is never left running.
    finish.link_error(finish.clone())
    chord(header, app=task.app)(finish)


def _generate_chunk(task: Task, payload: GenerateChunkPayload) -> dict | None:
    part = service().make_chunk(payload)
    return None if part is None else part.model_dump(mode="json")


def _generate_finish(task: Task, payload: GenerateFinishPayload) -> str:
    outcome = service().finish_run(payload)
    if outcome == Finish.LOAD:
        load = LoadRunPayload(job_id=payload.job_id, experiment=payload.experiment,
                              run_id=payload.run_id, continues_generate=True)  # fmt: skip
        send(task.app, TaskName.LOAD_RUN, load)
        log_event(logger, "generator.load_enqueued")
    return outcome.value


def _generate_discard(task: Task, payload: DiscardRunPayload) -> None:
    service().stopped(payload)  # the run of a cancelled job: its objects are removed


def _run(task: Task, name: TaskName, raw: Any, body: Callable[[Task, Any], Any]) -> Any:
    """Validate the payload, bind the log context, run ``body`` with the job's heartbeat, and
    turn failures into retries (connection errors) or a failed job (anything else)."""
    try:
        payload = name.payload.model_validate(raw)
    except ValidationError as exc:
        _bad_payload(name, raw, exc)
        return None
    context = bind(job_id=payload.job_id, experiment=payload.experiment,
                   run_id=getattr(payload, "run_id", None), task=name.value)  # fmt: skip
    with context, service().heartbeats(payload.job_id):
        try:
            return body(task, payload)
        except JobFinishedError as exc:
            log_event(logger, "generator.job_ended", reason=str(exc))
            _stopped(payload)
        except Exception as exc:
            if _transient(exc) and task.request.retries < MAX_RETRIES and _may_wait(exc):
                countdown = 2**task.request.retries * random.uniform(0.8, 1.2)
                log_event(logger, "generator.retrying", logging.WARNING, error=str(exc),
                          attempt=task.request.retries + 1, countdown=round(countdown, 1))  # fmt: skip
                raise task.retry(exc=exc, countdown=countdown, max_retries=MAX_RETRIES) from None
            if isinstance(exc, DwsimError):  # a request that cannot be done: the message says why
                log_event(logger, "generator.job_failed", logging.WARNING, error=str(exc))
            else:
                logger.exception("generator.task_failed")
            _fail(payload, exc)
    return None


def _may_wait(exc: BaseException) -> bool:
    """S3 unreachable: retried only while this process's outage is younger than
    DWSIM_GENERATOR_S3_OUTAGE_S (every chunk retrying in turn would multiply the wait)."""
    if not isinstance(exc, S3UnavailableError):
        return True
    return Outage.seconds() < service().settings.generator_s3_outage_s


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, MetadataUnavailableError | OperationalError) or is_transient(exc)


def _fail(payload: TaskPayload, exc: BaseException) -> None:
    try:
        service().fail(payload, exc)
    except Exception:  # the metadata service is gone too: nothing more this task can do
        logger.exception("generator.fail_not_recorded")


def _stopped(payload: TaskPayload) -> None:
    """The job ended under the task: its run, if incomplete, ends (removed if cancelled)."""
    try:
        service().stopped(payload)
    except Exception:  # the finish task, or the next look at the run, ends it instead
        logger.exception("generator.stop_not_recorded")


def _bad_payload(name: TaskName, raw: Any, exc: ValidationError) -> None:
    """A payload that is not its task's model: logged, and its job failed if it names one."""
    log_event(logger, "generator.bad_payload", logging.ERROR, task=name.value, error=str(exc))
    try:
        ids = TaskPayload.model_validate(
            {k: raw.get(k) for k in ("job_id", "experiment")} if isinstance(raw, dict) else raw
        )
    except ValidationError:
        return
    _fail(ids, ValueError(f"{name.value} got an invalid payload: {exc}"))
