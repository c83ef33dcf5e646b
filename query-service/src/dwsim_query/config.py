"""Settings for this service: DWSIM_* environment variables over the shared defaults."""

from dwsim_shared.settings import DwsimSettings


class Settings(DwsimSettings):
    pass


def get_settings() -> Settings:
    return Settings()
