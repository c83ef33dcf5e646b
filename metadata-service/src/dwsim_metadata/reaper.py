"""The reaper: a running job whose worker stopped showing life is failed, saying why.

A task holding a job reports a heartbeat every few seconds (``JobReporter.heartbeats``), and
every progress report counts as one. A job still ``running`` whose last sign of life (else its
start) is older than the timeout has lost its worker: the whole worker was killed, or its
machine is gone, and nothing may redeliver its task for a long time (the broker's visibility
timeout) or ever. The reaper fails such a job with a message a person can act on, through the
same conditional move the API uses, so a report racing it cannot revive the job and a job that
just ended is not touched; failed is terminal, so the one-active-job rule releases it.

A running job may also be between two tasks: its next task waits in the broker's queue behind
other work (another experiment's chunks, or the loader busy with another load). Like a queued
job it waits for a worker, which is not a fault: ``waiting`` names those jobs and they are kept.

A job the reaper fails takes its run with it (``failed``, with the same reason). And a run is
never left ``running`` behind a job that ended otherwise: its generator worker normally ends it
within seconds (a cancelled job's run ``cancelled``, its objects removed), but if that task was
lost (with a Redis that keeps nothing) the reaper ends the run a timeout after its job, unless
a task of the job still waits in the broker; a cancelled job's run is then handed to a
generator worker (``discard``), which removes what it staged, as the lost task would have.

Silence counts only while the service runs: after a restart, the reaper waits a whole timeout
before it fails anything, so workers whose heartbeats failed while it was down are heard again.

No framework here: the app runs ``Reaper.reap`` every ``job_reaper_interval_s`` (main.py).
"""

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from dwsim_metadata.jobs import JobService, OrphanRun
from dwsim_shared.contracts.enums import JobStatus, RunStatus
from dwsim_shared.contracts.jobs import JobDetail
from dwsim_shared.logs import log_event

log = logging.getLogger("dwsim_metadata.reaper")

# jobs (of those asked about) with a task waiting for a worker; raises if it cannot tell
Waiting = Callable[[Collection[UUID], datetime], set[UUID]]
# asks a generator worker to remove what a cancelled job's run staged (main.py: a Celery task)
Discard = Callable[[OrphanRun], None]


def silence_message(kind: str, silent_s: float, timeout_s: float) -> str:
    """What the person reads on the failed job."""
    return (
        f"no heartbeat from its worker for {silent_s:.0f} s (timeout {timeout_s:g} s): the "
        "worker stopped or lost its connection to the metadata service, or the job's tasks "
        f"were lost with the broker (Redis restarted); start the {kind} job again (and check "
        "that its worker and Redis are running)"
    )


def orphan_message(job_status: JobStatus, ended_s: float) -> str:
    """What the person reads on a run its job left running."""
    kept = (
        "a generator worker removes its staged objects (if none is running, they stay in S3 "
        "until the experiment is deleted)"
        if job_status == JobStatus.CANCELLED
        else "its staged objects stay in S3 until the experiment is deleted"
    )
    return (
        f"its job was {job_status} {ended_s:.0f} s ago and no generator worker ended the run "
        f"(its last task was lost, e.g. with a Redis restart): the run is incomplete; {kept}"
    )


@dataclass
class Reaper:
    jobs: JobService
    timeout_s: float
    waiting: Waiting | None = None
    discard: Discard | None = None
    started: datetime = field(init=False)

    def __post_init__(self) -> None:
        # silence counts only while this service could hear heartbeats: after a restart,
        # live workers get a whole timeout to be heard again (theirs failed while it was down)
        self.started = self.jobs.clock()

    def reap(self) -> list[JobDetail]:
        """Fail every running job silent for longer than the timeout, and end the runs their
        jobs left running; the jobs it failed."""
        now = self.jobs.clock()
        since = now - timedelta(seconds=self.timeout_s)
        if since < self.started:
            return []
        reaped = self._fail_silent_jobs(now, since)
        self._end_orphan_runs(now, since)
        return reaped

    def _kept(self, job_ids: set[UUID], since: datetime) -> set[UUID] | None:
        """Of ``job_ids``, those with a task waiting for a worker; None if that cannot be told
        (Redis not answering): then nothing is done this round."""
        try:
            return self.waiting(job_ids, since) if self.waiting else set()
        except Exception as exc:
            log_event(log, "metadata.reaper_skipped", logging.WARNING, error=str(exc),
                      jobs=len(job_ids))  # fmt: skip
            return None

    def _end_orphan_runs(self, now: datetime, since: datetime) -> None:
        orphans = self.jobs.orphan_runs(since)
        if not orphans or (kept := self._kept({o.job_id for o in orphans}, since)) is None:
            return
        for orphan in orphans:
            if orphan.job_id in kept:
                continue
            cancelled = orphan.job_status == JobStatus.CANCELLED
            status = RunStatus.CANCELLED if cancelled else RunStatus.FAILED
            error = orphan_message(orphan.job_status, (now - orphan.ended_at).total_seconds())
            if self.jobs.end_orphan_run(orphan.run_id, status, error):
                log_event(log, "metadata.run_ended", logging.WARNING, run_id=orphan.run_id,
                          job_id=orphan.job_id, status=status.value)  # fmt: skip
                if cancelled and self.discard is not None:
                    self._discard(orphan)

    def _discard(self, orphan: OrphanRun) -> None:
        """Ask a generator worker to remove the cancelled run's objects; if the task cannot be
        sent (Redis away), they stay until the experiment is deleted, as the run's error says."""
        assert self.discard is not None
        try:
            self.discard(orphan)
        except Exception as exc:
            log_event(log, "metadata.discard_not_sent", logging.WARNING, run_id=orphan.run_id,
                      error=str(exc))  # fmt: skip

    def _fail_silent_jobs(self, now: datetime, since: datetime) -> list[JobDetail]:
        silent = self.jobs.silent_jobs(since)
        if not silent or (kept := self._kept({job_id for job_id, _, _ in silent}, since)) is None:
            return []
        reaped = []
        for job_id, kind, last in silent:
            silent_s = (now - last).total_seconds()
            if job_id in kept:
                log_event(log, "metadata.job_waiting", logging.DEBUG, job_id=job_id,
                          silent_s=round(silent_s, 1))  # fmt: skip
                continue
            error = silence_message(kind, silent_s, self.timeout_s)
            job = self.jobs.fail_silent(job_id, since, error)
            if job is not None:
                log_event(log, "metadata.job_reaped", logging.WARNING, job_id=job_id, kind=kind,
                          silent_s=round(silent_s, 1), timeout_s=self.timeout_s)  # fmt: skip
                reaped.append(job)
        return reaped
