"""Tables of the metadata database (SQLAlchemy 2 declarative); migrations are in migrations/."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates

from dwsim_shared.contracts.enums import JobStatus
from dwsim_shared.contracts.identifiers import fold_name
from dwsim_shared.contracts.jobs import EXCLUSIVE_KINDS

ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


def _in(values: Any) -> str:
    return "(" + ", ".join(f"'{v.value}'" for v in sorted(values)) + ")"


# The one-active-exclusive-job rule, as the database enforces it (index ix_jobs_one_active).
ACTIVE_EXCLUSIVE_WHERE = text(
    f"status IN {_in(ACTIVE_STATUSES)} AND kind IN {_in(EXCLUSIVE_KINDS)}"
)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no zone, so it is put back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ExperimentRow(Base):
    __tablename__ = "experiments"
    # names equal but for case would share a Redshift schema (Redshift folds even quoted names
    # to lower case) and a SQLite file on a case-insensitive disk: refused by the database, so
    # two racing creates cannot both pass. The folding is Python's (fold_name), the same on
    # every backend, not the database's lower() (SQLite's folds ASCII only); the gateway also
    # compares folded names before it writes.
    __table_args__ = (Index("ux_experiments_name_folded", "name_folded", unique=True),)

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    # fold_name(name), set with the name (below); Text as folding can lengthen a name (ß -> ss)
    name_folded: Mapped[str] = mapped_column(Text)
    warehouse: Mapped[str] = mapped_column(String(32))
    schema: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @validates("name")
    def _fold(self, _key: str, name: str) -> str:
        """Whoever sets the name (create, or a rename) sets its folded form with it."""
        self.name_folded = fold_name(name)
        return name


class SavedQueryRow(Base):
    """A query saved with an experiment, by name; it goes when the experiment does."""

    __tablename__ = "saved_queries"

    experiment: Mapped[str] = mapped_column(
        String(255), ForeignKey("experiments.name", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    sql: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RunRow(Base):
    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_experiment_created", "experiment", "created_at"),)

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    experiment: Mapped[str] = mapped_column(
        String(255), ForeignKey("experiments.name", ondelete="CASCADE")
    )
    job_id: Mapped[UUID | None] = mapped_column(Uuid(), nullable=True)
    seed: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(32))
    chunk_rows: Mapped[int] = mapped_column(BigInteger)
    rows_requested: Mapped[dict[str, int]] = mapped_column(JSON)
    timings: Mapped[dict[str, float]] = mapped_column(JSON)
    prefix: Mapped[str] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PartRow(Base):
    __tablename__ = "parts"

    run_id: Mapped[str] = mapped_column(
        String(255), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    table: Mapped[str] = mapped_column(String(255), primary_key=True)
    chunk: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text)
    rows: Mapped[int] = mapped_column(BigInteger)
    bytes: Mapped[int] = mapped_column(BigInteger)


class JobRow(Base):
    """A job; ``experiment`` is a plain column so a job outlives its dropped experiment."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_experiment_created", "experiment", "created_at"),
        Index(
            "ix_jobs_one_active",
            "experiment",
            unique=True,
            sqlite_where=ACTIVE_EXCLUSIVE_WHERE,
            postgresql_where=ACTIVE_EXCLUSIVE_WHERE,
        ),
    )

    id: Mapped[UUID] = mapped_column(Uuid(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    experiment: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str | None] = mapped_column(String(32), nullable=True)
    stage_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    run_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    traceback: Mapped[str | None] = mapped_column(Text, nullable=True)
    timings: Mapped[dict[str, float]] = mapped_column(JSON)
    # bumped by every write that changes what the job shows (its parts included), so the
    # snapshot the gateway serves is replaced only by a newer one (dwsim_shared.job_cache)
    version: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # when a worker holding the job last showed life (a heartbeat or a report); a running job
    # silent for too long is failed by the reaper (reaper.py)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # when its worker began committing the job's result (a load's COMMIT): from then on the
    # job can no longer be cancelled, only succeed or fail (jobs.py)
    committing_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class JobTableRow(Base):
    __tablename__ = "job_tables"

    job_id: Mapped[UUID] = mapped_column(
        Uuid(), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    table: Mapped[str] = mapped_column(String(255), primary_key=True)
    rows_total: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    rows_loaded: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
