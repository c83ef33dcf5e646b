"""A job as people read it: its state, per-table rows, stage timings, and how it ended."""

from rich.console import Console
from rich.markup import escape

from dwsim_cli.render import add_row, count, seconds, size, table, when
from dwsim_shared.contracts.enums import JobStage, JobStatus
from dwsim_shared.contracts.jobs import Job, TableProgress


def label(job: Job) -> str:
    """``generate job 7f3e... on shop``."""
    return f"{job.kind.value} job {job.id} on {job.experiment}"


def elapsed(job: Job) -> float | None:
    start = job.started_at or job.created_at
    if job.finished_at is None or start is None:
        return None
    return max((job.finished_at - start).total_seconds(), 0.0)


def table_done(job: Job, progress: TableProgress) -> int:
    """Rows done for a table: loaded rows once a job loads, generated rows before."""
    if job.progress.stage in (JobStage.LOAD, JobStage.RESET):
        return progress.rows_loaded or 0
    return progress.rows_done


def outcome(job: Job) -> str:
    """How the job ended, in one line (it says ``failed`` or ``cancelled`` when it did)."""
    took = elapsed(job)
    after = f" after {seconds(took)}" if took is not None else ""
    if job.status == JobStatus.SUCCEEDED:
        parts = [f"{label(job)} succeeded in {seconds(took)}"]
        if job.progress.rows_total:
            parts.append(f"{count(job.progress.rows_done)} rows")
        if job.progress.timings:
            parts.append(", ".join(f"{k} {seconds(v)}" for k, v in job.progress.timings.items()))
        if job.run_id:
            parts.append(f"run {job.run_id}")
        return " · ".join(parts)
    if job.status == JobStatus.FAILED:
        return f"{label(job)} failed{after}: {job.error or 'no reason given'}"
    if job.status == JobStatus.CANCELLED:
        return f"{label(job)} was cancelled{after}"
    return f"{label(job)} is {job.status.value}"


def show_job(out: Console, job: Job) -> None:
    p = job.progress
    stage = f", stage {p.stage.value}" if p.stage else ""
    out.print(f"[bold]{escape(label(job))}[/bold]: {job.status.value}{stage}")
    facts = [("run", job.run_id), ("created", when(job.created_at))]
    facts += [("started", when(job.started_at)), ("finished", when(job.finished_at))]
    if p.rows_total:
        rate = f" at {count(round(p.rows_per_s))} rows/s" if p.rows_per_s else ""
        eta = f", about {seconds(p.eta_s)} left" if p.eta_s and not job.status.is_terminal else ""
        facts.append(("rows", f"{count(p.rows_done)} of {count(p.rows_total)}{rate}{eta}"))
    if p.bytes:
        facts.append(("staged", size(p.bytes)))
    if p.timings:
        facts.append(("timings", ", ".join(f"{k} {seconds(v)}" for k, v in p.timings.items())))
    for key, value in facts:
        if value and value != "-":
            out.print(f"  {key:<9}{value}", markup=False)
    if p.tables:
        numbers = ("rows", "generated", "loaded", "files", "size")
        grid = table("table", *numbers, right=numbers, whole=("table",))
        for name, t in p.tables.items():
            add_row(
                grid,
                name,
                count(t.rows_total),
                count(t.rows_done),
                count(t.rows_loaded),
                count(t.files),
                size(t.bytes),
            )
        out.print(grid)
    if job.error:
        out.print(f"  error    {job.error}", markup=False)


def show_jobs(out: Console, jobs: list[Job]) -> None:
    if not jobs:
        out.print("no jobs")
        return
    grid = table(
        "job", "kind", "status", "stage", "rows", "created", "run", right=("rows",), whole=("job",)
    )
    for job in jobs:
        add_row(
            grid,
            str(job.id),
            job.kind.value,
            job.status.value,
            job.progress.stage.value if job.progress.stage else "-",
            count(job.progress.rows_total) if job.progress.rows_total else "-",
            when(job.created_at),
            job.run_id or "-",
        )
    out.print(grid)
