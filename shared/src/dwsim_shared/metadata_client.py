"""A client of the metadata service's internal HTTP API (routes in ``contracts.metadata``).

The gateway and both workers use it; none of them touches the metadata database. Errors come
back as ``MetadataError`` (``NotFoundError`` for 404, ``ConflictError`` for 409) carrying the
service's ``detail``, or ``MetadataUnavailableError`` when the service does not answer.
"""

import time
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from dwsim_shared.contracts.api import SavedQuery, SavedQueryBody
from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus, RunStatus
from dwsim_shared.contracts.jobs import GenerationRun, JobDetail, StagedPart
from dwsim_shared.contracts.metadata import (
    ExperimentCreate,
    ExperimentRecord,
    ExperimentSummary,
    JobCreate,
    JobTransition,
    RunCompletion,
    RunCreate,
    RunUpdate,
    StageReport,
    TableReport,
    TablesReport,
)
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.errors import DwsimError

RETRIES = 5  # connection failures only: a restarting service is waited for, briefly


class MetadataError(DwsimError):
    def __init__(self, status: int, detail: Any):
        self.status = status
        self.detail = detail
        super().__init__(detail if isinstance(detail, str) else str(detail))


class NotFoundError(MetadataError):
    pass


class ConflictError(MetadataError):
    pass


class MetadataUnavailableError(DwsimError):
    pass


class MetadataClient:
    def __init__(self, base_url: str, timeout: float = 10.0, transport: Any = None):
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "MetadataClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # experiments

    def create_experiment(self, experiment: Experiment) -> ExperimentRecord:
        body = ExperimentCreate(experiment=experiment).model_dump(mode="json", by_alias=True)
        return ExperimentRecord.model_validate(self._call("POST", "/experiments", body))

    def replace_experiment(self, experiment: Experiment) -> ExperimentRecord:
        body = ExperimentCreate(experiment=experiment).model_dump(mode="json", by_alias=True)
        data = self._call("PUT", f"/experiments/{_seg(experiment.name)}", body)
        return ExperimentRecord.model_validate(data)

    def get_experiment(self, name: str) -> ExperimentRecord:
        return ExperimentRecord.model_validate(self._call("GET", f"/experiments/{_seg(name)}"))

    def list_experiments(self) -> list[ExperimentSummary]:
        return [ExperimentSummary.model_validate(e) for e in self._call("GET", "/experiments")]

    def delete_experiment(self, name: str) -> None:
        self._call("DELETE", f"/experiments/{_seg(name)}")

    def list_runs(self, experiment: str) -> list[GenerationRun]:
        data = self._call("GET", f"/experiments/{_seg(experiment)}/runs")
        return [GenerationRun.model_validate(r) for r in data]

    def list_jobs(self, experiment: str, active: bool = False) -> list[JobDetail]:
        params = {"active": "true"} if active else None
        data = self._call("GET", f"/experiments/{_seg(experiment)}/jobs", params=params)
        return [JobDetail.model_validate(j) for j in data]

    # saved queries

    def list_saved_queries(self, experiment: str) -> list[SavedQuery]:
        data = self._call("GET", f"/experiments/{_seg(experiment)}/queries")
        return [SavedQuery.model_validate(q) for q in data]

    def get_saved_query(self, experiment: str, name: str) -> SavedQuery:
        data = self._call("GET", f"/experiments/{_seg(experiment)}/queries/{_seg(name)}")
        return SavedQuery.model_validate(data)

    def put_saved_query(
        self, experiment: str, name: str, body: SavedQueryBody
    ) -> tuple[SavedQuery, bool]:
        """Create or replace; True when it was created."""
        response = self._send(
            "PUT",
            f"/experiments/{_seg(experiment)}/queries/{_seg(name)}",
            json=body.model_dump(mode="json"),
        )
        return SavedQuery.model_validate(response.json()), response.status_code == 201

    def delete_saved_query(self, experiment: str, name: str) -> None:
        self._call("DELETE", f"/experiments/{_seg(experiment)}/queries/{_seg(name)}")

    # jobs

    def create_job(
        self, kind: JobKind, experiment: str, run_id: str | None = None, job_id: UUID | None = None
    ) -> JobDetail:
        body = JobCreate(kind=kind, experiment=experiment, run_id=run_id, id=job_id)
        return JobDetail.model_validate(self._call("POST", "/jobs", body.model_dump(mode="json")))

    def get_job(self, job_id: UUID | str) -> JobDetail:
        return JobDetail.model_validate(self._call("GET", f"/jobs/{job_id}"))

    def transition(
        self,
        job_id: UUID | str,
        status: JobStatus,
        error: str | None = None,
        traceback: str | None = None,
    ) -> JobDetail:
        body = JobTransition(status=status, error=error, traceback=traceback)
        data = self._call("POST", f"/jobs/{job_id}/transition", body.model_dump(mode="json"))
        return JobDetail.model_validate(data)

    def report_stage(
        self, job_id: UUID | str, stage: JobStage, timings: dict[str, float] | None = None
    ) -> JobDetail:
        body = StageReport(stage=stage, timings=timings or {})
        data = self._call("POST", f"/jobs/{job_id}/stage", body.model_dump(mode="json"))
        return JobDetail.model_validate(data)

    def report_tables(self, job_id: UUID | str, tables: dict[str, TableReport]) -> JobDetail:
        body = TablesReport(tables=tables)
        data = self._call(
            "POST", f"/jobs/{job_id}/tables", body.model_dump(mode="json", exclude_none=True)
        )
        return JobDetail.model_validate(data)

    def heartbeat(self, job_id: UUID | str) -> None:
        """The worker holding the job is alive; ``ConflictError`` once the job has finished."""
        self._call("POST", f"/jobs/{job_id}/heartbeat")

    def commit(self, job_id: UUID | str) -> JobDetail:
        """The worker is about to commit the job's result: from now on a cancel is refused;
        ``ConflictError`` if the job has already ended (then roll back)."""
        return JobDetail.model_validate(self._call("POST", f"/jobs/{job_id}/commit"))

    # runs

    def create_run(self, run: RunCreate) -> GenerationRun:
        return GenerationRun.model_validate(
            self._call("POST", "/runs", run.model_dump(mode="json"))
        )

    def get_run(self, run_id: str) -> GenerationRun:
        return GenerationRun.model_validate(self._call("GET", f"/runs/{_seg(run_id)}"))

    def update_run(
        self,
        run_id: str,
        status: RunStatus | None = None,
        error: str | None = None,
        timings: dict[str, float] | None = None,
        finished: bool = False,
    ) -> GenerationRun:
        body = RunUpdate(status=status, error=error, timings=timings, finished=finished)
        data = self._call("PATCH", f"/runs/{_seg(run_id)}", body.model_dump(mode="json"))
        return GenerationRun.model_validate(data)

    def complete_run(self, run_id: str, body: RunCompletion) -> GenerationRun:
        """Complete the run and move its job in one step; ``ConflictError`` if the job ended."""
        data = self._call("POST", f"/runs/{_seg(run_id)}/complete", body.model_dump(mode="json"))
        return GenerationRun.model_validate(data)

    def report_parts(self, run_id: str, parts: list[StagedPart]) -> GenerationRun:
        body = [p.model_dump(mode="json") for p in parts]
        return GenerationRun.model_validate(self._call("POST", f"/runs/{_seg(run_id)}/parts", body))

    def list_parts(self, run_id: str) -> list[StagedPart]:
        return [
            StagedPart.model_validate(p) for p in self._call("GET", f"/runs/{_seg(run_id)}/parts")
        ]

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health")

    # transport

    def _call(self, method: str, path: str, json: Any = None, params: Any = None) -> Any:
        response = self._send(method, path, json=json, params=params)
        return None if response.status_code == 204 else response.json()

    def _send(self, method: str, path: str, json: Any = None, params: Any = None) -> httpx.Response:
        """The successful response, else the service's error raised as a ``MetadataError``."""
        for attempt in range(RETRIES):
            try:
                response = self._http.request(method, path, json=json, params=params)
                break
            except httpx.TransportError as exc:
                if attempt == RETRIES - 1:
                    raise MetadataUnavailableError(
                        f"the metadata service at {self.base_url} does not answer ({exc}); "
                        "is it running? (dwsim up starts it)"
                    ) from None
                time.sleep(0.2 * 2**attempt)
        if response.is_success:
            return response
        try:
            detail = response.json().get("detail", response.text)
        except ValueError:
            detail = response.text
        error = {404: NotFoundError, 409: ConflictError}.get(response.status_code, MetadataError)
        raise error(response.status_code, detail)


def _seg(name: str) -> str:
    """A name as one URL path segment (identifiers may hold '?', '#', '%' or spaces)."""
    return quote(name, safe="")
