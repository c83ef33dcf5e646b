"""Settings for this service: DWSIM_* environment variables over the shared defaults."""

from dwsim_shared.settings import DwsimSettings


class Settings(DwsimSettings):
    # A load, reset or drop waits (by retrying its task) while the experiment's materialize
    # job is queued or running: every this many seconds, for at most loader_wait_max_s.
    loader_wait_countdown_s: float = 2.0
    loader_wait_max_s: float = 600.0
    # The metadata service restarting: a task retries this many times, this far apart.
    loader_metadata_retries: int = 5
    loader_metadata_retry_s: float = 5.0


def get_settings() -> Settings:
    return Settings()
