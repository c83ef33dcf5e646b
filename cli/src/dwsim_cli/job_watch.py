"""Following a job to its end: a live bar for the job and one per table (rich), by polling.

On a terminal the bars redraw in place; elsewhere (a pipe, a log) a line is printed each time
the job changes status or stage, and the bars once, as they ended.
"""

import time

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, ProgressColumn, TaskID, TaskProgressColumn
from rich.progress import Task as BarTask
from rich.table import Column
from rich.text import Text

from dwsim_cli.api_client import ApiClient
from dwsim_cli.api_errors import ApiError, ExitCode
from dwsim_cli.job_views import label, table_done
from dwsim_cli.render import count
from dwsim_shared.contracts.enums import JobStage, JobStatus
from dwsim_shared.contracts.jobs import Job

POLL_S = 0.5
ENDED = {JobStatus.SUCCEEDED: "done", JobStatus.FAILED: "failed", JobStatus.CANCELLED: "cancelled"}
UNANSWERED_TRIES = 10  # polls in a row the gateway may miss (a restart) before we give up


class RowsColumn(ProgressColumn):
    def __init__(self) -> None:
        super().__init__(table_column=Column(no_wrap=True))

    def render(self, task: BarTask) -> Text:
        if task.fields.get("rowless"):
            return Text("")
        total = f"{count(int(task.total))}" if task.total else "?"
        return Text(f"{count(int(task.completed))}/{total} rows", justify="right")


class RateColumn(ProgressColumn):
    """The job's own rows/s when it reports one, else rich's estimate from our polls."""

    def render(self, task: BarTask) -> Text:
        ended = task.finished or task.fields.get("ended") or task.fields.get("rowless")
        rate = task.fields.get("rate") or (task.speed if not ended else None)
        return Text(f"{count(round(rate))} rows/s" if rate else "", style="progress.data.speed")


class EtaColumn(ProgressColumn):
    def render(self, task: BarTask) -> Text:
        if task.fields.get("ended"):  # the job's end: done, failed, cancelled
            return Text(task.fields["ended"], style="progress.remaining")
        if task.finished:
            return Text("done", style="progress.remaining")
        if task.fields.get("rowless"):
            return Text("")
        eta = task.fields.get("eta")
        if eta is None:
            eta = task.time_remaining
        if eta is None:
            return Text("ETA -:--", style="progress.remaining")
        minutes, secs = divmod(int(eta), 60)
        return Text(f"ETA {minutes}:{secs:02d}", style="progress.remaining")


class JobView:
    """The job's bars: the first for the whole job (kind, status, stage), then one per table."""

    def __init__(self, out: Console):
        self.out = out
        self.progress = Progress(
            "{task.description}",
            BarColumn(bar_width=30),
            TaskProgressColumn(),
            RowsColumn(),
            RateColumn(),
            EtaColumn(),
            console=out,
            refresh_per_second=4,
        )
        self.job_bar: TaskID | None = None
        self.bars: dict[str, TaskID] = {}
        self.stages: dict[str, JobStage | None] = {}  # per bar: the stage its count is of
        self.said = ""

    def __enter__(self) -> "JobView":
        self.progress.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.progress.stop()

    def update(self, job: Job) -> None:
        p = job.progress
        stage = p.stage.value if p.stage else "-"
        status = f"{job.kind.value} {job.status.value}" + (f" · {stage}" if p.stage else "")
        if not self.out.is_terminal and status != self.said:
            line = f"{label(job)}: {job.status.value}" + (f", {stage}" if p.stage else "")
            self.out.print(line, markup=False)
        self.said = status
        done = [table_done(job, t) for t in p.tables.values()]
        totals = [t.rows_total for t in p.tables.values()]
        overall_done = sum(done) if p.tables else p.rows_done
        overall_total = sum(totals) if p.tables else p.rows_total
        generating = p.stage == JobStage.GENERATE
        self.job_bar = self._bar(
            self.job_bar,
            "job",
            job,
            f"[bold]{escape(status)}[/bold]",
            overall_done,
            overall_total,
            rate=p.rows_per_s if generating else None,
            eta=p.eta_s if generating else None,
        )
        for (name, t), rows in zip(p.tables.items(), done, strict=True):
            if not t.rows_total and name not in self.bars:
                continue  # a job without rows per table (reset): no bar for them
            self.bars[name] = self._bar(
                self.bars.get(name), name, job, f"  {escape(name)}", rows, t.rows_total
            )
        self.progress.refresh()

    def _bar(
        self,
        bar: TaskID | None,
        key: str,
        job: Job,
        description: str,
        done: int,
        total: int,
        rate: float | None = None,
        eta: float | None = None,
    ) -> TaskID:
        succeeded = job.status == JobStatus.SUCCEEDED
        ended = ENDED.get(job.status)
        rowless = not total
        fields = {"rate": rate, "eta": eta, "ended": ended, "rowless": rowless}
        if rowless:  # nothing to count: a pulse while it runs, full once it succeeded
            total, done = (1, 1 if succeeded else 0) if ended else (0, 0)
        if bar is None:
            bar = self.progress.add_task(description, total=total or None, **fields)
        elif self.stages.get(key) != job.progress.stage:
            # a new stage counts anew (generated rows, then loaded rows): fresh speed samples
            self.progress.reset(bar, total=total or None, description=description, **fields)
        self.stages[key] = job.progress.stage
        self.progress.update(bar, completed=done, total=total or None, description=description)
        self.progress.update(bar, **fields)
        return bar


def watch(client: ApiClient, job_id: str, out: Console | None, poll_s: float = POLL_S) -> Job:
    """Poll the job until it ends (drawing it on ``out`` unless None); the job as it ended."""
    view = JobView(out) if out is not None else None
    missed = 0
    if view is not None:
        view.__enter__()
    try:
        while True:
            try:
                job = Job.model_validate(client.job(job_id))
                missed = 0
            except ApiError as exc:
                missed += 1
                if exc.exit_code != ExitCode.UNAVAILABLE or missed >= UNANSWERED_TRIES:
                    raise
                time.sleep(poll_s)
                continue
            if view is not None:
                view.update(job)
            if job.status.is_terminal:
                return job
            time.sleep(poll_s)
    finally:
        if view is not None:
            view.__exit__(None, None, None)
