"""The public HTTP API of the gateway, as the demo uses it (httpx, JSON; nothing else)."""

import os
from typing import Any

import httpx

from dwsim_shared.errors import DwsimError


class ApiError(DwsimError):
    """The gateway refused a request or did not answer; the message says which and why."""


class GatewayClient:
    def __init__(self, base_url: str, timeout: float = 60.0, token: str | None = None):
        self.base_url = base_url.rstrip("/")
        token = token or os.environ.get("DWSIM_API_TOKEN")  # the stack's gateway guards /api
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ApiError(
                f"the gateway at {self.base_url} did not answer {method} {path}: {exc}; "
                "is the stack up? (`make up`, or `dwsim up --detach`)"
            ) from None
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail", response.text)
            except ValueError:
                detail = response.text
            raise ApiError(f"{method} {path} → {response.status_code}: {detail}")
        return response.json() if response.content else None

    def health(self) -> dict:
        try:
            response = self.http.get("/health")
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ApiError(
                f"the gateway does not answer at {self.base_url}/health ({exc}); start the stack "
                "with `make demo`, `make up` or `dwsim up --detach`"
            ) from None

    def experiments(self) -> list[dict]:
        return self._call("GET", "/api/experiments")

    def create_experiment(self, name: str, warehouse: str, ddl: str, dialect: str) -> dict:
        body = {"name": name, "warehouse": warehouse, "ddl": ddl, "dialect": dialect}
        return self._call("POST", "/api/experiments", json=body)

    def delete_experiment(self, name: str) -> dict:
        return self._call("DELETE", f"/api/experiments/{name}")

    def generate(self, name: str, rows: dict[str, int], seed: int, load: bool = True) -> dict:
        body = {"rows": rows, "seed": seed, "load": load}
        return self._call("POST", f"/api/experiments/{name}/generate", json=body)

    def job(self, job_id: str) -> dict:
        return self._call("GET", f"/api/jobs/{job_id}")

    def query(self, name: str, sql: str, limit: int = 100) -> dict:
        return self._call(
            "POST", f"/api/experiments/{name}/query", json={"sql": sql, "limit": limit}
        )
