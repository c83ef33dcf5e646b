"""Experiments and runs: the service's logic, free of HTTP (routes in api/ are thin)."""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dwsim_metadata import repository as repo
from dwsim_metadata.db import Database
from dwsim_metadata.errors import ConflictError, InvalidError, NotFoundError
from dwsim_metadata.jobs import JobService
from dwsim_metadata.models import ExperimentRow, RunRow, utcnow
from dwsim_metadata.saved_queries import SavedQueries
from dwsim_shared.contracts.enums import JobStatus, RunStatus
from dwsim_shared.contracts.jobs import GenerationRun, JobDetail, StagedPart
from dwsim_shared.contracts.metadata import (
    ExperimentRecord,
    ExperimentSummary,
    RunCompletion,
    RunCreate,
    RunUpdate,
)
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.job_cache import JobCache
from dwsim_shared.logs import log_event

log = logging.getLogger("dwsim_metadata.runs")


class MetadataService(JobService, SavedQueries):
    """Experiments and runs here; jobs in ``JobService``, saved queries in ``SavedQueries``."""

    def __init__(
        self, db: Database, clock: Callable[[], datetime] = utcnow, cache: JobCache | None = None
    ):
        super().__init__(db, clock, cache)

    def health(self) -> dict[str, str]:
        self.db.ping()
        return {"status": "ok", "database": self.db.dialect}

    # experiments

    def create_experiment(self, experiment: Experiment) -> ExperimentRecord:
        now = self.clock()
        row = ExperimentRow(
            name=experiment.name,
            warehouse=experiment.warehouse.value,
            schema=experiment.model_dump(mode="json"),
            created_at=now,
            updated_at=now,
        )
        try:
            with self.db.write() as session:
                if repo.get_experiment(session, experiment.name) is None:
                    repo.add(session, row)
                    return _record(row)
        except IntegrityError:
            pass  # created by a concurrent request, or a name equal but for case
        with self.db.read() as session:
            twin = repo.experiment_named_like(session, experiment.name)
        if twin is not None and twin.name != experiment.name:
            raise ConflictError(
                f"experiment {experiment.name} differs only in case from the existing "
                f"experiment {twin.name}; experiment names are compared ignoring case"
            )
        raise ConflictError(f"experiment {experiment.name} already exists")

    def replace_experiment(self, name: str, experiment: Experiment) -> ExperimentRecord:
        if experiment.name != name:
            raise InvalidError(
                f"the body describes experiment {experiment.name} but the path names {name}"
            )
        with self.db.write() as session:
            row = self._experiment(session, name)
            row.warehouse = experiment.warehouse.value
            row.schema = experiment.model_dump(mode="json")
            row.updated_at = self.clock()
            return _record(row)

    def get_experiment(self, name: str) -> ExperimentRecord:
        with self.db.read() as session:
            return _record(self._experiment(session, name))

    def list_experiments(self) -> list[ExperimentSummary]:
        with self.db.read() as session:
            rows = repo.list_experiments(session)
            latest = repo.latest_runs(session)
        return [_summary(row, latest.get(row.name)) for row in rows]

    def delete_experiment(self, name: str) -> None:
        with self.db.write() as session:
            if not repo.delete_experiment(session, name):
                raise NotFoundError(f"experiment {name} not found")

    # runs

    def list_runs(self, experiment: str) -> list[GenerationRun]:
        with self.db.read() as session:
            self._experiment(session, experiment)
            rows = repo.list_runs(session, experiment)
            totals = repo.part_totals(session, [r.id for r in rows])
        return [_run(row, totals[row.id]) for row in rows]

    def create_run(self, body: RunCreate) -> GenerationRun:
        row = RunRow(
            **body.model_dump(exclude={"job_id"}),
            job_id=body.job_id,
            status=RunStatus.RUNNING.value,
            timings={},
            created_at=self.clock(),
        )
        try:
            with self.db.write() as session:
                self._experiment(session, body.experiment)
                if repo.get_run(session, body.id) is None:
                    repo.add(session, row)
                    return _run(row, {})
        except IntegrityError:
            pass
        raise ConflictError(f"run {body.id} already exists")

    def get_run(self, run_id: str) -> GenerationRun:
        with self.db.read() as session:
            return self._run_with_totals(session, run_id)

    def update_run(self, run_id: str, body: RunUpdate) -> GenerationRun:
        with self.db.write() as session:
            row = self._run_row(session, run_id, lock=True)
            if body.status is not None and body.status != row.status:
                if row.status != RunStatus.RUNNING:  # an ended run keeps its end
                    raise ConflictError(
                        f"run {run_id} is {row.status}; it cannot become {body.status}"
                    )
                row.status = body.status.value
            if body.error is not None:
                row.error = body.error
            if body.timings:
                row.timings = {**(row.timings or {}), **body.timings}
            if body.finished:
                row.finished_at = self.clock()
            session.flush()
            run = self._run_with_totals(session, run_id)
            job = self._job_changed(session, row)
        self._publish_if(job)
        return run

    def complete_run(self, run_id: str, body: RunCompletion) -> GenerationRun:
        """The run completed and its job moved on (to ``job_stage``, or succeeded) in ONE
        transaction, conditional on the job still running: a cancel lands either before (409
        here: the run stays running, the generator removes it) or after (the job has moved
        on: a succeeded job cannot be cancelled; a loading one rolls its load back). A run
        already completed is returned as it is (a retried request)."""
        now = self.clock()
        with self.db.write() as session:
            run = self._run_row(session, run_id, lock=True)
            if run.status == RunStatus.COMPLETED:
                return self._run_with_totals(session, run_id)
            if run.status != RunStatus.RUNNING or run.job_id is None:
                raise ConflictError(f"run {run_id} is {run.status}; it cannot be completed")
            job = self._job(session, run.job_id, lock=True)
            values: dict[str, object] = {
                "timings": {**(job.timings or {}), **body.job_timings},
                "heartbeat_at": now,
            }
            if body.job_stage is None:
                values.update(status=JobStatus.SUCCEEDED.value, finished_at=now)
            else:
                values.update(stage=body.job_stage.value, stage_started_at=now)
            if not repo.move_job(session, job.id, [JobStatus.RUNNING.value], **values):
                why = f": {job.error}" if job.error else ""
                raise ConflictError(
                    f"job {job.id} is {job.status}{why}; run {run_id} was not completed"
                )
            run.status = RunStatus.COMPLETED.value
            run.timings = {**(run.timings or {}), **body.timings}
            run.finished_at = now
            session.flush()
            session.refresh(job)
            completed = self._run_with_totals(session, run_id)
            changed = self._changed(session, job)
        if body.job_stage is None:
            log_event(log, "metadata.job_moved", job_id=job.id, status=JobStatus.SUCCEEDED)
        self._publish(*changed)
        return completed

    def report_parts(self, run_id: str, parts: list[StagedPart]) -> GenerationRun:
        unique = {(p.table, p.chunk): p.model_dump() for p in parts}  # the last report wins
        with self.db.write() as session:
            row = self._run_row(session, run_id)
            repo.upsert_parts(session, run_id, list(unique.values()))
            run = self._run_with_totals(session, run_id)
            job = self._job_changed(session, row)
        self._publish_if(job)
        return run

    def list_parts(self, run_id: str) -> list[StagedPart]:
        with self.db.read() as session:
            self._run_row(session, run_id)
            rows = repo.list_parts(session, run_id)
            return [
                StagedPart(table=p.table, chunk=p.chunk, key=p.key, rows=p.rows, bytes=p.bytes)
                for p in rows
            ]

    def _job_changed(self, session: Session, run: RunRow) -> tuple[JobDetail, int] | None:
        """A run's change shows in its job's progress: count it as a change to the job
        (and as a sign of life of its worker)."""
        job = repo.get_job(session, run.job_id) if run.job_id else None
        if job is None:
            return None
        job.heartbeat_at = self.clock()  # a worker reporting the run's parts is alive
        session.flush()
        return self._changed(session, job)

    def _publish_if(self, job: tuple[JobDetail, int] | None) -> None:
        if job is not None:
            self._publish(*job)

    # lookups that name what is missing

    def _experiment(self, session: Session, name: str) -> ExperimentRow:
        row = repo.get_experiment(session, name)
        if row is None:
            raise NotFoundError(f"experiment {name} not found")
        return row

    def _run_row(self, session: Session, run_id: str, lock: bool = False) -> RunRow:
        row = repo.get_run(session, run_id, lock=lock)
        if row is None:
            raise NotFoundError(f"run {run_id} not found")
        return row

    def _run_with_totals(self, session: Session, run_id: str) -> GenerationRun:
        row = self._run_row(session, run_id)
        return _run(row, repo.part_totals(session, [run_id])[run_id])


def _record(row: ExperimentRow) -> ExperimentRecord:
    return ExperimentRecord(
        name=row.name,
        warehouse=row.warehouse,
        schema=Experiment.model_validate(row.schema),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _summary(row: ExperimentRow, run: RunRow | None) -> ExperimentSummary:
    experiment = Experiment.model_validate(row.schema)
    return ExperimentSummary(
        name=row.name,
        warehouse=row.warehouse,
        tables=len(experiment.tables),
        total_rows=sum(t.target_rows for t in experiment.tables),
        last_run_id=run.id if run else None,
        last_run_status=run.status if run else None,
        last_run_at=run.created_at if run else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _run(row: RunRow, totals: repo.PartTotals) -> GenerationRun:
    fields: dict[str, Any] = {
        "rows": {table: rows for table, (rows, _, _) in totals.items()},
        "files": sum(files for _, files, _ in totals.values()),
        "bytes": sum(size for _, _, size in totals.values()),
    }
    return GenerationRun(
        id=row.id,
        experiment=row.experiment,
        job_id=row.job_id,
        seed=row.seed,
        status=row.status,
        chunk_rows=row.chunk_rows,
        rows_requested=row.rows_requested,
        timings=row.timings or {},
        prefix=row.prefix,
        error=row.error,
        created_at=row.created_at,
        finished_at=row.finished_at,
        **fields,
    )
