"""How a worker moves a job through its states and reports progress.

``JobReporter`` wraps the metadata client for one job: ``start`` (queued -> running; a job
already running, e.g. a load continuing a generate job, stays so), ``stage`` (records how long
the previous stage took), ``tables``, ``succeed`` and ``fail`` (the message for the person,
the traceback for the operator). Progress is throttled to a few reports a second; a report the
service refuses because the job has finished (cancelled, or failed elsewhere) is not an error:
``JobFinishedError`` tells the task to stop. ``heartbeats`` wraps a task's work: a thread
shows the metadata service the job's worker lives (dwsim_shared.heartbeat), and a job that ends
meanwhile (cancelled, or failed by the service's reaper) is seen at the next ``check_active``;
inside ``stopping(stop)`` (a load's or a reset's statements) the job is checked every ``check_s`` and ``stop``
is called as soon as it has ended.
"""

import threading
import time
import traceback as tb
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any
from uuid import UUID

from dwsim_shared.contracts.enums import JobStage, JobStatus
from dwsim_shared.contracts.jobs import JobDetail
from dwsim_shared.contracts.metadata import TableReport
from dwsim_shared.errors import DwsimError
from dwsim_shared.heartbeat import Heartbeat
from dwsim_shared.metadata_client import ConflictError, MetadataClient

MIN_REPORT_INTERVAL_S = 0.25


class JobFinishedError(DwsimError):
    """The job ended (cancelled, or failed in another task) while this task worked for it."""


class JobReporter:
    def __init__(self, client: MetadataClient, job_id: UUID | str):
        self.client = client
        self.job_id = str(job_id)
        self._stage: JobStage | None = None
        self._stage_started = time.monotonic()
        self._last_report = 0.0
        self._pending: dict[str, TableReport] = {}
        self._lock = threading.Lock()
        self._heartbeat: Heartbeat | None = None
        self._check_s = 0.0

    def job(self) -> JobDetail:
        return self.client.get_job(self.job_id)

    @contextmanager
    def heartbeats(self, interval_s: float, check_s: float | None = None) -> Iterator[Heartbeat]:
        """While the block runs, a heartbeat every ``interval_s`` seconds (every ``check_s``
        inside ``stopping``); stopped on leaving."""
        beat = Heartbeat(self.client, self.job_id, interval_s)
        self._heartbeat, self._check_s = beat, check_s or interval_s
        beat.start()
        try:
            yield beat
        finally:
            beat.stop()
            self._heartbeat = None

    def stopping(self, stop: Callable[[], None]) -> AbstractContextManager[None]:
        """While the block runs, ``stop()`` is called (from the heartbeat thread) within
        ``check_s`` of the job ending, e.g. cancelled: it stops the statement running for it.
        Without heartbeats (no ``heartbeats`` block) nothing watches: the block runs on."""
        if self._heartbeat is None:
            return nullcontext()
        return self._heartbeat.stopping(stop, self._check_s)

    def check_active(self) -> JobDetail:
        """The job, or ``JobFinishedError`` if it has already ended (e.g. was cancelled)."""
        if self._heartbeat is not None and self._heartbeat.ended:
            raise JobFinishedError(f"{self._heartbeat.ended}; stopping")
        job = self.job()
        if job.status.is_terminal:
            raise JobFinishedError(f"job {self.job_id} is {job.status}; stopping")
        return job

    def start(self, stage: JobStage) -> JobDetail:
        job = self.job()
        if job.status == JobStatus.QUEUED:
            try:
                job = self.client.transition(self.job_id, JobStatus.RUNNING)
            except ConflictError:
                job = self.job()
        if job.status.is_terminal:
            raise JobFinishedError(f"job {self.job_id} is {job.status}; stopping")
        return self.stage(stage)

    def stage(self, stage: JobStage) -> JobDetail:
        """Enter ``stage``; the stage before it is timed and recorded under its name."""
        now = time.monotonic()
        timings = {}
        if self._stage is not None:
            timings[self._stage.value] = round(now - self._stage_started, 3)
        self._stage, self._stage_started = stage, now
        return self._report(self.client.report_stage, stage, timings)

    def finish_stage(self) -> dict[str, float]:
        """Record the current stage's time without entering another; returns it."""
        if self._stage is None:
            return {}
        timings = {self._stage.value: round(time.monotonic() - self._stage_started, 3)}
        self._report(self.client.report_stage, self._stage, timings)
        return timings

    def tables(self, tables: dict[str, TableReport], force: bool = False) -> None:
        """Set per-table figures; sent at most every ``MIN_REPORT_INTERVAL_S`` unless forced."""
        with self._lock:
            self._pending.update(tables)
            now = time.monotonic()
            if not force and now - self._last_report < MIN_REPORT_INTERVAL_S:
                return
            pending, self._pending, self._last_report = self._pending, {}, now
        if pending:
            self._report(self.client.report_tables, pending)

    def flush(self) -> None:
        self.tables({}, force=True)

    def committing(self) -> JobDetail:
        """Right before the warehouse's COMMIT: from now on the job cannot be cancelled.
        ``JobFinishedError`` if it has ended already (cancelled): roll back instead."""
        self.flush()
        return self._report(self.client.commit)

    def succeed(self) -> JobDetail | None:
        try:
            self.flush()
            self.finish_stage()
        except JobFinishedError:
            return None  # ended elsewhere (e.g. cancelled): keep that end
        return self._end(JobStatus.SUCCEEDED)

    def fail(self, error: BaseException | str, traceback: str | None = None) -> JobDetail | None:
        message = error if isinstance(error, str) else _message(error)
        if traceback is None and isinstance(error, BaseException):
            traceback = "".join(tb.format_exception(error))
        return self._end(JobStatus.FAILED, message, traceback)

    def _report(self, send: Callable[..., JobDetail], *args: Any) -> JobDetail:
        """Send a progress report; the service refuses (409) those for a finished job."""
        try:
            return send(self.job_id, *args)
        except ConflictError as exc:
            raise JobFinishedError(f"{exc}; stopping") from None

    def _end(
        self, status: JobStatus, error: str | None = None, traceback: str | None = None
    ) -> JobDetail | None:
        try:
            return self.client.transition(self.job_id, status, error=error, traceback=traceback)
        except ConflictError:
            return None  # already finished (cancelled, or failed elsewhere): keep that end


def _message(error: BaseException) -> str:
    text = str(error).strip()
    if isinstance(error, DwsimError) and text:
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
