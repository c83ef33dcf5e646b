"""The table of processes `dwsim up` runs. A new service is one more entry in ``plan``."""

import contextlib
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from dwsim_local import postgres
from dwsim_local.prereqs import DWSIM_INSTALL_HINT, MOTO_INSTALL_HINT, venv_program
from dwsim_shared.settings import DwsimSettings


@dataclass(frozen=True)
class Service:
    name: str
    command: list[str]
    port: int  # ready when something answers here
    host: str = "127.0.0.1"
    stage: int = 0  # stages start in order; a stage starts when the one before is ready
    stop_signal: signal.Signals = signal.SIGTERM
    user: str | None = None  # run as this system user (PostgreSQL under root)
    on_ready: Callable[[], None] | None = None
    env: dict[str, str] = field(default_factory=dict)
    start_timeout: float = 90.0
    hint: str = ""  # how to reach it, printed once everything is up


def _s3(settings: DwsimSettings) -> Service:
    endpoint = urlparse(settings.s3_endpoint_url)
    host, port = endpoint.hostname or "127.0.0.1", endpoint.port or 4566
    moto = venv_program("moto_server", MOTO_INSTALL_HINT)
    return Service(
        name="s3",
        command=[moto, "-H", host, "-p", str(port)],
        host=host,
        port=port,
        on_ready=lambda: create_bucket(settings),
        hint=f"AWS_ENDPOINT_URL={settings.s3_endpoint_url}, bucket {settings.s3_bucket}",
    )


def _postgres(settings: DwsimSettings) -> Service | None:
    """None when a PostgreSQL already answers at DWSIM_POSTGRES_URL."""
    host, port, _, _ = postgres.url_parts(settings.postgres_url)
    if postgres.answers(host, port):
        return None
    command, user = postgres.private_cluster_command(
        settings.postgres_url, Path(settings.data_dir) / "postgres"
    )
    return Service(
        name="postgres",
        command=command,
        host=host,
        port=port,
        user=user,
        stop_signal=signal.SIGINT,  # "fast" shutdown: SIGTERM would wait for clients to leave
        on_ready=lambda: postgres.ensure_database(settings.postgres_url),
    )


def _snowflake(settings: DwsimSettings) -> Service:
    dwsim = venv_program("dwsim", DWSIM_INSTALL_HINT)
    return Service(
        name="snowflake",
        command=[dwsim, "snowflake-emulator"],
        host=settings.snowflake_host,
        port=settings.snowflake_port,
        stage=1,
        hint=(
            f'snowflake.connector.connect(host="{settings.snowflake_host}", '
            f'port={settings.snowflake_port}, protocol="http", account="dwsim", user="dwsim", '
            'password="dwsim")'
        ),
    )


def _redshift(settings: DwsimSettings) -> Service:
    dwsim = venv_program("dwsim", DWSIM_INSTALL_HINT)
    return Service(
        name="redshift",
        command=[dwsim, "redshift-emulator"],
        host=settings.redshift_host,
        port=settings.redshift_port,
        stage=1,
        hint=(
            f'psql "host={settings.redshift_host} port={settings.redshift_port} dbname=dev '
            'user=dwsim sslmode=disable"'
        ),
    )


def plan(settings: DwsimSettings) -> list[Service]:
    """Every process of the local stack, in start order. Each reads its DWSIM_* settings."""
    services = [_s3(settings), _postgres(settings), _snowflake(settings), _redshift(settings)]
    return [s for s in services if s is not None]


def create_bucket(settings: DwsimSettings) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        aws_access_key_id=settings.aws_access_key_id,
        aws_secret_access_key=settings.aws_secret_access_key,
    )
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=settings.s3_bucket)
