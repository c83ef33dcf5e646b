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

    @property
    def redshift_dsn(self) -> str:
        return (
            f"host={self.redshift_host} port={self.redshift_port} dbname={self.redshift_database} "
            f"user={self.redshift_user} password={self.redshift_password} sslmode=disable"
        )
