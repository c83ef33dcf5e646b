"""Connection settings of each warehouse, as pydantic models tagged by ``type_``.

Each is built from ``DwsimSettings`` (``DWSIM_*`` variables) by its ``from_settings``; a service
that stores connections (e.g. per experiment) can validate them with ``ConnectionConfig``.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # pydantic-settings is imported by services, not by every user of profiles
    from dwsim_shared.settings import DwsimSettings

DEFAULT_IAM_ROLE = "arn:aws:iam::000000000000:role/dwsim"


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class S3Access(_Config):
    """Where staged runs are read from, by the adapters that read S3 themselves."""

    endpoint_url: str | None = None  # None: AWS's own endpoints
    region: str = "us-east-1"
    access_key_id: str = "test"
    secret_access_key: str = Field(default="test", repr=False)
    connect_timeout_s: float = 5.0  # DWSIM_S3_CONNECT_TIMEOUT_S
    read_timeout_s: float = 30.0  # DWSIM_S3_READ_TIMEOUT_S
    max_attempts: int = Field(default=6, ge=1)  # DWSIM_S3_MAX_ATTEMPTS

    def botocore_config(self):  # -> botocore.config.Config
        """Timeouts and retries of every request: a connection refused, reset or timed out,
        or a 5xx/throttling answer, is tried again after an exponential backoff (botocore's
        standard mode: a random wait of up to 1, 2, 4, 8, 16, 20 s), ``max_attempts`` times
        in all; then the error is raised.

        A body is not hashed into the request's signature (``UNSIGNED-PAYLOAD``, as botocore
        already does over HTTPS): over plain HTTP, as to a local S3 server, botocore would
        SHA-256 every part it uploads, half of the client's CPU for an upload (measured 0.55
        against 0.30 CPU s for 400 MiB). The body's CRC32 checksum still goes with it, for S3
        to check (moto's server checks neither)."""
        from botocore.config import Config

        return Config(
            connect_timeout=self.connect_timeout_s,
            read_timeout=self.read_timeout_s,
            retries={"total_max_attempts": self.max_attempts, "mode": "standard"},
            s3={"payload_signing_enabled": False},
        )

    def client(self):  # -> botocore S3 client; boto3 is imported lazily
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
            config=self.botocore_config(),
        )


def s3_access(settings: "DwsimSettings") -> S3Access:
    return S3Access(
        endpoint_url=settings.s3_endpoint_url or None,
        region=settings.s3_region,
        access_key_id=settings.aws_access_key_id,
        secret_access_key=settings.aws_secret_access_key,
        connect_timeout_s=settings.s3_connect_timeout_s,
        read_timeout_s=settings.s3_read_timeout_s,
        max_attempts=settings.s3_max_attempts,
    )


class RedshiftConnection(_Config):
    """The Redshift emulator (or a real cluster), reached with psycopg2."""

    type_: Literal["redshift"] = Field(default="redshift", alias="type")
    host: str = "127.0.0.1"
    port: int = 5439
    database: str = "dev"
    user: str = "dwsim"
    password: str = Field(default="dwsim", repr=False)
    sslmode: str = "disable"
    connect_timeout_s: int = 10
    iam_role: str = DEFAULT_IAM_ROLE  # given to COPY; the emulator reads S3 with its own keys

    @property
    def url(self) -> str:
        return f"redshift://{self.user}@{self.host}:{self.port}/{self.database}"

    @classmethod
    def from_settings(cls, settings: "DwsimSettings") -> "RedshiftConnection":
        return cls(
            host=settings.redshift_host,
            port=settings.redshift_port,
            database=settings.redshift_database,
            user=settings.redshift_user,
            password=settings.redshift_password,
        )


class SnowflakeConnection(_Config):
    """The Snowflake emulator (fakesnow's server) or real Snowflake, reached with the connector."""

    type_: Literal["snowflake"] = Field(default="snowflake", alias="type")
    host: str = "127.0.0.1"
    port: int = 8787
    protocol: Literal["http", "https"] = "http"
    account: str = "dwsim"
    user: str = "dwsim"
    password: str = Field(default="dwsim", repr=False)
    database: str = "DWSIM"  # holds one schema per experiment
    login_timeout_s: int = 10
    statement_timeout_s: int = 3600  # loads and DDL; queries take their own timeout
    # Declare FOREIGN KEYs (informational, as in Snowflake: the emulator records them for
    # SHOW IMPORTED KEYS and information_schema but does not enforce them)
    foreign_keys: bool = True
    s3: S3Access = Field(default_factory=S3Access)  # credentials given to COPY INTO

    @property
    def url(self) -> str:
        return f"{self.protocol}://{self.host}:{self.port}"

    @classmethod
    def from_settings(cls, settings: "DwsimSettings") -> "SnowflakeConnection":
        return cls(
            host=settings.snowflake_host,
            port=settings.snowflake_port,
            account=settings.snowflake_account,
            user=settings.snowflake_user,
            password=settings.snowflake_password,
            s3=s3_access(settings),
        )


class SqliteConnection(_Config):
    """The embedded warehouse: one SQLite file per experiment under ``data_dir``."""

    type_: Literal["sqlite"] = Field(default="sqlite", alias="type")
    data_dir: str = ".dwsim"
    s3: S3Access = Field(default_factory=S3Access)  # staged runs are read from here

    @property
    def directory(self) -> Path:
        return Path(self.data_dir) / "sqlite"

    @property
    def url(self) -> str:
        return f"sqlite:///{self.directory}"

    @classmethod
    def from_settings(cls, settings: "DwsimSettings") -> "SqliteConnection":
        return cls(data_dir=settings.data_dir, s3=s3_access(settings))


ConnectionConfig = Annotated[
    RedshiftConnection | SnowflakeConnection | SqliteConnection, Field(discriminator="type_")
]
