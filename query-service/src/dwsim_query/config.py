"""Settings for this service: DWSIM_* environment variables over the shared defaults."""

from dwsim_shared.settings import DwsimSettings


class Settings(DwsimSettings):
    csv_batch_rows: int = 10_000  # rows fetched from the warehouse per CSV batch
    cancel_wait_s: float = 10.0  # how long POST /queries/{id}/cancel waits for the query to stop


def get_settings() -> Settings:
    return Settings()
