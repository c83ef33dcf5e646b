"""Generate, load, reset and cancel: jobs created in the metadata service, tasks queued by name."""

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from dwsim_gateway.config import Settings
from dwsim_shared.contracts.enums import JobKind, JobStatus, RunStatus
from dwsim_shared.contracts.metadata import RunCreate
from dwsim_shared.contracts.tasks import Queue, TaskName
from dwsim_shared.metadata_client import MetadataClient
from tests.gateway.conftest import Task


def make_run(metadata: MetadataClient, experiment: str, run_id: str, status: RunStatus) -> None:
    body = RunCreate(
        id=run_id,
        experiment=experiment,
        seed=0,
        chunk_rows=1000,
        rows_requested={"customers": 10},
        prefix=f"s3://dwsim/experiments/{experiment}/runs/{run_id}/",
    )
    metadata.create_run(body)
    if status != RunStatus.RUNNING:
        metadata.update_run(run_id, status=status, finished=True)


def test_generate_queues_the_run_with_its_payload(
    api: TestClient, experiment: str, queued: Callable[[Queue], list[Task]]
) -> None:
    response = api.post(
        f"/api/experiments/{experiment}/generate",
        json={"rows": {"orders": 5000}, "seed": 7, "load": False, "chunk_rows": 1000},
    )

    assert response.status_code == 202, response.text
    accepted = response.json()
    assert re.fullmatch(r"r\d{14}_[0-9a-f]{6}", accepted["run_id"])
    assert queued(Queue.GENERATOR) == [
        Task(
            TaskName.GENERATE_RUN.value,
            {
                "job_id": accepted["job_id"],
                "experiment": experiment,
                "run_id": accepted["run_id"],
                "seed": 7,
                "rows": {"customers": 1000, "orders": 5000},  # the schema's rows where not asked
                "chunk_rows": 1000,
                "load": False,
            },
        )
    ]
    job = api.get(f"/api/jobs/{accepted['job_id']}").json()
    assert (job["kind"], job["status"], job["run_id"]) == ("generate", "queued", accepted["run_id"])


def test_generate_without_a_body_uses_the_defaults(
    api: TestClient, experiment: str, queued: Callable[[Queue], list[Task]]
) -> None:
    response = api.post(f"/api/experiments/{experiment}/generate")
    assert response.status_code == 202, response.text
    payload = queued(Queue.GENERATOR)[0].payload
    assert (payload["seed"], payload["load"], payload["chunk_rows"]) == (0, True, None)


def test_second_generate_while_the_first_is_queued_is_409(
    api: TestClient, experiment: str, queued: Callable[[Queue], list[Task]]
) -> None:
    first = api.post(f"/api/experiments/{experiment}/generate", json={})
    second = api.post(f"/api/experiments/{experiment}/generate", json={})

    assert second.status_code == 409
    assert first.json()["job_id"] in second.json()["detail"]
    assert "generate" in second.json()["detail"]
    assert len(queued(Queue.GENERATOR)) == 1


def test_rows_over_the_limit_is_400_naming_it(
    settings: Settings, make_client: Callable[[Settings], TestClient], experiment: str
) -> None:
    api = make_client(settings.model_copy(update={"max_rows": 2000}))
    response = api.post(f"/api/experiments/{experiment}/generate", json={"rows": {"orders": 2001}})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "orders" in detail
    assert "2000" in detail
    assert "DWSIM_MAX_ROWS" in detail

    patched = api.patch(
        f"/api/experiments/{experiment}", json={"tables": {"customers": {"rows": 9999}}}
    )
    assert patched.status_code == 400
    assert "DWSIM_MAX_ROWS" in patched.json()["detail"]


def test_unknown_table_in_rows_is_400(
    api: TestClient, experiment: str, queued: Callable[[Queue], list[Task]]
) -> None:
    response = api.post(f"/api/experiments/{experiment}/generate", json={"rows": {"nosuch": 10}})
    assert response.status_code == 400
    assert "nosuch" in response.json()["detail"]
    assert queued(Queue.GENERATOR) == []


def test_load_without_a_completed_run_is_404(
    api: TestClient, metadata: MetadataClient, experiment: str
) -> None:
    make_run(metadata, experiment, f"{experiment}_r1", RunStatus.FAILED)
    response = api.post(f"/api/experiments/{experiment}/load", json={})
    assert response.status_code == 404
    assert "generate first" in response.json()["detail"]


def test_load_takes_the_latest_completed_run(
    api: TestClient,
    metadata: MetadataClient,
    experiment: str,
    queued: Callable[[Queue], list[Task]],
) -> None:
    make_run(metadata, experiment, f"{experiment}_old", RunStatus.COMPLETED)
    make_run(metadata, experiment, f"{experiment}_new", RunStatus.COMPLETED)
    make_run(metadata, experiment, f"{experiment}_failed", RunStatus.FAILED)

    response = api.post(f"/api/experiments/{experiment}/load")

    assert response.status_code == 202, response.text
    job = response.json()
    assert (job["kind"], job["run_id"]) == ("load", f"{experiment}_new")
    assert queued(Queue.LOADER)[-1] == Task(
        TaskName.LOAD_RUN.value,
        {
            "job_id": job["id"],
            "experiment": experiment,
            "run_id": f"{experiment}_new",
            "continues_generate": False,
        },
    )
    runs = api.get(f"/api/experiments/{experiment}/runs").json()
    assert [r["id"] for r in runs] == [
        f"{experiment}_failed",
        f"{experiment}_new",
        f"{experiment}_old",
    ]


def test_load_of_a_named_run(api: TestClient, metadata: MetadataClient, experiment: str) -> None:
    make_run(metadata, experiment, f"{experiment}_a", RunStatus.COMPLETED)
    make_run(metadata, experiment, f"{experiment}_b", RunStatus.RUNNING)

    ok = api.post(f"/api/experiments/{experiment}/load", json={"run_id": f"{experiment}_a"})
    assert ok.status_code == 202
    assert ok.json()["run_id"] == f"{experiment}_a"
    api.post(f"/api/jobs/{ok.json()['id']}/cancel")

    running = api.post(f"/api/experiments/{experiment}/load", json={"run_id": f"{experiment}_b"})
    assert running.status_code == 409
    assert "running" in running.json()["detail"]
    missing = api.post(f"/api/experiments/{experiment}/load", json={"run_id": "nosuch"})
    assert missing.status_code == 404
    assert "nosuch" in missing.json()["detail"]


def test_reset_queues_a_reset_job(
    api: TestClient, experiment: str, queued: Callable[[Queue], list[Task]]
) -> None:
    response = api.post(f"/api/experiments/{experiment}/reset")
    assert response.status_code == 202
    job = response.json()
    assert job["kind"] == JobKind.RESET
    assert queued(Queue.LOADER)[-1] == Task(
        TaskName.RESET.value, {"job_id": job["id"], "experiment": experiment}
    )


def test_cancel_frees_the_experiment_for_another_job(api: TestClient, experiment: str) -> None:
    job_id = api.post(f"/api/experiments/{experiment}/generate").json()["job_id"]

    response = api.post(f"/api/jobs/{job_id}/cancel")

    assert response.status_code == 200
    assert response.json()["status"] == JobStatus.CANCELLED
    assert response.json()["finished_at"] is not None
    assert api.get(f"/api/jobs/{job_id}").json()["status"] == JobStatus.CANCELLED
    assert api.post(f"/api/jobs/{job_id}/cancel").status_code == 200  # again: no error
    assert api.post(f"/api/experiments/{experiment}/generate").status_code == 202


def test_cancel_of_a_finished_job_is_409_naming_its_status(
    api: TestClient, metadata: MetadataClient, experiment: str
) -> None:
    job = api.post(f"/api/experiments/{experiment}/reset").json()
    metadata.transition(job["id"], JobStatus.RUNNING)
    metadata.transition(job["id"], JobStatus.SUCCEEDED)

    response = api.post(f"/api/jobs/{job['id']}/cancel")

    assert response.status_code == 409
    assert "succeeded" in response.json()["detail"]


def test_cancel_of_a_load_that_is_committing_is_409_saying_so(
    api: TestClient, metadata: MetadataClient, experiment: str
) -> None:
    make_run(metadata, experiment, f"{experiment}_c", RunStatus.COMPLETED)
    job = api.post(f"/api/experiments/{experiment}/load", json={"run_id": f"{experiment}_c"})
    job = job.json()
    metadata.transition(job["id"], JobStatus.RUNNING)
    metadata.commit(job["id"])  # the loader is about to COMMIT

    response = api.post(f"/api/jobs/{job['id']}/cancel")

    assert response.status_code == 409
    assert "committing its load" in response.json()["detail"]
    assert "can no longer be cancelled" in response.json()["detail"]
    assert api.get(f"/api/jobs/{job['id']}").json()["status"] == JobStatus.RUNNING


def test_job_shows_the_error_but_never_the_traceback(
    api: TestClient, metadata: MetadataClient, experiment: str
) -> None:
    job = api.post(f"/api/experiments/{experiment}/reset").json()
    metadata.transition(job["id"], JobStatus.RUNNING)
    metadata.transition(
        job["id"], JobStatus.FAILED, error="table orders: disk full", traceback="Traceback ..."
    )
    assert metadata.get_job(job["id"]).traceback == "Traceback ..."

    body = api.get(f"/api/jobs/{job['id']}").json()

    assert body["status"] == "failed"
    assert body["error"] == "table orders: disk full"
    assert "traceback" not in body
    assert "Traceback" not in str(body)


def test_job_ids_must_be_uuids(api: TestClient) -> None:
    assert api.get("/api/jobs/not-a-uuid").status_code == 422
    unknown = api.get("/api/jobs/00000000-0000-4000-8000-000000000000")
    assert unknown.status_code == 404
    assert "detail" in unknown.json()
    assert api.post("/api/jobs/00000000-0000-4000-8000-000000000000/cancel").status_code == 404
