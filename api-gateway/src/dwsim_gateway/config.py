"""Settings for this service: DWSIM_* environment variables over the shared defaults."""

from pydantic import Field, SecretStr, field_validator

from dwsim_shared.settings import DwsimSettings


class Settings(DwsimSettings):
    """The gateway owns no database: it needs the metadata and query services and Redis."""

    health_timeout_s: float = 1.0  # per dependency in GET /health; checks run concurrently
    metadata_timeout_s: float = 10.0  # per call to the metadata service
    enqueue_retries: int = 2  # publish attempts to Redis after the first, before 503
    query_connect_timeout_s: float = 2.0
    query_grace_s: float = 10.0  # waited past the query's own timeout before giving up
    max_body_mb: float = Field(default=10.0, gt=0)  # a larger request body is answered 413
    # DWSIM_API_TOKEN: when set, every request but /health and the web UI's page and assets
    # must carry "Authorization: Bearer <token>" (auth.py); unset or empty: all open
    api_token: SecretStr | None = None

    @field_validator("api_token", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


def get_settings() -> Settings:
    return Settings()
