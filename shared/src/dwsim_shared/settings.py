"""Settings base: every service's ``config.py`` subclasses this; variables use ``DWSIM_``."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class DwsimSettings(BaseSettings):
    """Defaults work for the local stack (``make up``); override with DWSIM_* variables."""

    model_config = SettingsConfigDict(env_prefix="DWSIM_", extra="ignore")

    # S3 (moto's server locally, LocalStack in docker-compose)
    s3_endpoint_url: str = "http://127.0.0.1:4566"
    s3_bucket: str = "dwsim"
    s3_region: str = "us-east-1"
    aws_access_key_id: str = "test"
    aws_secret_access_key: str = "test"
    # Every S3 client (workers, loader, both emulators' COPY reads): a request waits this
    # long for a connection and for each answer, and is tried this many times in all, with
    # exponential backoff (docs/reliability.md "The S3 server unreachable for a while")
    s3_connect_timeout_s: float = 5.0
    s3_read_timeout_s: float = 30.0
    s3_max_attempts: int = 6

    redis_url: str = "redis://127.0.0.1:6379/0"
    postgres_url: str = "postgresql://postgres@127.0.0.1:5432/postgres"

    redshift_host: str = "127.0.0.1"
    redshift_port: int = 5439
    redshift_database: str = "dev"
    redshift_user: str = "dwsim"
    redshift_password: str = "dwsim"

    snowflake_host: str = "127.0.0.1"
    snowflake_port: int = 8787
    snowflake_user: str = "dwsim"
    snowflake_password: str = "dwsim"
    snowflake_account: str = "dwsim"

    gateway_port: int = 8000
    metadata_port: int = 8001
    query_port: int = 8002
    metadata_url: str = "http://127.0.0.1:8001"
    query_url: str = "http://127.0.0.1:8002"

    data_dir: str = ".dwsim"  # local state: SQLite warehouses, emulator files, metadata DB

    # metadata-service database; default: SQLite file <data_dir>/metadata.db
    metadata_db_url: str | None = None

    # Celery (decision 6): a task is redelivered only after the visibility timeout, so it must
    # be longer than the longest task (a chunk, or one table's load).
    celery_visibility_timeout_s: int = 600
    generator_concurrency: int = 2  # processes per generator worker (make up starts one worker)
    loader_concurrency: int = 1

    # job liveness (docs/reliability.md): a task holding a job reports a heartbeat this often;
    # the metadata service fails a running job silent for longer than the timeout, checking
    # every reaper interval
    job_heartbeat_interval_s: float = 10.0
    # while a load's statements run, the heartbeat is sent this often instead: a cancel (the
    # heartbeat's 409) then stops the running COPY within about this long
    job_cancel_check_interval_s: float = 1.0
    # a cancelled load's or reset's statement still running this long after the warehouse's
    # cancel (a COPY waiting on one S3 read) is abandoned: its connection is given up and the
    # job ends cancelled at once, nothing committed (docs/reliability.md)
    loader_cancel_grace_s: float = 5.0
    job_heartbeat_timeout_s: float = 120.0
    job_reaper_interval_s: float = 15.0

    # limits: requests past what one machine can do are refused, naming the limit
    max_rows: int = 2_000_000_000  # rows per table per run
    query_timeout_s: float = 30.0
    query_max_limit: int = 100_000
    log_level: str = "INFO"
    log_json: bool = True  # one JSON object per log line (else plain text)

    @property
    def metadata_database_url(self) -> str:
        from pathlib import Path

        if self.metadata_db_url:
            return self.metadata_db_url
        return f"sqlite:///{Path(self.data_dir).resolve() / 'metadata.db'}"

    @property
    def redshift_dsn(self) -> str:
        return (
            f"host={self.redshift_host} port={self.redshift_port} dbname={self.redshift_database} "
            f"user={self.redshift_user} password={self.redshift_password} sslmode=disable"
        )
