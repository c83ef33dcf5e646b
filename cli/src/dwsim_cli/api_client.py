"""The gateway's public HTTP API as the ``dwsim`` commands use it: one method per route.

Methods return the API's JSON as it came (so ``--json`` prints exactly what the API said);
a refusal or a silence raises ``ApiError`` with the server's ``detail`` and its status.
"""

from collections.abc import Callable
from typing import IO, Any
from urllib.parse import quote

import httpx

from dwsim_cli.api_errors import ApiError, format_detail

DEFAULT_TIMEOUT_S = 30.0
QUERY_GRACE_S = 15.0  # waited past a query's own timeout (the gateway adds its own grace)
# with no timeout_s the server's own applies (DWSIM_QUERY_TIMEOUT_S, 30 s by default), which
# the client cannot know: wait long enough for any sane setting
QUERY_WAIT_S = 600.0
QUERY_TIMEOUT = httpx.Timeout(QUERY_WAIT_S, connect=10.0)  # profiles, checks: many statements
QUERY_ID_HEADER = "X-Query-Id"
TOKEN_HINT = "dwsim sends --token, else $DWSIM_API_TOKEN"


def _seg(value: str) -> str:
    return quote(str(value), safe="")


def _query_headers(query_id: str | None) -> dict[str, str]:
    return {QUERY_ID_HEADER: query_id} if query_id else {}


class ApiClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        transport: httpx.BaseTransport | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.token = token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout, transport=transport
        )

    def __enter__(self) -> "ApiClient":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.http.close()

    # experiments

    def health(self) -> dict:
        return self._call("GET", "/health")

    def experiments(self) -> list[dict]:
        return self._call("GET", "/api/experiments")

    def experiment(self, name: str) -> dict:
        return self._call("GET", f"/api/experiments/{_seg(name)}")

    def create_experiment(self, body: dict[str, Any]) -> tuple[dict, str | None]:
        """The experiment, and the id of the job that creates its tables (``X-Job-Id``)."""
        response = self._send("POST", "/api/experiments", json=body)
        return response.json(), response.headers.get("x-job-id")

    def patch_experiment(self, name: str, patch: dict[str, Any]) -> dict:
        return self._call("PATCH", f"/api/experiments/{_seg(name)}", json=patch)

    def delete_experiment(self, name: str) -> dict:
        return self._call("DELETE", f"/api/experiments/{_seg(name)}")

    # runs and jobs of an experiment

    def generate(self, name: str, body: dict[str, Any]) -> dict:
        return self._call("POST", f"/api/experiments/{_seg(name)}/generate", json=body)

    def estimate(self, name: str, body: dict[str, Any]) -> dict:
        return self._call("POST", f"/api/experiments/{_seg(name)}/estimate", json=body)

    def load(self, name: str, run_id: str | None = None) -> dict:
        body = {"run_id": run_id} if run_id else {}
        return self._call("POST", f"/api/experiments/{_seg(name)}/load", json=body)

    def reset(self, name: str) -> dict:
        return self._call("POST", f"/api/experiments/{_seg(name)}/reset")

    def runs(self, name: str) -> list[dict]:
        return self._call("GET", f"/api/experiments/{_seg(name)}/runs")

    def experiment_jobs(self, name: str, active: bool | None = None) -> list[dict]:
        params = {} if active is None else {"active": str(active).lower()}
        return self._call("GET", f"/api/experiments/{_seg(name)}/jobs", params=params)

    def job(self, job_id: str) -> dict:
        return self._call("GET", f"/api/jobs/{_seg(job_id)}")

    def cancel_job(self, job_id: str) -> dict:
        return self._call("POST", f"/api/jobs/{_seg(job_id)}/cancel")

    # queries

    def query(self, name: str, body: dict[str, Any], query_id: str | None = None) -> dict:
        """The result; ``query_id`` (``X-Query-Id``) names it for ``cancel_query``."""
        return self._call(
            "POST",
            f"/api/experiments/{_seg(name)}/query",
            json=body,
            timeout=self._query_timeout(body),
            headers=_query_headers(query_id),
        )

    def query_csv(
        self,
        name: str,
        body: dict[str, Any],
        out: IO[bytes],
        on_chunk: Callable[[bytes], None],
        query_id: str | None = None,
    ) -> int:
        """Stream the whole result as CSV into ``out``; the bytes written."""
        path = f"/api/experiments/{_seg(name)}/query"
        written = 0
        try:
            with self.http.stream(
                "POST",
                path,
                params={"format": "csv"},
                json=body,
                timeout=self._query_timeout(body),
                headers=_query_headers(query_id),
            ) as response:
                if response.status_code >= 400:
                    response.read()
                    raise self._refused("POST", path, response)
                for chunk in response.iter_bytes():
                    out.write(chunk)
                    on_chunk(chunk)
                    written += len(chunk)
        except httpx.HTTPError as exc:
            if written:
                raise ApiError(
                    f"the CSV stream from {self.base_url} broke after {written:,} bytes ({exc}); "
                    "the file is incomplete",
                    None,
                ) from None
            raise self._silent("POST", path, exc) from None
        return written

    def cancel_query(self, query_id: str) -> dict:
        return self._call("POST", f"/api/queries/{_seg(query_id)}/cancel")

    def profile_table(
        self, name: str, table: str, columns: list[str] | None, bins: int | None, top: int | None
    ) -> dict:
        params: dict[str, Any] = {"columns": ",".join(columns)} if columns else {}
        params.update({k: v for k, v in (("bins", bins), ("top", top)) if v is not None})
        path = f"/api/experiments/{_seg(name)}/tables/{_seg(table)}/profile"
        return self._call("GET", path, params=params, timeout=QUERY_TIMEOUT)

    def check_sql(self, name: str, body: dict[str, Any]) -> dict:
        path = f"/api/experiments/{_seg(name)}/check-sql"
        return self._call("POST", path, json=body, timeout=QUERY_TIMEOUT)

    def saved_queries(self, name: str) -> list[dict]:
        return self._call("GET", f"/api/experiments/{_seg(name)}/queries")

    def saved_query(self, name: str, query: str) -> dict:
        return self._call("GET", f"/api/experiments/{_seg(name)}/queries/{_seg(query)}")

    def save_query(self, name: str, query: str, sql: str, description: str | None) -> dict:
        body: dict[str, Any] = {"sql": sql}
        if description is not None:
            body["description"] = description
        path = f"/api/experiments/{_seg(name)}/queries/{_seg(query)}"
        return self._call("PUT", path, json=body)

    def delete_saved_query(self, name: str, query: str) -> None:
        self._call("DELETE", f"/api/experiments/{_seg(name)}/queries/{_seg(query)}")

    # plumbing

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ApiError(
                f"{method} {path}: the gateway at {self.base_url} answered HTTP "
                f"{response.status_code} with something that is not JSON; is --api-url the "
                "dw-sim gateway?",
                None,
            ) from None

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise self._silent(method, path, exc) from None
        if response.status_code >= 400:
            raise self._refused(method, path, response)
        return response

    def _silent(self, method: str, path: str, exc: Exception) -> ApiError:
        why = "no answer in time" if isinstance(exc, httpx.TimeoutException) else str(exc)
        return ApiError(
            f"cannot reach the dw-sim gateway at {self.base_url} ({method} {path}: "
            f"{why or type(exc).__name__}); is the stack up? (`dwsim up --detach`), or point "
            "--api-url / DWSIM_API_URL at it",
            None,
        )

    def _refused(self, method: str, path: str, response: httpx.Response) -> ApiError:
        try:
            body = response.json()
            detail = body.get("detail", body) if isinstance(body, dict) else body
        except ValueError:
            detail = response.text.strip() or response.reason_phrase
        if response.status_code == 404 and detail == "Not Found":
            detail = f"the gateway at {self.base_url} has no route {method} {path}"
        message = format_detail(detail)
        if response.status_code == 401:  # the gateway's DWSIM_API_TOKEN: missing or wrong
            sent = "a token was sent" if self.token else "no token was sent"
            message = f"{message}; {sent}: {TOKEN_HINT}"
        return ApiError(message, response.status_code, detail)

    @staticmethod
    def _query_timeout(body: dict[str, Any]) -> httpx.Timeout:
        timeout_s = body.get("timeout_s")
        return httpx.Timeout(timeout_s + QUERY_GRACE_S if timeout_s else QUERY_WAIT_S, connect=10.0)
