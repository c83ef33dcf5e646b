"""Settings for the Snowflake emulator: DWSIM_* environment variables over the shared defaults."""

from pathlib import Path

from dwsim_shared.settings import DwsimSettings


class Settings(DwsimSettings):
    # where the emulator keeps its DuckDB files; default: <data_dir>/snowflake
    snowflake_data_dir: str | None = None

    @property
    def snowflake_path(self) -> Path:
        return Path(self.snowflake_data_dir or Path(self.data_dir) / "snowflake")


def get_settings() -> Settings:
    return Settings()
