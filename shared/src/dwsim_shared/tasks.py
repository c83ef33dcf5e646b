"""Celery task names and queues, so the gateway enqueues by name without importing workers."""

from enum import StrEnum


class Queue(StrEnum):
    GENERATOR = "dwsim.generator"
    LOADER = "dwsim.loader"


class TaskName(StrEnum):
    GENERATE_RUN = "dwsim.generate.run"  # plan a run and fan out its chunks
    GENERATE_CHUNK = "dwsim.generate.chunk"  # one chunk of one table -> one Parquet part
    GENERATE_FINISH = "dwsim.generate.finish"  # write the manifest, enqueue the load
    MATERIALIZE = "dwsim.load.materialize"  # create the experiment's tables
    LOAD_RUN = "dwsim.load.run"  # load a staged run, table by table, parents first
    RESET = "dwsim.load.reset"  # truncate every table
    DROP = "dwsim.load.drop"  # drop warehouse objects and staged data

    @property
    def queue(self) -> Queue:
        return Queue.GENERATOR if self.value.startswith("dwsim.generate.") else Queue.LOADER
