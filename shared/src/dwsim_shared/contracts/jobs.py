"""Jobs and generation runs: the one public shape of every piece of asynchronous work.

A job moves only along ``TRANSITIONS``; the metadata service refuses any other move, so a
late or duplicate report from a redelivered task cannot bring a finished job back.
"""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus, RunStatus


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.RUNNING: frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
}

# At most one active (queued or running) job of these kinds per experiment.
EXCLUSIVE_KINDS: frozenset[JobKind] = frozenset(
    {JobKind.GENERATE, JobKind.LOAD, JobKind.RESET, JobKind.DROP}
)


def can_transition(current: JobStatus, new: JobStatus) -> bool:
    return new in TRANSITIONS[current]


class TableProgress(_Model):
    rows_total: int = 0  # rows the job will generate (or load) for this table
    rows_done: int = 0  # rows generated and staged so far
    files: int = 0
    bytes: int = 0
    rows_loaded: int | None = None  # rows the warehouse holds once the table is loaded


class JobProgress(_Model):
    stage: JobStage | None = None
    rows_done: int = 0
    rows_total: int = 0
    bytes: int = 0
    bytes_total: int | None = None  # bytes the run will stage, extrapolated from parts so far
    rows_per_s: float | None = None
    eta_s: float | None = None
    tables: dict[str, TableProgress] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)  # seconds per finished stage


class Job(_Model):
    """What ``GET /api/jobs/{id}`` returns."""

    id: UUID
    kind: JobKind
    experiment: str
    status: JobStatus = JobStatus.QUEUED
    progress: JobProgress = Field(default_factory=JobProgress)
    error: str | None = None  # for the person: what went wrong and what to do
    run_id: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class JobDetail(Job):
    """A job as the metadata service keeps it: the public shape plus the operator's traceback."""

    traceback: str | None = None


class ManifestFile(_Model):
    key: str  # object key relative to the run prefix, e.g. "orders/part-00000.parquet"
    rows: int
    bytes: int


class TableManifest(_Model):
    rows: int
    files: list[ManifestFile]


class RunManifest(_Model):
    """Written last, at ``{run}/manifest.json``: a run without it is incomplete."""

    experiment: str
    run_id: str
    seed: int
    schema_hash: str
    chunk_rows: int
    created_at: datetime
    tables: dict[str, TableManifest]


class GenerationRun(_Model):
    """One generation of an experiment's data: what was asked, what was staged, how long."""

    id: str
    experiment: str
    job_id: UUID | None = None
    seed: int
    status: RunStatus = RunStatus.RUNNING
    chunk_rows: int = 0
    rows_requested: dict[str, int] = Field(default_factory=dict)
    rows: dict[str, int] = Field(default_factory=dict)  # rows generated per table
    files: int = 0
    bytes: int = 0
    timings: dict[str, float] = Field(default_factory=dict)  # seconds per stage
    prefix: str = ""  # s3://bucket/experiments/{experiment}/runs/{id}/
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None


class StagedPart(_Model):
    """One Parquet part a chunk task staged; reporting it twice records it once."""

    table: str
    chunk: int
    key: str  # relative to the run prefix
    rows: int
    bytes: int
