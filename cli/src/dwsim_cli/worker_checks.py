"""Before ``dwsim worker`` starts a Celery worker: does each server it needs answer at its URL?

A worker on another machine shares nothing with the stack but these URLs (DWSIM_* settings), so
an unreachable one is named before the worker starts rather than in its first task's failure.
Each probe asks only "do you answer your own protocol" (and, for S3, "is the bucket there").
"""

import socket
import struct
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from dwsim_shared.settings import DwsimSettings
from dwsim_shared.urls import safe_url

TIMEOUT_S = 5.0
SSL_REQUEST = struct.pack("!ii", 8, 80877103)  # PostgreSQL's SSLRequest: answered 'S' or 'N'


class CheckFailed(Exception):
    """The server does not answer as it should; the message says how."""


@dataclass(frozen=True)
class Check:
    what: str  # "Redis", "the metadata service"...
    address: str  # the URL as set (without its password)
    setting: str  # the DWSIM_* variable(s) that set it
    probe: Callable[[], None]  # raises CheckFailed, or any error saying why


def common_checks(settings: DwsimSettings) -> list[Check]:
    """What every worker needs: the broker, the metadata service and S3."""
    s3 = settings.s3_endpoint_url or f"AWS S3 ({settings.s3_region})"
    return [
        Check("Redis", safe_url(settings.redis_url), "DWSIM_REDIS_URL",
              lambda: _redis(settings.redis_url)),
        Check("the metadata service", settings.metadata_url, "DWSIM_METADATA_URL",
              lambda: _health(settings.metadata_url)),
        Check("S3", s3, "DWSIM_S3_ENDPOINT_URL", lambda: _bucket(settings)),
    ]  # fmt: skip


def warehouse_checks(settings: DwsimSettings) -> list[Check]:
    """What the loader adds: the warehouses it loads into (the emulators, or real ones)."""
    redshift = f"{settings.redshift_host}:{settings.redshift_port}"
    snowflake = f"http://{settings.snowflake_host}:{settings.snowflake_port}"
    return [
        Check("the Redshift emulator", redshift, "DWSIM_REDSHIFT_HOST, DWSIM_REDSHIFT_PORT",
              lambda: _postgres_protocol(settings.redshift_host, settings.redshift_port)),
        Check("the Snowflake emulator", snowflake, "DWSIM_SNOWFLAKE_HOST, DWSIM_SNOWFLAKE_PORT",
              lambda: _http_answers(snowflake)),
    ]  # fmt: skip


def failures(checks: list[Check]) -> list[str]:
    """One message per check that failed (all run at once, each within TIMEOUT_S)."""
    with ThreadPoolExecutor(max_workers=len(checks) or 1) as pool:
        outcomes = list(pool.map(_outcome, checks))
    return [
        f"{c.what} does not answer at {c.address} ({c.setting}): {reason}"
        for c, reason in zip(checks, outcomes, strict=True)
        if reason is not None
    ]


def _outcome(check: Check) -> str | None:
    try:
        check.probe()
    except CheckFailed as exc:
        return str(exc)
    except Exception as exc:  # connection refused, unknown host, timeout...
        return _reason(exc)
    return None


def _reason(exc: BaseException) -> str:
    """Why a connection failed, in a few words (from the error or what caused it)."""
    chain = [exc]
    while len(chain) < 10 and (cause := chain[-1].__cause__ or chain[-1].__context__):
        chain.append(cause)
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return "connection refused"
    if any(isinstance(e, socket.gaierror) for e in chain) or "name or service" in text:
        return "unknown host"
    if any(isinstance(e, TimeoutError) for e in chain) or "timed out" in text:
        return f"no answer within {TIMEOUT_S:g} s"
    return str(exc) or type(exc).__name__


def _redis(url: str) -> None:
    import redis  # celery[redis]: installed wherever a worker can run

    client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_S, socket_timeout=TIMEOUT_S)
    try:
        client.ping()
    except redis.AuthenticationError as exc:
        raise CheckFailed(f"it refused the password in the URL ({exc})") from None
    except redis.ResponseError as exc:
        raise CheckFailed(str(exc)) from None
    except redis.ConnectionError as exc:
        raise CheckFailed(_reason(exc)) from None
    finally:
        client.close()


def _health(base_url: str) -> None:
    import httpx

    response = httpx.get(f"{base_url.rstrip('/')}/health", timeout=TIMEOUT_S)
    if response.status_code != 200:
        raise CheckFailed(f"GET /health answered HTTP {response.status_code}")


def _http_answers(url: str) -> None:
    import httpx

    response = httpx.get(url, timeout=TIMEOUT_S)
    if response.status_code >= 500:
        raise CheckFailed(f"it answered HTTP {response.status_code}")


def _bucket(settings: DwsimSettings) -> None:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url or None,
        region_name=settings.s3_region,
        aws_access_key_id=settings.aws_access_key_id,
        aws_secret_access_key=settings.aws_secret_access_key,
        config=Config(
            connect_timeout=TIMEOUT_S, read_timeout=TIMEOUT_S, retries={"max_attempts": 1}
        ),
    )
    try:
        client.head_bucket(Bucket=settings.s3_bucket)
    except BotoCoreError as exc:  # no connection, no answer in time
        raise CheckFailed(_reason(exc)) from None
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in ("404", "NoSuchBucket"):
            raise CheckFailed(
                f"it has no bucket {settings.s3_bucket} (DWSIM_S3_BUCKET): create it there"
            ) from None
        if code in ("401", "403"):
            raise CheckFailed(
                f"it refused access to bucket {settings.s3_bucket} (HTTP {code}): check "
                "DWSIM_AWS_ACCESS_KEY_ID and DWSIM_AWS_SECRET_ACCESS_KEY"
            ) from None
        raise CheckFailed(f"HEAD bucket {settings.s3_bucket} failed: {code or exc}") from None
    finally:
        client.close()


def _postgres_protocol(host: str, port: int) -> None:
    """The Redshift emulator (or a cluster) speaks PostgreSQL's protocol: it answers SSLRequest."""
    with socket.create_connection((host, port), timeout=TIMEOUT_S) as sock:
        sock.sendall(SSL_REQUEST)
        answer = sock.recv(1)
    if answer not in (b"S", b"N"):
        raise CheckFailed(f"not a PostgreSQL-protocol server (it answered {answer!r})")
