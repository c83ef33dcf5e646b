"""Settings for the Snowflake emulator: DWSIM_* environment variables over the shared defaults."""

from pathlib import Path

from dwsim_shared.settings import DwsimSettings


class Settings(DwsimSettings):
    # where the emulator keeps its DuckDB files; default: <data_dir>/snowflake
    snowflake_data_dir: str | None = None
    # results kept for RESULT_SCAN, across sessions: the newest, within both limits
    snowflake_result_cache_results: int = 1_000
    snowflake_result_cache_mb: int = 256
    # a session without requests for this long is ended (Snowflake's default: 240 minutes)
    snowflake_session_idle_seconds: float = 14_400
    # a transaction idle this long while it blocks another's lock wait is aborted as detached
    # (Snowflake: 5 minutes); a lock wait longer than the lock timeout fails (LOCK_TIMEOUT)
    snowflake_detached_idle_seconds: float = 300
    snowflake_lock_timeout_seconds: float = 43_200

    @property
    def snowflake_path(self) -> Path:
        return Path(self.snowflake_data_dir or Path(self.data_dir) / "snowflake")


def get_settings() -> Settings:
    return Settings()
