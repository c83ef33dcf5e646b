"""The command's standalone pieces: progress on a terminal, CSV row counting, argument parsing."""

import io
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from rich.console import Console

from dwsim_cli.api_errors import UsageError
from dwsim_cli.edits import build_patch, changes, parse_rows, parse_rules
from dwsim_cli.job_views import outcome
from dwsim_cli.job_watch import JobView
from dwsim_cli.query_views import CsvRows
from dwsim_cli.render import seconds, size
from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus
from dwsim_shared.contracts.jobs import Job, JobProgress, TableProgress

START = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def job(status: JobStatus, stage: JobStage | None, tables: dict, **progress) -> Job:
    return Job(
        id=uuid4(),
        kind=JobKind.GENERATE,
        experiment="shop",
        status=status,
        progress=JobProgress(
            stage=stage, tables={k: TableProgress(**v) for k, v in tables.items()}, **progress
        ),
        run_id="r20250102030405_abcdef",
        created_at=START,
        started_at=START,
        finished_at=START + timedelta(seconds=12.5) if status.is_terminal else None,
    )


def test_on_a_terminal_the_bars_show_stage_rows_rate_and_eta() -> None:
    screen = io.StringIO()
    out = Console(file=screen, force_terminal=True, width=120, color_system=None)
    running = job(
        JobStatus.RUNNING,
        JobStage.GENERATE,
        {"customers": {"rows_total": 1000, "rows_done": 1000}, "orders": {"rows_total": 9000}},
        rows_done=1000, rows_total=10000, rows_per_s=2500.0, eta_s=3.6,
    )  # fmt: skip

    with JobView(out) as view:
        view.update(running)
        drawn = screen.getvalue()
        loading = running.model_copy(update={"status": JobStatus.SUCCEEDED})
        loading.progress.stage = JobStage.LOAD
        loading.progress.tables["customers"].rows_loaded = 1000
        loading.progress.tables["orders"].rows_loaded = 9000
        view.update(loading)

    assert "generate running · generate" in drawn
    assert "10%" in drawn
    assert "1,000/10,000 rows" in drawn
    assert "2,500 rows/s" in drawn
    assert "ETA 0:03" in drawn
    assert "customers" in drawn
    assert "1,000/1,000 rows" in drawn
    assert "0/9,000 rows" in drawn
    final = screen.getvalue()[len(drawn) :]
    assert "generate succeeded · load" in final
    assert "9,000/9,000 rows" in final
    assert "done" in final


def test_the_outcome_line_says_how_the_job_ended() -> None:
    ok = job(JobStatus.SUCCEEDED, JobStage.LOAD, {}, rows_done=10, rows_total=10,
             timings={"generate": 1.25, "load": 0.5})  # fmt: skip
    failed = job(JobStatus.FAILED, JobStage.LOAD, {}).model_copy(update={"error": "COPY: boom"})

    assert outcome(ok) == (
        f"generate job {ok.id} on shop succeeded in 12.5 s · 10 rows · generate 1.2 s, "
        "load 0.5 s · run r20250102030405_abcdef"
    )
    assert outcome(failed) == f"generate job {failed.id} on shop failed after 12.5 s: COPY: boom"


@pytest.mark.parametrize("size_", [1, 2, 3, 7, 64, 4096])
def test_csv_rows_are_counted_whatever_the_chunks(size_: int) -> None:
    text = b'a,b\n1,"x\ny"\n2,"he said ""hi"",\n"\n3,\n'  # 3 rows, newlines inside quotes
    counter = CsvRows()
    for start in range(0, len(text), size_):
        counter.feed(text[start : start + size_])
    assert counter.rows == 3


def test_rows_and_rules_from_the_command_line() -> None:
    rows = parse_rows(["orders=5_000", "customers=1,000"])
    rules = parse_rules(['db.orders.status={"kind": "constant", "value": "a=b"}'])

    assert rows == {"orders": 5000, "customers": 1000}
    assert rules == {"db.orders": {"status": {"kind": "constant", "value": "a=b"}}}
    base = {"tables": {"orders": {"rows": 1, "columns": {"id": {"kind": "uuid"}}}}}
    assert build_patch(base, {"orders": 7}, {"orders": {"x": {"kind": "uuid"}}}) == {
        "tables": {
            "orders": {"rows": 7, "columns": {"id": {"kind": "uuid"}, "x": {"kind": "uuid"}}}
        }
    }


@pytest.mark.parametrize(
    ("values", "parse", "message"),
    [
        (["orders"], parse_rows, "expected TABLE=N"),
        (["=5"], parse_rows, "expected TABLE=N"),
        (["orders=1.5"], parse_rows, "expected TABLE=N"),
        (["status={}"], parse_rules, "expected TABLE.COLUMN=JSON"),
        (["orders.status={kind: x}"], parse_rules, "the rule is not JSON"),
        (['orders.status=["a"]'], parse_rules, "must be a JSON object"),
    ],
)
def test_malformed_arguments_name_what_is_wrong(values, parse, message) -> None:
    with pytest.raises(UsageError, match=message):
        parse(values)


def test_the_editor_patch_holds_only_what_changed() -> None:
    before = {"tables": {"t": {"rows": 10, "columns": {"a": {"kind": "uuid"}, "b": None}}}}
    after = {
        "tables": {"t": {"rows": 10, "columns": {"a": {"kind": "uuid"}, "b": {"kind": "text"}}}}
    }
    assert changes(before, before) == {"tables": {}}
    assert changes(before, after) == {"tables": {"t": {"columns": {"b": {"kind": "text"}}}}}


def test_numbers_for_people() -> None:
    assert [size(n) for n in (512, 386_800, 55_300_000)] == ["512 B", "386.8 KB", "55.3 MB"]
    assert [seconds(s) for s in (0.04, 59.9, 61, 3725)] == [
        "0.0 s",
        "59.9 s",
        "1 min 01 s",
        "1 h 02 min",
    ]
