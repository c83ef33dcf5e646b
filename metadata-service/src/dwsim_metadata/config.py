"""Settings for this service: DWSIM_* environment variables over the shared defaults."""

from dwsim_shared.settings import DwsimSettings


class Settings(DwsimSettings):
    """The database is ``metadata_database_url``: a SQLite file under ``data_dir`` by default."""

    sqlite_busy_timeout_s: float = 30.0  # how long a writer waits for another's lock
    db_pool_size: int = 10
    # how long the gateway may serve a job's view that was not refreshed (dwsim_shared.job_cache)
    job_cache_ttl_s: float = 30.0
    job_cache: bool = True  # keep each job's public view in Redis for the gateway


def get_settings() -> Settings:
    return Settings()
