"""Settings of the local stack: the shared DWSIM_* settings plus what only the launcher reads."""

from pathlib import Path
from urllib.parse import urlparse

from dwsim_shared.settings import DwsimSettings


class LocalSettings(DwsimSettings):
    gateway_host: str = "127.0.0.1"  # the gateway listens here (DWSIM_GATEWAY_HOST)
    up_timeout_s: float = 120.0  # how long one service may take to become ready
    stop_timeout_s: float = 20.0  # how long one service may take to stop before SIGKILL
    up_health_timeout_s: float = 300.0  # `dwsim up --detach`: wait this long for a healthy gateway
    # run only these (comma-separated names from services.FACTORIES); empty: the whole stack
    up_services: str = ""

    @property
    def gateway_url(self) -> str:
        return f"http://{self.gateway_host}:{self.gateway_port}"

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).resolve()


def consistent(settings: LocalSettings) -> LocalSettings:
    """The settings with each service's URL and port agreeing.

    DWSIM_METADATA_URL and DWSIM_METADATA_PORT (query likewise) name the same thing twice: the
    one the user set wins, and the port when both or neither were set.
    """
    given = settings.model_fields_set
    updates: dict[str, object] = {"data_dir": str(settings.data_path)}
    for name in ("metadata", "query"):
        url, port = f"{name}_url", f"{name}_port"
        parsed = urlparse(getattr(settings, url))
        host = parsed.hostname or "127.0.0.1"
        if url in given and port not in given and parsed.port:
            updates[port] = parsed.port
        else:
            updates[url] = f"http://{host}:{getattr(settings, port)}"
    return settings.model_copy(update=updates)


def child_env(settings: LocalSettings) -> dict[str, str]:
    """DWSIM_* (and AWS_*) variables every process of the stack gets, so all agree."""
    env = {
        "DWSIM_DATA_DIR": settings.data_dir,
        "DWSIM_METADATA_URL": settings.metadata_url,
        "DWSIM_METADATA_PORT": str(settings.metadata_port),
        "DWSIM_QUERY_URL": settings.query_url,
        "DWSIM_QUERY_PORT": str(settings.query_port),
        "DWSIM_GATEWAY_PORT": str(settings.gateway_port),
        "DWSIM_GATEWAY_HOST": settings.gateway_host,
        "DWSIM_REDIS_URL": settings.redis_url,
        "DWSIM_POSTGRES_URL": settings.postgres_url,
        "DWSIM_S3_ENDPOINT_URL": settings.s3_endpoint_url,
        "DWSIM_S3_BUCKET": settings.s3_bucket,
        # AWS SDKs in the emulators (s3fs, boto3) find the S3 server through these
        "AWS_ENDPOINT_URL": settings.s3_endpoint_url,
        "AWS_ENDPOINT_URL_S3": settings.s3_endpoint_url,
        "AWS_ACCESS_KEY_ID": settings.aws_access_key_id,
        "AWS_SECRET_ACCESS_KEY": settings.aws_secret_access_key,
        "AWS_DEFAULT_REGION": settings.s3_region,
        "PYTHONUNBUFFERED": "1",
    }
    return env
