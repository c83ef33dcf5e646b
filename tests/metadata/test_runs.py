"""Generation runs and their staged parts."""

import pytest

from dwsim_shared.contracts.enums import RunStatus
from dwsim_shared.contracts.jobs import StagedPart
from dwsim_shared.contracts.metadata import RunCreate
from dwsim_shared.metadata_client import ConflictError, MetadataClient, NotFoundError


def new_run(experiment: str, run_id: str, rows: dict[str, int] | None = None) -> RunCreate:
    return RunCreate(
        id=run_id,
        experiment=experiment,
        seed=42,
        chunk_rows=100,
        rows_requested=rows or {"customers": 100, "orders": 500},
        prefix=f"s3://dwsim/experiments/{experiment}/runs/{run_id}/",
    )


def part(table: str, chunk: int, rows: int = 100, size: int = 1000) -> StagedPart:
    return StagedPart(
        table=table, chunk=chunk, key=f"{table}/part-{chunk:05d}.parquet", rows=rows, bytes=size
    )


def test_create_get_update(client: MetadataClient, experiment) -> None:
    run_id = f"{experiment.name}_r"
    run = client.create_run(new_run(experiment.name, run_id))
    assert (run.status, run.seed, run.rows, run.files, run.finished_at) == (
        RunStatus.RUNNING,
        42,
        {},
        0,
        None,
    )
    assert client.get_run(run_id) == run

    client.update_run(run_id, timings={"plan": 1.5, "generate": 2.0})
    updated = client.update_run(
        run_id, status=RunStatus.COMPLETED, timings={"generate": 3.0, "stage": 0.5}, finished=True
    )
    assert updated.timings == {"plan": 1.5, "generate": 3.0, "stage": 0.5}
    assert updated.status == RunStatus.COMPLETED
    assert updated.finished_at is not None
    assert client.update_run(run_id, status=RunStatus.COMPLETED) == updated  # a retried report


def test_a_failed_run_keeps_its_error(client: MetadataClient, experiment) -> None:
    run_id = f"{experiment.name}_r"
    client.create_run(new_run(experiment.name, run_id))
    client.update_run(run_id, timings={"plan": 1.5})
    failed = client.update_run(run_id, status=RunStatus.FAILED, error="chunk 3 of orders failed")
    assert (failed.status, failed.error, failed.timings) == (
        RunStatus.FAILED,
        "chunk 3 of orders failed",
        {"plan": 1.5},
    )


@pytest.mark.parametrize("end", [RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED])
def test_an_ended_run_keeps_its_end(client: MetadataClient, experiment, end: RunStatus) -> None:
    """A late report (a redelivered task failing after the run completed, a cancel's cleanup
    after a chunk's failure) cannot move an ended run: a completed run stays loadable."""
    run_id = f"{experiment.name}_r"
    client.create_run(new_run(experiment.name, run_id))
    client.update_run(run_id, status=end, error="first", finished=True)
    for later in {RunStatus.RUNNING, RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED} - {
        end
    }:
        with pytest.raises(ConflictError, match=f"run {run_id} is {end}; it cannot become {later}"):
            client.update_run(run_id, status=later, error="late")
    run = client.get_run(run_id)
    assert (run.status, run.error) == (end, "first")


def test_duplicate_and_unknown(client: MetadataClient, experiment) -> None:
    run_id = f"{experiment.name}_r"
    client.create_run(new_run(experiment.name, run_id))
    with pytest.raises(ConflictError, match=f"run {run_id} already exists"):
        client.create_run(new_run(experiment.name, run_id))
    with pytest.raises(NotFoundError, match="experiment nosuch_exp not found"):
        client.create_run(new_run("nosuch_exp", "r_nosuch"))
    for call in (
        lambda: client.get_run("no_run"),
        lambda: client.update_run("no_run", status=RunStatus.FAILED),
        lambda: client.report_parts("no_run", [part("a", 0)]),
        lambda: client.list_parts("no_run"),
    ):
        with pytest.raises(NotFoundError, match="run no_run not found"):
            call()


def test_parts_are_upserted_and_listed_in_order(client: MetadataClient, experiment) -> None:
    run_id = f"{experiment.name}_r"
    client.create_run(new_run(experiment.name, run_id))
    client.report_parts(run_id, [part("orders", 1), part("orders", 0), part("customers", 0)])
    # redelivered chunk: same part again, and a rewritten one with new figures
    run = client.report_parts(run_id, [part("orders", 1), part("orders", 0, rows=90, size=900)])
    assert run.rows == {"customers": 100, "orders": 190}
    assert (run.files, run.bytes) == (3, 2900)
    listed = client.list_parts(run_id)
    assert [(p.table, p.chunk) for p in listed] == [("customers", 0), ("orders", 0), ("orders", 1)]
    assert listed[1] == part("orders", 0, rows=90, size=900)


def test_runs_listed_newest_first_with_totals(client: MetadataClient, experiment) -> None:
    ids = [f"{experiment.name}_{i}" for i in range(3)]
    for run_id in ids:
        client.create_run(new_run(experiment.name, run_id))
    client.report_parts(ids[0], [part("customers", 0), part("orders", 0, rows=50, size=10)])
    runs = client.list_runs(experiment.name)
    assert [r.id for r in runs] == ids[::-1]
    assert runs[-1].rows == {"customers": 100, "orders": 50}
    assert (runs[-1].files, runs[-1].bytes) == (2, 1010)
    assert runs[0].rows == {}
    assert runs[0].files == 0
