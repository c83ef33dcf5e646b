"""Jobs: one active exclusive job per experiment (by the database), guarded transitions."""

import threading
import uuid
from itertools import product

import httpx
import pytest

from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus
from dwsim_shared.contracts.jobs import EXCLUSIVE_KINDS
from dwsim_shared.contracts.metadata import TableReport
from dwsim_shared.metadata_client import ConflictError, MetadataClient, NotFoundError

Q, R, S, F, C = (
    JobStatus.QUEUED,
    JobStatus.RUNNING,
    JobStatus.SUCCEEDED,
    JobStatus.FAILED,
    JobStatus.CANCELLED,
)
EXCLUSIVE = sorted(EXCLUSIVE_KINDS)


def test_create_and_read(client: MetadataClient, experiment) -> None:
    job = client.create_job(JobKind.GENERATE, experiment.name, run_id="r1")
    assert (job.kind, job.experiment, job.status, job.run_id) == (
        JobKind.GENERATE,
        experiment.name,
        Q,
        "r1",
    )
    assert job.started_at is None
    assert job.finished_at is None
    assert client.get_job(job.id) == job


def test_unknown_experiment_and_job_are_404(client: MetadataClient) -> None:
    with pytest.raises(NotFoundError, match="experiment nosuch_exp not found"):
        client.create_job(JobKind.GENERATE, "nosuch_exp")
    missing = uuid.uuid4()
    for call in (
        lambda: client.get_job(missing),
        lambda: client.transition(missing, R),
        lambda: client.report_stage(missing, JobStage.PLAN),
        lambda: client.report_tables(missing, {"a": TableReport(rows_total=1)}),
    ):
        with pytest.raises(NotFoundError, match=f"job {missing} not found"):
            call()


@pytest.mark.parametrize(("first", "second"), list(product(EXCLUSIVE, EXCLUSIVE)))
def test_second_active_exclusive_job_is_409(client: MetadataClient, experiment, first, second):
    active = client.create_job(first, experiment.name)
    with pytest.raises(ConflictError) as info:
        client.create_job(second, experiment.name)
    assert f"active {first} job {active.id}" in str(info.value)


@pytest.mark.parametrize("end", [S, F, C])
def test_a_finished_job_frees_the_experiment(client: MetadataClient, experiment, end) -> None:
    job = client.create_job(JobKind.GENERATE, experiment.name)
    client.transition(job.id, R)
    client.transition(job.id, end)
    assert client.create_job(JobKind.LOAD, experiment.name).status == Q


def test_materialize_is_not_exclusive(client: MetadataClient, experiment) -> None:
    client.create_job(JobKind.GENERATE, experiment.name)
    client.create_job(JobKind.MATERIALIZE, experiment.name)
    client.create_job(JobKind.MATERIALIZE, experiment.name)
    assert len(client.list_jobs(experiment.name, active=True)) == 3


def test_racing_creates_one_wins(client: MetadataClient, experiment) -> None:
    """Eight simultaneous creates: the unique index lets exactly one through."""
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def create(kind: JobKind) -> None:
        with MetadataClient(client.base_url) as own:
            barrier.wait()
            try:
                own.create_job(kind, experiment.name)
                outcomes.append("created")
            except ConflictError as exc:
                outcomes.append("conflict" if "already has an active" in str(exc) else str(exc))

    threads = [threading.Thread(target=create, args=(k,)) for k in EXCLUSIVE * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["created"]
    assert len(client.list_jobs(experiment.name, active=True)) == 1


def test_caller_chosen_id_and_retried_create(client: MetadataClient, experiment) -> None:
    job_id = uuid.uuid4()
    job = client.create_job(JobKind.GENERATE, experiment.name, job_id=job_id)
    assert job.id == job_id
    # a retry of the same create (its answer was lost) gets the same job
    assert client.create_job(JobKind.GENERATE, experiment.name, job_id=job_id).id == job_id
    with pytest.raises(ConflictError, match=f"job {job_id} already exists"):
        client.create_job(JobKind.MATERIALIZE, experiment.name, job_id=job_id)


# (path walked before, the move, allowed?)
MOVES = [
    ([], R, True),
    ([], F, True),
    ([], C, True),
    ([], S, False),
    ([R], S, True),
    ([R], F, True),
    ([R], C, True),
    ([R], Q, False),
    ([R, S], R, False),  # a late "running" from a redelivered task
    ([R, S], F, False),
    ([R, F], S, False),
    ([C], R, False),
    ([R, C], S, False),
    ([R, F], Q, False),
]


@pytest.mark.parametrize(("path", "move", "allowed"), MOVES)
def test_transitions(client: MetadataClient, experiment, path, move, allowed) -> None:
    job = client.create_job(JobKind.GENERATE, experiment.name)
    for status in path:
        client.transition(job.id, status)
    before = client.get_job(job.id).status
    if allowed:
        assert client.transition(job.id, move).status == move
    else:
        with pytest.raises(ConflictError, match=f"cannot go from {before} to {move}"):
            client.transition(job.id, move)
        assert client.get_job(job.id).status == before


@pytest.mark.parametrize("path", [[R], [R, S], [R, F], [C]])
def test_repeating_the_status_is_a_no_op(client: MetadataClient, experiment, path) -> None:
    job = client.create_job(JobKind.GENERATE, experiment.name)
    for status in path:
        client.transition(job.id, status, error="first" if status == F else None)
    first = client.get_job(job.id)
    again = client.transition(job.id, path[-1], error="second")
    assert again == first  # nothing changed, stamps and error included


def test_stamps_and_error(client: MetadataClient, experiment) -> None:
    job = client.create_job(JobKind.GENERATE, experiment.name)
    running = client.transition(job.id, R)
    assert running.started_at is not None
    assert running.finished_at is None
    failed = client.transition(job.id, F, error="table orders: bad", traceback="Traceback ...")
    assert failed.finished_at is not None
    assert failed.finished_at >= running.started_at
    assert (failed.error, failed.traceback) == ("table orders: bad", "Traceback ...")
    assert client.get_job(job.id).traceback == "Traceback ..."


def test_racing_transitions_one_wins(client: MetadataClient, experiment) -> None:
    job = client.create_job(JobKind.GENERATE, experiment.name)
    client.transition(job.id, R)
    barrier = threading.Barrier(6)
    results: list[str] = []

    def move(status: JobStatus) -> None:
        with MetadataClient(client.base_url) as own:
            barrier.wait()
            try:
                results.append(own.transition(job.id, status).status)
            except ConflictError:
                results.append("conflict")

    threads = [threading.Thread(target=move, args=(s,)) for s in [S, F, C] * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = client.get_job(job.id).status
    # the winner and its repeat (a no-op) see the winner's status; the other four are refused
    assert sorted(results, key=str) == sorted([final, final] + ["conflict"] * 4, key=str)


@pytest.mark.parametrize("end", [S, F, C])
def test_reports_on_a_finished_job_are_409(client: MetadataClient, experiment, end) -> None:
    job = client.create_job(JobKind.GENERATE, experiment.name)
    client.transition(job.id, R)
    client.transition(job.id, end)
    with pytest.raises(ConflictError, match=f"job {job.id} is {end}"):
        client.report_stage(job.id, JobStage.LOAD)
    with pytest.raises(ConflictError, match=f"job {job.id} is {end}"):
        client.report_tables(job.id, {"a": TableReport(rows_loaded=1)})


def test_list_jobs_newest_first_and_active(client: MetadataClient, experiment) -> None:
    first = client.create_job(JobKind.GENERATE, experiment.name)
    client.transition(first.id, C)
    second = client.create_job(JobKind.LOAD, experiment.name)
    third = client.create_job(JobKind.MATERIALIZE, experiment.name)
    assert [j.id for j in client.list_jobs(experiment.name)] == [third.id, second.id, first.id]
    active = client.list_jobs(experiment.name, active=True)
    assert [j.id for j in active] == [third.id, second.id]


def test_bad_job_id_is_422(client: MetadataClient) -> None:
    assert httpx.get(f"{client.base_url}/jobs/not-a-uuid").status_code == 422
