"""The metadata service's internal HTTP API: the request and response bodies.

Routes (JSON; errors are ``{"detail": ...}`` with 404 unknown, 409 conflict, 422 invalid):

    POST   /experiments                         ExperimentCreate  -> 201 ExperimentRecord
    GET    /experiments                         -> [ExperimentSummary]
    GET    /experiments/{name}                  -> ExperimentRecord
    PUT    /experiments/{name}                  ExperimentCreate  -> ExperimentRecord
    DELETE /experiments/{name}                  -> 204 (its runs, parts and saved queries go
                                                with it; its jobs stay, so a drop job can
                                                still be polled)
    GET    /experiments/{name}/runs             -> [GenerationRun] newest first
    GET    /experiments/{name}/jobs?active=true -> [JobDetail] newest first (also after a drop)
    GET    /experiments/{name}/queries          -> [SavedQuery] by name
    GET    /experiments/{name}/queries/{query}  -> SavedQuery
    PUT    /experiments/{name}/queries/{query}  SavedQueryBody -> 201 SavedQuery (created) or
                                                200 (replaced); 422 for a name that does not
                                                match SAVED_QUERY_NAME_PATTERN
    DELETE /experiments/{name}/queries/{query}  -> 204
    POST   /jobs                                JobCreate -> 201 JobDetail
                                                409 if an exclusive job is active
    GET    /jobs/{id}                           -> JobDetail
    POST   /jobs/{id}/transition                JobTransition -> JobDetail
                                                409 if the move is not allowed; repeating
                                                the current status is a no-op (200)
    POST   /jobs/{id}/stage                     StageReport -> JobDetail
    POST   /jobs/{id}/tables                    TablesReport -> JobDetail (values are set)
    POST   /jobs/{id}/heartbeat                 -> 204 (the job's worker lives; 409 once the
                                                job has finished: the task should stop)
    POST   /runs                                RunCreate -> 201 GenerationRun
    GET    /runs/{id}                           -> GenerationRun
    PATCH  /runs/{id}                           RunUpdate -> GenerationRun
    POST   /runs/{id}/parts                     [StagedPart] -> GenerationRun
                                                upserted by (run, table, chunk)
    GET    /runs/{id}/parts                     -> [StagedPart] by table, chunk
    GET    /health                              -> {"status": "ok", "database": ...}

Every report *sets* a value keyed by what it describes (a part by its chunk, a table's loaded
rows by its table, a stage by its name), so a redelivered task reporting again changes nothing.
"""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus, RunStatus, Warehouse
from dwsim_shared.contracts.schema import Experiment


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExperimentCreate(_Model):
    experiment: Experiment


class ExperimentRecord(_Model):
    name: str
    warehouse: Warehouse
    schema_: Experiment = Field(alias="schema")
    created_at: datetime
    updated_at: datetime

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ExperimentSummary(_Model):
    name: str
    warehouse: Warehouse
    tables: int
    total_rows: int  # rows the schema asks for, summed over its tables
    last_run_id: str | None = None
    last_run_status: RunStatus | None = None
    last_run_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class JobCreate(_Model):
    kind: JobKind
    experiment: str
    run_id: str | None = None
    id: UUID | None = None  # the caller may choose the id (the gateway does, to return it)


class JobTransition(_Model):
    status: JobStatus
    error: str | None = None
    traceback: str | None = None


class StageReport(_Model):
    stage: JobStage
    # seconds the previous stage took, recorded under its name (set, not added)
    timings: dict[str, float] = Field(default_factory=dict)


class TableReport(_Model):
    rows_total: int | None = None
    rows_loaded: int | None = None


class TablesReport(_Model):
    tables: dict[str, TableReport]


class RunCreate(_Model):
    id: str
    experiment: str
    job_id: UUID | None = None
    seed: int
    chunk_rows: int
    rows_requested: dict[str, int]
    prefix: str


class RunUpdate(_Model):
    status: RunStatus | None = None
    error: str | None = None
    timings: dict[str, float] | None = None  # merged into the run's timings
    finished: bool = False  # stamp finished_at now


class RunCompletion(_Model):
    """Mark a run completed and move its job, in one transaction that requires the job to be
    still running: its job enters ``job_stage`` (a load follows), or, with none, succeeds.
    Refused (409) if the job has ended (cancelled): the run is then not completed."""

    timings: dict[str, float] = Field(default_factory=dict)  # merged into the run's timings
    job_timings: dict[str, float] = Field(default_factory=dict)  # merged into the job's
    job_stage: JobStage | None = None
