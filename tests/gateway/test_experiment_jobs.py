"""``GET /api/experiments/{name}/jobs``: an experiment's jobs newest first, so a page reloaded
mid-generation finds its running job (``active=true``) or the finished ones (``active=false``)."""

from fastapi.testclient import TestClient

from dwsim_shared.contracts.enums import JobStatus
from dwsim_shared.metadata_client import MetadataClient


def _ids(api: TestClient, experiment: str, query: str = "") -> list[str]:
    response = api.get(f"/api/experiments/{experiment}/jobs{query}")
    assert response.status_code == 200, response.text
    return [job["id"] for job in response.json()]


def test_jobs_newest_first_filtered_by_active(
    api: TestClient, metadata: MetadataClient, experiment: str
) -> None:
    [materialize] = metadata.list_jobs(experiment)  # queued when the experiment was created
    generate = api.post(f"/api/experiments/{experiment}/generate", json={}).json()["job_id"]

    jobs = api.get(f"/api/experiments/{experiment}/jobs").json()
    assert [(j["id"], j["kind"], j["status"]) for j in jobs] == [
        (generate, "generate", "queued"),
        (str(materialize.id), "materialize", "queued"),
    ]
    assert "traceback" not in jobs[0]  # the public shape, as GET /api/jobs/{id}
    assert jobs[0] == api.get(f"/api/jobs/{generate}").json()

    metadata.transition(materialize.id, JobStatus.RUNNING)
    metadata.transition(materialize.id, JobStatus.SUCCEEDED)
    assert _ids(api, experiment, "?active=true") == [generate]
    assert _ids(api, experiment, "?active=false") == [str(materialize.id)]
    assert _ids(api, experiment) == [generate, str(materialize.id)]

    api.post(f"/api/jobs/{generate}/cancel")
    assert _ids(api, experiment, "?active=true") == []
    assert _ids(api, experiment, "?active=false") == [generate, str(materialize.id)]


def test_unknown_experiment_is_404_and_a_bad_filter_422(api: TestClient, experiment: str) -> None:
    missing = api.get("/api/experiments/nosuch_exp/jobs?active=true")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "experiment nosuch_exp not found"
    assert api.get(f"/api/experiments/{experiment}/jobs?active=maybe").status_code == 422
