"""The generator worker's work without Celery: plan a run, make one chunk, finish the run.

State lives in the metadata service (the run record and its parts) and in S3 (the parts and
manifests); a worker process only caches what it can rebuild: the plan of a few recent runs,
and for about a second whether a job has ended.
"""

import logging
import time
from collections import OrderedDict
from contextlib import AbstractContextManager, suppress
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from dwsim_generator.config import Settings, get_settings
from dwsim_generator.engine import DEFAULT_CHUNK_ROWS, RunPlan, plan_run
from dwsim_generator.engine.parallel import largest_first
from dwsim_generator.engine.plan import chunk_count
from dwsim_generator.engine.writer import manifest_documents, part_bytes
from dwsim_generator.staging import bucket_of, put_text, staged_sizes, upload_part
from dwsim_shared.contracts.enums import JobStage, JobStatus, RunStatus
from dwsim_shared.contracts.graph import load_order
from dwsim_shared.contracts.jobs import GenerationRun, StagedPart
from dwsim_shared.contracts.metadata import RunCompletion, RunCreate, TableReport
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.tasks import (
    GenerateChunkPayload,
    GenerateFinishPayload,
    GenerateRunPayload,
    TaskPayload,
)
from dwsim_shared.errors import DwsimError
from dwsim_shared.heartbeat import Heartbeat
from dwsim_shared.logs import log_event
from dwsim_shared.metadata_client import ConflictError, MetadataClient, NotFoundError
from dwsim_shared.reporter import JobFinishedError, JobReporter
from dwsim_shared.s3 import delete_prefix, s3_client

logger = logging.getLogger("dwsim_generator")

PLAN_CACHE_RUNS = 4  # plans kept per process (a plan holds its Faker pools)
JOB_CHECK_S = 1.0  # how long a process trusts what it last read of a job's status


class Finish(StrEnum):
    """What ``finish_run`` did, so the task knows whether to enqueue the load."""

    SKIPPED = "skipped"  # the job had ended, or this run was already handed to the loader
    SUCCEEDED = "succeeded"
    LOAD = "load"  # the run is staged; the caller enqueues its load


class GeneratorService:
    def __init__(
        self, settings: Settings | None = None, client: MetadataClient | None = None, s3: Any = None
    ):
        self.settings = settings or get_settings()
        self.client = client or MetadataClient(self.settings.metadata_url)
        self._s3 = s3
        self._plans: OrderedDict[str, tuple[GenerationRun, RunPlan]] = OrderedDict()
        self._ended: dict[str, tuple[float, bool]] = {}

    @property
    def s3(self) -> Any:
        if self._s3 is None:
            self._s3 = s3_client(self.settings)
        return self._s3

    def heartbeats(self, job_id: UUID | str) -> AbstractContextManager[Heartbeat]:
        """While a task works for the job: its heartbeat (dwsim_shared.heartbeat)."""
        interval = self.settings.job_heartbeat_interval_s
        return JobReporter(self.client, job_id).heartbeats(interval)

    # plan

    def start_run(self, payload: GenerateRunPayload) -> list[tuple[str, int]]:
        """Plan the run, record it, and return its (table, chunk) tasks, largest first.

        Raises ``JobFinishedError`` if the job ended before it started (e.g. was cancelled).
        """
        reporter = JobReporter(self.client, payload.job_id)
        reporter.start(JobStage.PLAN)
        record = self.client.get_experiment(payload.experiment)
        plan = plan_run(
            record.schema_,
            seed=payload.seed,
            rows=payload.rows,
            chunk_rows=payload.chunk_rows or DEFAULT_CHUNK_ROWS,
            max_rows=self.settings.max_rows,
        )
        layout = RunLayout(record.name, payload.run_id)
        run = self._create_run(payload, plan, layout)
        self._remember(run, plan)
        tables = {name: TableReport(rows_total=plan.rows[name]) for name in plan.order}
        reporter.tables(tables, force=True)
        reporter.stage(JobStage.GENERATE)
        tasks = largest_first(plan, plan.tasks())
        log_event(logger, "generator.run_planned", chunks=len(tasks), rows=sum(plan.rows.values()))
        return tasks

    def _create_run(
        self, payload: GenerateRunPayload, plan: RunPlan, layout: RunLayout
    ) -> GenerationRun:
        body = RunCreate(
            id=payload.run_id,
            experiment=layout.experiment,
            job_id=payload.job_id,
            seed=plan.seed,
            chunk_rows=plan.chunk_rows,
            rows_requested=plan.rows,
            prefix=f"s3://{self.settings.s3_bucket}/{layout.prefix}",
        )
        try:
            return self.client.create_run(body)
        except ConflictError:  # this task was delivered again: the run is the one it made
            run = self.client.get_run(payload.run_id)
            if run.job_id != payload.job_id:
                raise DwsimError(
                    f"run id {payload.run_id!r} is already used by job {run.job_id}"
                ) from None
            return run

    # chunks

    def make_chunk(self, payload: GenerateChunkPayload) -> StagedPart | None:
        """Generate one chunk, upload it as a Parquet part and report it; None if the job ended."""
        if self.job_ended(payload.job_id):
            log_event(logger, "generator.chunk_skipped", table=payload.table, chunk=payload.chunk)
            return None
        started = time.perf_counter()
        run, plan = self.run_plan(payload.run_id)
        data = plan.generate_chunk(payload.table, payload.chunk)
        made = time.perf_counter()
        body = part_bytes(data)
        encoded = time.perf_counter()
        layout = RunLayout(run.experiment, run.id)
        bucket = bucket_of(run.prefix, self.settings.s3_bucket)
        key = layout.part_key(payload.table, payload.chunk)
        upload_part(self.s3, bucket, key, body)
        uploaded = time.perf_counter()
        if self.client.get_job(payload.job_id).status.is_terminal:  # ended while it was made:
            self.s3.delete_object(Bucket=bucket, Key=key)  # the run's cleanup may be done
            log_event(logger, "generator.part_discarded", table=payload.table, chunk=payload.chunk)
            return None
        part = StagedPart(
            table=payload.table,
            chunk=payload.chunk,
            key=RunLayout.relative_part(payload.table, payload.chunk),
            rows=data.num_rows,
            bytes=body.size,
        )
        self.client.report_parts(run.id, [part])
        log_event(logger, "generator.part_staged", table=part.table, chunk=part.chunk,
                  rows=part.rows, bytes=part.bytes,
                  seconds=round(time.perf_counter() - started, 3),
                  generate_s=round(made - started, 3), encode_s=round(encoded - made, 3),
                  upload_s=round(uploaded - encoded, 3))  # fmt: skip
        return part

    def job_ended(self, job_id: UUID | str) -> bool:
        """Whether the job was cancelled or failed; read at most once a second per process."""
        key, now = str(job_id), time.monotonic()
        cached = self._ended.get(key)
        if cached is not None and now - cached[0] < JOB_CHECK_S:
            return cached[1]
        ended = self.client.get_job(key).status.is_terminal
        if len(self._ended) > 256:
            self._ended.clear()
        self._ended[key] = (now, ended)
        return ended

    def run_plan(self, run_id: str) -> tuple[GenerationRun, RunPlan]:
        """The run record and its plan, rebuilt from the metadata service once per process."""
        if run_id in self._plans:
            self._plans.move_to_end(run_id)
            return self._plans[run_id]
        run = self.client.get_run(run_id)
        experiment = self.client.get_experiment(run.experiment).schema_
        plan = plan_run(
            experiment,
            seed=run.seed,
            rows=run.rows_requested,
            chunk_rows=run.chunk_rows,
            check_keys=False,  # checked when the run was planned
        )
        self._remember(run, plan)
        return run, plan

    def _remember(self, run: GenerationRun, plan: RunPlan) -> None:
        self._plans[run.id] = (run, plan)
        self._plans.move_to_end(run.id)
        while len(self._plans) > PLAN_CACHE_RUNS:
            self._plans.popitem(last=False)

    # finish

    def finish_run(self, payload: GenerateFinishPayload) -> Finish:
        """Check every part is staged, write the manifests (``manifest.json`` last), complete
        the run; then the job succeeds, or moves to the load stage (``Finish.LOAD``)."""
        job = self.client.get_job(payload.job_id)
        run = self.client.get_run(payload.run_id)
        if job.status.is_terminal:
            self.end_run(run, job.status)
            log_event(logger, "generator.finish_skipped", job_status=job.status.value)
            return Finish.SKIPPED
        if run.status == RunStatus.COMPLETED and job.progress.stage == JobStage.LOAD:
            log_event(logger, "generator.finish_skipped", reason="the load was enqueued already")
            return Finish.SKIPPED  # a redelivered finish
        started = time.monotonic()
        generate_s = _seconds_since(run.created_at)
        self._report_stage(job.id, JobStage.STAGE, {JobStage.GENERATE.value: generate_s})
        experiment = self.client.get_experiment(run.experiment).schema_
        by_table = self._staged_parts(run, [t for t in load_order(experiment)
                                            if t in run.rows_requested])  # fmt: skip
        layout = RunLayout(run.experiment, run.id)
        bucket = bucket_of(run.prefix, self.settings.s3_bucket)
        self._check_staged(run, bucket, layout, by_table)
        documents, manifest = manifest_documents(
            layout, bucket, run.seed, experiment.schema_hash(), run.chunk_rows, by_table
        )
        for key, text in documents.items():  # manifest.json is the last of them
            put_text(self.s3, bucket, f"{layout.prefix}{key}", text)
        job = self.client.get_job(job.id)
        if job.status.is_terminal:  # cancelled while the manifests were written
            self.end_run(run, job.status)
            return Finish.SKIPPED
        stage_s = round(time.monotonic() - started, 3)
        timings = {JobStage.GENERATE.value: generate_s, JobStage.STAGE.value: stage_s}
        if JobStage.PLAN.value in job.progress.timings:
            timings = {JobStage.PLAN.value: job.progress.timings[JobStage.PLAN.value], **timings}
        completion = RunCompletion(
            timings=timings,
            job_timings={JobStage.STAGE.value: stage_s},
            job_stage=JobStage.LOAD if payload.load else None,  # else the job succeeds
        )
        try:  # the run completes and its job moves on in one step, or neither (cancelled)
            self.client.complete_run(run.id, completion)
        except ConflictError as exc:
            log_event(logger, "generator.finish_skipped", reason=str(exc))
            self.end_run(self.client.get_run(run.id), self.client.get_job(job.id).status)
            return Finish.SKIPPED
        rows = sum(t.rows for t in manifest.tables.values())
        log_event(logger, "generator.run_staged", rows=rows, seconds=stage_s)
        return Finish.LOAD if payload.load else Finish.SUCCEEDED

    def _report_stage(self, job_id: UUID, stage: JobStage, timings: dict[str, float]) -> None:
        try:
            self.client.report_stage(job_id, stage, timings)
        except ConflictError as exc:  # the job ended meanwhile (cancelled)
            raise JobFinishedError(f"{exc}; stopping") from None

    def _staged_parts(self, run: GenerationRun, order: list[str]) -> dict[str, list[StagedPart]]:
        """The run's parts per table; ``DwsimError`` naming every chunk that is missing."""
        parts = {(p.table, p.chunk): p for p in self.client.list_parts(run.id)}
        missing = []
        for table in order:
            chunks = range(chunk_count(run.rows_requested[table], run.chunk_rows))
            absent = [str(c) for c in chunks if (table, c) not in parts]
            if absent:
                missing.append(f"{table} chunk{'s' if len(absent) > 1 else ''} "
                               f"{', '.join(absent[:10])}{' ...' if len(absent) > 10 else ''}")  # fmt: skip
        if missing:
            raise DwsimError(
                f"run {run.id} is incomplete, no part was staged for {'; '.join(missing)} "
                "(a chunk task failed: see the generator worker's log)"
            )
        return {t: sorted((p for p in parts.values() if p.table == t), key=lambda p: p.chunk)
                for t in order}  # fmt: skip

    def _check_staged(
        self,
        run: GenerationRun,
        bucket: str,
        layout: RunLayout,
        by_table: dict[str, list[StagedPart]],
    ) -> None:
        """Every part the run reported is in S3 at the size it was written, or ``DwsimError``
        naming those that are not: no manifest names a part that is gone (an S3 server that
        restarted and kept its objects in memory, or objects deleted under the run)."""
        sizes = staged_sizes(self.s3, bucket, layout.prefix)
        wrong = []
        for part in (p for parts in by_table.values() for p in parts):
            held = sizes.get(part.key)
            if held is None:
                wrong.append(f"{part.key} (missing)")
            elif held != part.bytes:
                wrong.append(f"{part.key} ({held:,} bytes, written {part.bytes:,})")
        if wrong:
            raise DwsimError(
                f"run {run.id}: S3 at {self.s3.meta.endpoint_url} no longer holds "
                f"{len(wrong)} of the run's {sum(map(len, by_table.values()))} staged parts as "
                f"they were written: {', '.join(wrong[:10])}{' ...' if len(wrong) > 10 else ''} "
                "(did the S3 server restart? moto's keeps its objects in memory); no manifest "
                "was written: generate again"
            )

    # ends

    def end_run(self, run: GenerationRun, job_status: JobStatus) -> None:
        """The job ended before its run was complete: the run ends failed, or cancelled with
        every object it staged deleted first (so a retry finds the same). A completed run (its
        manifest written) is kept: it is whole, and loadable."""
        if run.status == RunStatus.COMPLETED:
            return
        error = f"the job was {job_status}; the run is incomplete"
        status = RunStatus.FAILED
        if job_status == JobStatus.CANCELLED:
            bucket = bucket_of(run.prefix, self.settings.s3_bucket)
            prefix = RunLayout(run.experiment, run.id).prefix
            deleted = delete_prefix(self.s3, bucket, prefix)
            log_event(logger, "generator.run_discarded", objects=deleted)
            error += " and its staged objects were removed"
            status = RunStatus.CANCELLED
        if run.status == RunStatus.RUNNING:  # a run failed by a task keeps that task's error
            self._end(run.id, status, error)

    def _end(self, run_id: str, status: RunStatus, error: str) -> None:
        with suppress(ConflictError):  # another task ended it meanwhile: it keeps that end
            self.client.update_run(run_id, status, error=error, finished=True)

    def stopped(self, payload: TaskPayload) -> None:
        """A task stopped because its job ended (``JobFinishedError``), or the reaper's discard
        of a run its cancelled job left: end the run; a cancelled job's objects are removed."""
        run_id = getattr(payload, "run_id", None)
        if run_id is None:
            return
        try:
            run = self.client.get_run(run_id)
        except NotFoundError:
            return  # ended while planning, before the run was recorded
        self.end_run(run, self.client.get_job(payload.job_id).status)

    # failures

    def fail(self, payload: TaskPayload, error: BaseException | str) -> None:
        """End the run (if one was recorded) and then the job failed, with a message for the
        person; a job that has already ended keeps its end."""
        run_id = getattr(payload, "run_id", None)
        if run_id is not None:
            try:
                run = self.client.get_run(run_id)
            except NotFoundError:
                run = None  # failed while planning: no run was recorded
            if run is not None and run.status == RunStatus.RUNNING:
                self._end(run_id, RunStatus.FAILED, message(error))
        JobReporter(self.client, payload.job_id).fail(error)


def message(error: BaseException | str) -> str:
    """What went wrong, for the person: our errors as they are, others with their type."""
    if isinstance(error, str):
        return error
    text = str(error).strip()
    if isinstance(error, DwsimError) and text:
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _seconds_since(moment: datetime) -> float:
    """Seconds since a time the metadata service stamped (naive times are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(max((datetime.now(UTC) - moment).total_seconds(), 0.0), 3)
