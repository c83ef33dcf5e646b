"""``GET /health``: is each dependency answering? Checked concurrently, each with a short timeout.

A dependency is a name, an address and a probe; what differs between them is data. A probe
only asks "does it answer its own protocol", never with credentials.
"""

import asyncio
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
import redis.asyncio as aioredis

from dwsim_gateway.config import Settings
from dwsim_shared.contracts.api import DependencyHealth, Health
from dwsim_shared.contracts.enums import HealthStatus
from dwsim_shared.urls import safe_url

SSL_REQUEST = struct.pack("!ii", 8, 80877103)  # PostgreSQL's SSLRequest: answered 'S' or 'N'


class ProbeError(Exception):
    """The dependency answered, but not as it should."""


@dataclass(frozen=True)
class Dependency:
    name: str
    address: str
    probe: Callable[[float], Awaitable[None]]


def dependencies(settings: Settings) -> list[Dependency]:
    redshift = f"{settings.redshift_host}:{settings.redshift_port}"
    snowflake = f"http://{settings.snowflake_host}:{settings.snowflake_port}"
    return [
        Dependency("metadata", settings.metadata_url, _health_endpoint(settings.metadata_url)),
        Dependency("redis", safe_url(settings.redis_url), _redis(settings.redis_url)),
        Dependency("s3", settings.s3_endpoint_url, _http_answers(settings.s3_endpoint_url)),
        Dependency(
            "redshift-emulator",
            redshift,
            _postgres_protocol(settings.redshift_host, settings.redshift_port),
        ),
        Dependency("snowflake-emulator", snowflake, _http_answers(snowflake)),
        Dependency("query", settings.query_url, _health_endpoint(settings.query_url)),
    ]


async def check(settings: Settings) -> Health:
    deps = dependencies(settings)
    results = await asyncio.gather(*(_one(d, settings.health_timeout_s) for d in deps))
    ok = all(r.status == HealthStatus.OK for r in results)
    overall = HealthStatus.OK if ok else HealthStatus.DEGRADED
    return Health(status=overall, dependencies=list(results))


async def _one(dependency: Dependency, timeout: float) -> DependencyHealth:
    try:
        await asyncio.wait_for(dependency.probe(timeout), timeout)
    except TimeoutError:
        return _down(dependency, f"no answer within {timeout:g} s")
    except Exception as exc:
        return _down(dependency, _reason(exc))
    return DependencyHealth(
        name=dependency.name, status=HealthStatus.OK, address=dependency.address
    )


def _down(dependency: Dependency, detail: str) -> DependencyHealth:
    return DependencyHealth(
        name=dependency.name, status=HealthStatus.DOWN, address=dependency.address, detail=detail
    )


def _reason(exc: Exception) -> str:
    if isinstance(exc, ConnectionRefusedError | httpx.ConnectError) or "refused" in str(exc):
        return "connection refused"
    return str(exc) or type(exc).__name__


def _health_endpoint(base_url: str) -> Callable[[float], Awaitable[None]]:
    """A dw-sim service: its ``/health`` answers 200."""

    async def probe(timeout: float) -> None:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(f"{base_url.rstrip('/')}/health")
        if response.status_code != 200:
            raise ProbeError(f"/health answered HTTP {response.status_code}")

    return probe


def _http_answers(url: str) -> Callable[[float], Awaitable[None]]:
    """An HTTP server (S3, the Snowflake emulator): any answer short of a server error."""

    async def probe(timeout: float) -> None:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(url)
        if response.status_code >= 500:
            raise ProbeError(f"answered HTTP {response.status_code}")

    return probe


def _redis(url: str) -> Callable[[float], Awaitable[None]]:
    async def probe(timeout: float) -> None:
        client = aioredis.Redis.from_url(
            url, socket_connect_timeout=timeout, socket_timeout=timeout
        )
        try:
            if not await client.ping():
                raise ProbeError("PING was not answered with PONG")
        finally:
            await client.aclose()

    return probe


def _postgres_protocol(host: str, port: int) -> Callable[[float], Awaitable[None]]:
    """The Redshift emulator speaks PostgreSQL's protocol: it answers an SSLRequest."""

    async def probe(timeout: float) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(SSL_REQUEST)
            await writer.drain()
            answer = await reader.read(1)
        finally:
            writer.close()
        if answer not in (b"S", b"N"):
            raise ProbeError(f"not a PostgreSQL-protocol server (answered {answer!r})")

    return probe
