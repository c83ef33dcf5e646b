"""Settings for this service: DWSIM_* environment variables over the shared defaults."""

from dwsim_shared.settings import DwsimSettings


class Settings(DwsimSettings):
    # How long the writes of a worker process may keep failing because S3 does not answer
    # (each after DWSIM_S3_MAX_ATTEMPTS tries) while its chunk tasks are retried with backoff;
    # past it, the next such failure fails the job. Counted from the process's first failed
    # write since its last successful one, so it does not grow with the number of chunks.
    generator_s3_outage_s: float = 60.0


def get_settings() -> Settings:
    return Settings()
