"""Jobs: creation under the one-active-job rule, guarded transitions, progress reports.

The rule and the transitions are decided by the database, not by a read-then-write: a partial
unique index refuses a second active exclusive job, and a move is an UPDATE conditional on the
current status, so of two racing requests exactly one wins.
"""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import NamedTuple
from uuid import UUID, uuid4

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dwsim_metadata import repository as repo
from dwsim_metadata.db import Database
from dwsim_metadata.errors import ConflictError, NotFoundError
from dwsim_metadata.models import ACTIVE_STATUSES, JobRow, RunRow
from dwsim_metadata.progress import build_progress
from dwsim_shared.contracts.enums import JobKind, JobStatus, RunStatus
from dwsim_shared.contracts.jobs import TRANSITIONS, JobDetail
from dwsim_shared.contracts.metadata import JobCreate, JobTransition, StageReport, TablesReport
from dwsim_shared.job_cache import JobCache
from dwsim_shared.logs import log_event

log = logging.getLogger("dwsim_metadata.jobs")

# for each status, the statuses a job may come from
PREDECESSORS: dict[JobStatus, list[str]] = {
    new: sorted(old.value for old, nexts in TRANSITIONS.items() if new in nexts)
    for new in JobStatus
}


# what a job past its commit mark is doing, where it is not a COMMIT (a load's, a reset's):
# a drop and a materialize take the mark before they start, as their statements cannot be undone
NOT_UNDONE = {
    JobKind.DROP.value: "dropping the experiment (its warehouse objects, then its staged data)",
    JobKind.MATERIALIZE.value: "creating the experiment's tables",
}


class OrphanRun(NamedTuple):
    """A run still running whose job has ended."""

    run_id: str
    job_id: UUID
    experiment: str
    job_status: JobStatus
    ended_at: datetime


class JobService:
    def __init__(self, db: Database, clock: Callable[[], datetime], cache: JobCache | None = None):
        self.db = db
        self.clock = clock
        self.cache = cache  # where the gateway reads each job's public view, if anywhere

    def create_job(self, body: JobCreate) -> JobDetail:
        job_id = body.id or uuid4()
        row = JobRow(
            id=job_id,
            kind=body.kind.value,
            experiment=body.experiment,
            status=JobStatus.QUEUED.value,
            run_id=body.run_id,
            timings={},
            created_at=self.clock(),
        )
        try:
            with self.db.write() as session:
                if repo.get_experiment(session, body.experiment) is None:
                    raise NotFoundError(f"experiment {body.experiment} not found")
                existing = repo.get_job(session, job_id)
                if existing is None:
                    repo.add(session, row)
                    log_event(log, "metadata.job_created", job_id=job_id, kind=body.kind)
                    detail = self._details(session, [row])[0]
            if existing is None:
                return self._publish(detail, 0)
        except IntegrityError:
            pass  # the active-job index (or a concurrent create with this id) refused it
        with self.db.read() as session:
            existing = repo.get_job(session, job_id)
            if existing is not None:
                if existing.kind == body.kind and existing.experiment == body.experiment:
                    return self._details(session, [existing])[0]  # a retried create
                raise ConflictError(f"job {job_id} already exists (a {existing.kind} job)")
            active = repo.active_exclusive_job(session, body.experiment)
        if active is not None:
            raise ConflictError(
                f"experiment {body.experiment} already has an active {active.kind} job "
                f"{active.id} ({active.status}); wait for it to finish or cancel it"
            )
        raise ConflictError(f"job for experiment {body.experiment} conflicted; try again")

    def get_job(self, job_id: UUID) -> JobDetail:
        with self.db.read() as session:
            row = self._job(session, job_id)
            detail, version = self._details(session, [row])[0], row.version
        return self._publish(detail, version)  # refills the gateway's view if it expired

    def list_jobs(self, experiment: str, active: bool) -> list[JobDetail]:
        """Jobs of an experiment, newest first; those of a dropped one are still listed."""
        with self.db.read() as session:
            rows = repo.list_jobs(session, experiment, active)
            if not rows and repo.get_experiment(session, experiment) is None:
                raise NotFoundError(f"experiment {experiment} not found")
            return self._details(session, rows)

    def transition(self, job_id: UUID, body: JobTransition) -> JobDetail:
        new = body.status
        now = self.clock()
        values: dict[str, object] = {"status": new.value}
        if new == JobStatus.RUNNING:
            values.update(started_at=now, heartbeat_at=now)
        if new.is_terminal:
            values.update(finished_at=now, error=body.error, traceback=body.traceback)
        cancel = new == JobStatus.CANCELLED  # refused once the worker is committing
        with self.db.write() as session:
            moved = repo.move_job(
                session, job_id, PREDECESSORS[new], not_committing=cancel, **values
            )
            row = self._job(session, job_id)
            if not moved and row.status != new:
                if cancel and row.committing_at is not None and row.status == JobStatus.RUNNING:
                    doing = NOT_UNDONE.get(
                        row.kind, f"committing its {row.kind} into the warehouse"
                    )
                    raise ConflictError(
                        f"job {job_id} is {doing}; it can no longer be cancelled and ends in a "
                        "moment"
                    )
                raise ConflictError(f"job {job_id} cannot go from {row.status} to {new}")
            if moved:
                log_event(log, "metadata.job_moved", job_id=job_id, status=new)
            detail, version = self._changed(session, row)
        return self._publish(detail, version)

    def report_stage(self, job_id: UUID, body: StageReport) -> JobDetail:
        with self.db.write() as session:
            row = self._active_job(session, job_id)
            row.heartbeat_at = self.clock()  # a report is a sign of life
            if row.stage != body.stage:  # the same stage again only adds timings
                row.stage, row.stage_started_at = body.stage.value, self.clock()
            if body.timings:
                row.timings = {**(row.timings or {}), **body.timings}
            session.flush()
            detail, version = self._changed(session, row)
        return self._publish(detail, version)

    def report_tables(self, job_id: UUID, body: TablesReport) -> JobDetail:
        with self.db.write() as session:
            row = self._active_job(session, job_id)
            row.heartbeat_at = self.clock()
            for table in sorted(body.tables):
                report = body.tables[table]
                repo.set_job_table(session, job_id, table, report.rows_total, report.rows_loaded)
            detail, version = self._changed(session, row)
        return self._publish(detail, version)

    def heartbeat(self, job_id: UUID) -> None:
        """A worker holding the job shows life; refused (409) once the job has finished, so the
        task learns it should stop."""
        with self.db.write() as session:
            if repo.touch_job(session, job_id, self.clock(), [s.value for s in ACTIVE_STATUSES]):
                return
            row = self._job(session, job_id)
        why = f": {row.error}" if row.error else ""  # e.g. the reaper's message
        raise ConflictError(f"job {job_id} is {row.status}{why}")

    def commit(self, job_id: UUID) -> JobDetail:
        """The worker is about to commit the job's result (a load's COMMIT): from now on a
        cancel is refused. Refused (409) if the job has already ended, e.g. was cancelled:
        the worker then rolls back instead. The job's check and the mark are one conditional
        update, so of a cancel and a commit exactly one wins."""
        now = self.clock()
        running = [JobStatus.RUNNING.value]
        with self.db.write() as session:
            if not repo.move_job(session, job_id, running, not_committing=True,
                                 committing_at=now, heartbeat_at=now):  # fmt: skip
                row = self._job(session, job_id)
                if row.status != JobStatus.RUNNING:  # else: committing already (a retry)
                    why = f": {row.error}" if row.error else ""
                    raise ConflictError(f"job {job_id} is {row.status}{why}")
            detail, version = self._changed(session, self._job(session, job_id))
        log_event(log, "metadata.job_committing", job_id=job_id)
        return self._publish(detail, version)

    def silent_jobs(self, since: datetime) -> list[tuple[UUID, str, datetime]]:
        """Running jobs that showed no life since ``since``: (id, kind, last sign of life)."""
        with self.db.read() as session:
            rows = repo.silent_jobs(session, JobStatus.RUNNING.value, since)
            return [(r.id, r.kind, r.heartbeat_at or r.started_at or r.created_at) for r in rows]

    def fail_silent(self, job_id: UUID, since: datetime, error: str) -> JobDetail | None:
        """Fail the job if it is still running and still showed no life since ``since`` (the
        same conditional move as ``transition``: a job that just reported or ended is left
        alone); its view, or None if it was left alone."""
        now = self.clock()
        values = {"status": JobStatus.FAILED.value, "finished_at": now, "error": error}
        with self.db.write() as session:
            if not repo.move_job(
                session, job_id, [JobStatus.RUNNING.value], silent_since=since, **values
            ):
                return None
            # its run, if it was generating one: no worker is left to end it
            repo.end_runs(session, RunStatus.RUNNING.value, RunRow.job_id == job_id,
                          status=RunStatus.FAILED.value, error=error, finished_at=now)  # fmt: skip
            detail, version = self._changed(session, self._job(session, job_id))
        return self._publish(detail, version)

    def orphan_runs(self, since: datetime) -> list[OrphanRun]:
        """Runs still running whose job ended before ``since``."""
        ended = [s.value for s in JobStatus if s.is_terminal]
        with self.db.read() as session:
            rows = repo.orphan_runs(session, RunStatus.RUNNING.value, ended, since)
            return [OrphanRun(run_id, job_id, experiment, JobStatus(status), at)
                    for run_id, job_id, experiment, status, at in rows]  # fmt: skip

    def end_orphan_run(self, run_id: str, status: RunStatus, error: str) -> bool:
        """End the run if it is still running; True if it was."""
        with self.db.write() as session:
            return bool(repo.end_runs(session, RunStatus.RUNNING.value, RunRow.id == run_id,
                                      status=status.value, error=error,
                                      finished_at=self.clock()))  # fmt: skip

    def _changed(self, session: Session, row: JobRow) -> tuple[JobDetail, int]:
        """In a write: count the change to the job, and its view with that change."""
        version = repo.bump_job_version(session, row.id) or 0
        return self._details(session, [row])[0], version

    def _publish(self, detail: JobDetail, version: int) -> JobDetail:
        """After the commit: hand the job's view to the gateway (newer versions win)."""
        if self.cache is not None:
            self.cache.put(detail, version)
        return detail

    def _job(self, session: Session, job_id: UUID, lock: bool = False) -> JobRow:
        row = repo.get_job(session, job_id, lock=lock)
        if row is None:
            raise NotFoundError(f"job {job_id} not found")
        return row

    def _active_job(self, session: Session, job_id: UUID) -> JobRow:
        """The job, locked; a finished job takes no more reports (the worker should stop)."""
        row = self._job(session, job_id, lock=True)
        if JobStatus(row.status).is_terminal:
            raise ConflictError(f"job {job_id} is {row.status}")
        return row

    def _details(self, session: Session, rows: Sequence[JobRow]) -> list[JobDetail]:
        """Jobs with their progress, read in a few queries whatever the number of jobs."""
        ids = [r.id for r in rows]
        run_ids = sorted({r.run_id for r in rows if r.run_id})
        tables = repo.job_tables(session, ids)
        runs = repo.get_runs(session, run_ids) if run_ids else {}
        parts = repo.part_totals(session, run_ids)
        now = self.clock()
        details = []
        for row in rows:
            run = runs.get(row.run_id) if row.run_id else None
            progress = build_progress(
                row, tables[row.id], run, parts.get(row.run_id or "", {}), now
            )
            details.append(
                JobDetail(
                    id=row.id,
                    kind=row.kind,
                    experiment=row.experiment,
                    status=row.status,
                    progress=progress,
                    error=row.error,
                    run_id=row.run_id,
                    created_at=row.created_at,
                    started_at=row.started_at,
                    finished_at=row.finished_at,
                    traceback=row.traceback,
                )
            )
        return details
