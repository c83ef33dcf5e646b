"""Celery task names, their queues and one payload model per task.

The gateway and the workers enqueue by name (``send_task``) without importing worker code.
Every task takes one argument, its payload as JSON-mode data: ids and plain values, never
objects; the worker reads what else it needs (the experiment, the run) from the metadata
service.
"""

from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Queue(StrEnum):
    GENERATOR = "dwsim.generator"
    LOADER = "dwsim.loader"


class TaskName(StrEnum):
    GENERATE_RUN = "dwsim.generate.run"  # plan a run and fan out its chunks
    GENERATE_CHUNK = "dwsim.generate.chunk"  # one chunk of one table -> one Parquet part
    GENERATE_FINISH = "dwsim.generate.finish"  # write the manifests, enqueue the load
    # remove what a run staged once its job was cancelled and no worker did (its task was lost)
    GENERATE_DISCARD = "dwsim.generate.discard"
    MATERIALIZE = "dwsim.load.materialize"  # create the experiment's tables
    LOAD_RUN = "dwsim.load.run"  # load a staged run, table by table, parents first
    RESET = "dwsim.load.reset"  # truncate every table
    DROP = "dwsim.load.drop"  # drop warehouse objects and staged data

    @property
    def queue(self) -> Queue:
        return Queue.GENERATOR if self.value.startswith("dwsim.generate.") else Queue.LOADER

    @property
    def payload(self) -> type["TaskPayload"]:
        return PAYLOADS[self]


class TaskPayload(BaseModel):
    """What every task gets: the job it works for and the experiment it works on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    job_id: UUID
    experiment: str


class GenerateRunPayload(TaskPayload):
    run_id: str
    seed: int = 0
    rows: dict[str, int] = Field(default_factory=dict)  # per-table row counts asked for
    chunk_rows: int | None = None  # rows per Parquet part (default: the engine's)
    load: bool = True  # enqueue the load of this run when it is staged


class GenerateChunkPayload(TaskPayload):
    run_id: str
    table: str
    chunk: int


class GenerateFinishPayload(TaskPayload):
    run_id: str
    load: bool = True


class DiscardRunPayload(TaskPayload):
    run_id: str


class MaterializePayload(TaskPayload):
    pass


class LoadRunPayload(TaskPayload):
    run_id: str
    # True when this load is the last stage of a generate job (same job id): the job was
    # started by the generator and its earlier stages' progress is kept.
    continues_generate: bool = False


class ResetPayload(TaskPayload):
    pass


class DropPayload(TaskPayload):
    pass


PAYLOADS: dict[TaskName, type[TaskPayload]] = {
    TaskName.GENERATE_RUN: GenerateRunPayload,
    TaskName.GENERATE_CHUNK: GenerateChunkPayload,
    TaskName.GENERATE_FINISH: GenerateFinishPayload,
    TaskName.GENERATE_DISCARD: DiscardRunPayload,
    TaskName.MATERIALIZE: MaterializePayload,
    TaskName.LOAD_RUN: LoadRunPayload,
    TaskName.RESET: ResetPayload,
    TaskName.DROP: DropPayload,
}
