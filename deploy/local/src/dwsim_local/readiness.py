"""How the supervisor knows a process is ready: a port answers, /health says 2xx, or a file
appears (Celery workers have no port: ``worker_ready`` touches it, see worker_ready.py)."""

import socket
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PortOpen:
    host: str
    port: int

    def check(self) -> bool:
        return port_answers(self.host, self.port)

    def describe(self) -> str:
        return f"answer on {self.host}:{self.port}"


@dataclass(frozen=True)
class HttpHealth:
    url: str  # the service's GET /health

    def check(self) -> bool:
        import httpx

        try:
            return httpx.get(self.url, timeout=2.0).status_code < 300
        except httpx.HTTPError:
            return False

    def describe(self) -> str:
        return f"answer 2xx at {self.url}"


@dataclass(frozen=True)
class FileTouched:
    path: Path

    def check(self) -> bool:
        return self.path.exists()

    def describe(self) -> str:
        return f"report ready (consuming its queue; {self.path} written)"


Readiness = PortOpen | HttpHealth | FileTouched


def port_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
