"""What a gateway answer means to a script: one exit code per kind of failure, and the message.

The codes are part of the command's interface (``dwsim --help`` and the README list them).
"""

from enum import IntEnum
from typing import Any

from dwsim_shared.errors import DwsimError


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # the job ended failed or cancelled; the query was refused by the warehouse
    USAGE = 2  # bad usage or invalid input (HTTP 400, 422); a missing or wrong token (401)
    NOT_FOUND = 3  # HTTP 404
    CONFLICT = 4  # HTTP 409
    UNAVAILABLE = 5  # the gateway (or a service behind it) does not answer (no connection, 5xx)


EXIT_CODES_HELP = """exit codes:
  0  ok
  1  the job failed or was cancelled (job watch, --watch); the query failed
  2  bad usage or invalid input (HTTP 400, 422); a missing or wrong API token (HTTP 401)
  3  not found (HTTP 404)
  4  conflict: the name exists, another job is active (HTTP 409)
  5  the service is unreachable or unavailable (no connection, HTTP 503)"""


def exit_code_for(status: int | None) -> ExitCode:
    """The exit code for an HTTP status (None: no answer at all)."""
    if status is None or status >= 500:
        return ExitCode.UNAVAILABLE
    if status == 404:
        return ExitCode.NOT_FOUND
    if status == 409:
        return ExitCode.CONFLICT
    return ExitCode.USAGE


def format_detail(detail: Any) -> str:
    """The server's ``detail``: a message as is; FastAPI's 422 list as ``loc: msg`` lines."""
    if isinstance(detail, list) and all(isinstance(d, dict) and "msg" in d for d in detail):
        lines = []
        for error in detail:
            loc = [str(p) for p in error.get("loc") or []]
            if loc and loc[0] == "body":
                loc = loc[1:]
            lines.append(f"{'.'.join(loc)}: {error['msg']}" if loc else str(error["msg"]))
        return lines[0] if len(lines) == 1 else "\n  " + "\n  ".join(lines)
    if isinstance(detail, str):
        return detail
    return str(detail)


class ApiError(DwsimError):
    """The gateway refused a request (``status``), or nothing answered (``status`` None)."""

    def __init__(self, message: str, status: int | None = None, detail: Any = None):
        self.status = status
        self.detail = detail
        super().__init__(message)

    @property
    def exit_code(self) -> ExitCode:
        return exit_code_for(self.status)


class UsageError(DwsimError):
    """Input refused before anything is sent (a malformed ``--rows``, unreadable JSON...)."""
