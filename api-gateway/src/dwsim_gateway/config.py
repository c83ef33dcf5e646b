"""Settings for this service: DWSIM_* environment variables over the shared defaults."""

from dwsim_shared.settings import DwsimSettings


class Settings(DwsimSettings):
    """The gateway owns no database: it needs the metadata and query services and Redis."""

    health_timeout_s: float = 1.0  # per dependency in GET /health; checks run concurrently
    metadata_timeout_s: float = 10.0  # per call to the metadata service
    enqueue_retries: int = 2  # publish attempts to Redis after the first, before 503
    query_connect_timeout_s: float = 2.0
    query_grace_s: float = 10.0  # waited past the query's own timeout before giving up


def get_settings() -> Settings:
    return Settings()
