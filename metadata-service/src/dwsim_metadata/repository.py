"""Every SQL statement of the service; functions take the session of the caller's transaction."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dwsim_metadata.models import (
    ACTIVE_STATUSES,
    ExperimentRow,
    JobRow,
    JobTableRow,
    PartRow,
    RunRow,
    SavedQueryRow,
)
from dwsim_shared.contracts.identifiers import fold_name
from dwsim_shared.contracts.jobs import EXCLUSIVE_KINDS

# INSERT ... ON CONFLICT has the same API in both dialects; only the constructor differs.
_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}

PartTotals = dict[str, tuple[int, int, int]]  # table -> (rows, files, bytes)


def _insert(session: Session, model: Any) -> Any:
    return _INSERT[session.get_bind().dialect.name](model)


def _lock(stmt: Any) -> Any:
    """Row lock on PostgreSQL (NO KEY UPDATE: parts and job tables referencing the row can still
    be written); SQLite's write transactions already hold the database lock."""
    return stmt.with_for_update(key_share=True)


# experiments


def get_experiment(session: Session, name: str) -> ExperimentRow | None:
    return session.get(ExperimentRow, name)


def experiment_named_like(session: Session, name: str) -> ExperimentRow | None:
    """The experiment whose name equals ``name`` ignoring case (``fold_name``), if any."""
    stmt = select(ExperimentRow).where(ExperimentRow.name_folded == fold_name(name))
    return session.scalars(stmt).first()


def add(session: Session, row: Any) -> None:
    """Insert ``row`` now, so a duplicate key raises IntegrityError here."""
    session.add(row)
    session.flush()


def list_experiments(session: Session) -> Sequence[ExperimentRow]:
    return session.scalars(select(ExperimentRow).order_by(ExperimentRow.name)).all()


def latest_runs(session: Session) -> dict[str, RunRow]:
    """The newest run of every experiment that has one."""
    ranked = select(
        RunRow.id,
        func.row_number()
        .over(partition_by=RunRow.experiment, order_by=(RunRow.created_at.desc(), RunRow.id.desc()))
        .label("rank"),
    ).subquery()
    stmt = select(RunRow).join(ranked, ranked.c.id == RunRow.id).where(ranked.c.rank == 1)
    return {run.experiment: run for run in session.scalars(stmt)}


def delete_experiment(session: Session, name: str) -> bool:
    """Delete the experiment with its runs, parts and saved queries; its jobs stay (they are
    history)."""
    runs = select(RunRow.id).where(RunRow.experiment == name)
    session.execute(delete(PartRow).where(PartRow.run_id.in_(runs)))
    session.execute(delete(RunRow).where(RunRow.experiment == name))
    session.execute(delete(SavedQueryRow).where(SavedQueryRow.experiment == name))
    result = session.execute(delete(ExperimentRow).where(ExperimentRow.name == name))
    return result.rowcount > 0


# saved queries


def get_saved_query(session: Session, experiment: str, name: str) -> SavedQueryRow | None:
    return session.get(SavedQueryRow, (experiment, name))


def list_saved_queries(session: Session, experiment: str) -> Sequence[SavedQueryRow]:
    stmt = select(SavedQueryRow).where(SavedQueryRow.experiment == experiment)
    return session.scalars(stmt).all()


def delete_saved_query(session: Session, experiment: str, name: str) -> bool:
    stmt = delete(SavedQueryRow).where(
        SavedQueryRow.experiment == experiment, SavedQueryRow.name == name
    )
    return session.execute(stmt).rowcount > 0


# jobs


def get_job(session: Session, job_id: UUID, lock: bool = False) -> JobRow | None:
    stmt = select(JobRow).where(JobRow.id == job_id)
    return session.scalars(_lock(stmt) if lock else stmt).one_or_none()


def active_exclusive_job(session: Session, experiment: str) -> JobRow | None:
    stmt = select(JobRow).where(
        JobRow.experiment == experiment,
        JobRow.status.in_([s.value for s in ACTIVE_STATUSES]),
        JobRow.kind.in_([k.value for k in EXCLUSIVE_KINDS]),
    )
    return session.scalars(stmt).first()


def list_jobs(session: Session, experiment: str, active: bool) -> Sequence[JobRow]:
    stmt = select(JobRow).where(JobRow.experiment == experiment)
    if active:
        stmt = stmt.where(JobRow.status.in_([s.value for s in ACTIVE_STATUSES]))
    return session.scalars(stmt.order_by(JobRow.created_at.desc(), JobRow.id)).all()


def move_job(
    session: Session,
    job_id: UUID,
    allowed_from: Iterable[str],
    silent_since: datetime | None = None,
    not_committing: bool = False,
    **values: Any,
) -> bool:
    """Set ``values`` only if the job's status is one of ``allowed_from`` (and, given
    ``silent_since``, it showed no life since then; with ``not_committing``, its worker has
    not begun committing its result); True if it was."""
    stmt = update(JobRow).where(JobRow.id == job_id, JobRow.status.in_(list(allowed_from)))
    if silent_since is not None:
        stmt = stmt.where(_last_sign_of_life() < silent_since)
    if not_committing:
        stmt = stmt.where(JobRow.committing_at.is_(None))
    return session.execute(stmt.values(**values)).rowcount == 1


def touch_job(session: Session, job_id: UUID, now: datetime, allowed_from: Iterable[str]) -> bool:
    """Record a heartbeat if the job's status is one of ``allowed_from``; True if it was."""
    stmt = (
        update(JobRow)
        .where(JobRow.id == job_id, JobRow.status.in_(list(allowed_from)))
        .values(heartbeat_at=now)
    )
    return session.execute(stmt).rowcount == 1


def silent_jobs(session: Session, status: str, since: datetime) -> Sequence[JobRow]:
    """Jobs in ``status`` whose last heartbeat (or start, if none) is older than ``since``."""
    stmt = select(JobRow).where(JobRow.status == status, _last_sign_of_life() < since)
    return session.scalars(stmt.order_by(JobRow.created_at)).all()


def orphan_runs(
    session: Session, running: str, ended: Iterable[str], since: datetime
) -> Sequence[Any]:
    """Runs still ``running`` whose job ended (``ended``) before ``since``: (run id, job id,
    experiment, job status, job finished_at) rows."""
    stmt = (
        select(RunRow.id, JobRow.id, RunRow.experiment, JobRow.status, JobRow.finished_at)
        .join(JobRow, RunRow.job_id == JobRow.id)
        .where(
            RunRow.status == running,
            JobRow.status.in_(list(ended)),
            JobRow.finished_at < since,
        )
    )
    return session.execute(stmt.order_by(JobRow.finished_at)).all()


def end_runs(session: Session, running: str, *where: Any, **values: Any) -> int:
    """Set ``values`` on the runs matching ``where`` that are still ``running``; how many."""
    stmt = update(RunRow).where(RunRow.status == running, *where).values(**values)
    return session.execute(stmt).rowcount


def _last_sign_of_life() -> Any:
    return func.coalesce(JobRow.heartbeat_at, JobRow.started_at, JobRow.created_at)


def bump_job_version(session: Session, job_id: UUID) -> int | None:
    """Count one more change to the job (in this transaction); its new version, or None."""
    stmt = (
        update(JobRow)
        .where(JobRow.id == job_id)
        .values(version=JobRow.version + 1)
        .returning(JobRow.version)
    )
    return session.execute(stmt).scalar_one_or_none()


def job_tables(session: Session, job_ids: Sequence[UUID]) -> dict[UUID, list[JobTableRow]]:
    rows: dict[UUID, list[JobTableRow]] = {job_id: [] for job_id in job_ids}
    stmt = select(JobTableRow).where(JobTableRow.job_id.in_(job_ids))
    for row in session.scalars(stmt):
        rows[row.job_id].append(row)
    return rows


def set_job_table(
    session: Session, job_id: UUID, table: str, rows_total: int | None, rows_loaded: int | None
) -> None:
    """Set the given figures of one table of a job; a figure left None keeps its value."""
    values = {"rows_total": rows_total, "rows_loaded": rows_loaded}
    changed = {k: v for k, v in values.items() if v is not None}
    stmt = _insert(session, JobTableRow).values(job_id=job_id, table=table, **values)
    if changed:
        stmt = stmt.on_conflict_do_update(
            index_elements=["job_id", "table"], set_={k: stmt.excluded[k] for k in changed}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=["job_id", "table"])
    session.execute(stmt)


# runs


def get_run(session: Session, run_id: str, lock: bool = False) -> RunRow | None:
    stmt = select(RunRow).where(RunRow.id == run_id)
    return session.scalars(_lock(stmt) if lock else stmt).one_or_none()


def get_runs(session: Session, run_ids: Sequence[str]) -> dict[str, RunRow]:
    return {r.id: r for r in session.scalars(select(RunRow).where(RunRow.id.in_(run_ids)))}


def list_runs(session: Session, experiment: str) -> Sequence[RunRow]:
    stmt = select(RunRow).where(RunRow.experiment == experiment)
    return session.scalars(stmt.order_by(RunRow.created_at.desc(), RunRow.id.desc())).all()


def upsert_parts(session: Session, run_id: str, parts: Sequence[dict[str, Any]]) -> None:
    """Insert or overwrite parts by (run, table, chunk): reporting a part twice keeps one."""
    if not parts:
        return
    ordered = sorted(parts, key=lambda p: (p["table"], p["chunk"]))  # one lock order: no deadlock
    stmt = _insert(session, PartRow).values([{**p, "run_id": run_id} for p in ordered])
    stmt = stmt.on_conflict_do_update(
        index_elements=["run_id", "table", "chunk"],
        set_={k: stmt.excluded[k] for k in ("key", "rows", "bytes")},
    )
    session.execute(stmt)


def list_parts(session: Session, run_id: str) -> Sequence[PartRow]:
    stmt = select(PartRow).where(PartRow.run_id == run_id)
    return session.scalars(stmt.order_by(PartRow.table, PartRow.chunk)).all()


def part_totals(session: Session, run_ids: Sequence[str]) -> dict[str, PartTotals]:
    """Per run, per table: rows, files and bytes staged (from the parts primary key)."""
    totals: dict[str, PartTotals] = {run_id: {} for run_id in run_ids}
    if not run_ids:
        return totals
    stmt = (
        select(
            PartRow.run_id,
            PartRow.table,
            func.sum(PartRow.rows),
            func.count(),
            func.sum(PartRow.bytes),
        )
        .where(PartRow.run_id.in_(run_ids))
        .group_by(PartRow.run_id, PartRow.table)
    )
    for run_id, table, rows, files, size in session.execute(stmt):
        totals[run_id][table] = (int(rows or 0), int(files), int(size or 0))
    return totals
