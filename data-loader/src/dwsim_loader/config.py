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
    # A load or reset that lost its warehouse (the emulator restarted, or not answering) is
    # tried again this many times, after this long, then twice as long each time; it is one
    # transaction that replaces the tables' rows, so a retry leaves exactly the run's rows.
    loader_lost_connection_retries: int = 3
    loader_lost_connection_retry_s: float = 5.0


def get_settings() -> Settings:
    return Settings()
