"""A job's progress, computed when it is read from what the workers reported."""

from datetime import datetime

from dwsim_metadata.models import JobRow, JobTableRow, RunRow
from dwsim_metadata.repository import PartTotals
from dwsim_shared.contracts.enums import JobStage, JobStatus
from dwsim_shared.contracts.jobs import JobProgress, TableProgress
from dwsim_shared.contracts.sizing import extrapolate_bytes


def build_progress(
    job: JobRow,
    tables: list[JobTableRow],
    run: RunRow | None,
    parts: PartTotals,
    now: datetime,
) -> JobProgress:
    """Per table: rows asked (the job's report, else the run's request), staged and loaded."""
    requested = run.rows_requested if run is not None else {}
    reported = {t.table: t for t in tables}
    names = list(dict.fromkeys([*requested, *reported, *parts]))
    progress = JobProgress(
        stage=JobStage(job.stage) if job.stage else None, timings=dict(job.timings or {})
    )
    for name in names:
        report = reported.get(name)
        rows_done, files, size = parts.get(name, (0, 0, 0))
        rows_total = report.rows_total if report and report.rows_total is not None else None
        table = TableProgress(
            rows_total=rows_total if rows_total is not None else int(requested.get(name, 0)),
            rows_done=rows_done,
            files=files,
            bytes=size,
            rows_loaded=report.rows_loaded if report else None,
        )
        progress.tables[name] = table
        progress.rows_total += table.rows_total
        progress.rows_done += table.rows_done
        progress.bytes += table.bytes
    progress.bytes_total = extrapolate_bytes(
        progress.bytes, progress.rows_done, progress.rows_total
    )
    _add_rate(progress, job, now)
    return progress


def _add_rate(progress: JobProgress, job: JobRow, now: datetime) -> None:
    """Rows per second since the generate stage began, and seconds left at that rate."""
    if job.status != JobStatus.RUNNING or progress.stage != JobStage.GENERATE:
        return
    if job.stage_started_at is None or progress.rows_done <= 0:
        return
    elapsed = (now - job.stage_started_at).total_seconds()
    if elapsed <= 0:
        return
    rate = progress.rows_done / elapsed
    progress.rows_per_s = round(rate, 1)
    progress.eta_s = round(max(progress.rows_total - progress.rows_done, 0) / rate, 1)
