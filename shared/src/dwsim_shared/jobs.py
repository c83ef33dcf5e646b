"""Jobs and generation runs: the one public shape of every piece of asynchronous work."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from dwsim_shared.enums import JobKind, JobStatus, RunStatus


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TableProgress(_Model):
    rows_done: int = 0
    rows_total: int = 0
    files: int = 0


class JobProgress(_Model):
    stage: str | None = None
    rows_done: int = 0
    rows_total: int = 0
    tables: dict[str, TableProgress] = Field(default_factory=dict)


class Job(_Model):
    id: UUID
    kind: JobKind
    experiment: str
    status: JobStatus = JobStatus.QUEUED
    progress: JobProgress = Field(default_factory=JobProgress)
    error: str | None = None
    run_id: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


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
    id: str
    experiment: str
    seed: int
    status: RunStatus = RunStatus.RUNNING
    rows: dict[str, int] = Field(default_factory=dict)
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None
