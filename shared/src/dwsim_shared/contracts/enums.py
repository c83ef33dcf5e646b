"""Enumerations shared by every service; statuses are enums, never bare strings."""

from enum import StrEnum


class Warehouse(StrEnum):
    REDSHIFT = "redshift"
    SNOWFLAKE = "snowflake"
    SQLITE = "sqlite"


class Dialect(StrEnum):
    """SQL dialect a DDL file is written in."""

    REDSHIFT = "redshift"
    SNOWFLAKE = "snowflake"
    POSTGRES = "postgres"


class JobKind(StrEnum):
    MATERIALIZE = "materialize"
    GENERATE = "generate"
    LOAD = "load"
    RESET = "reset"
    DROP = "drop"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class JobStage(StrEnum):
    """Where a job is: a generate job goes plan -> generate -> stage -> load."""

    PLAN = "plan"  # sizing the run, checking the schema can be generated
    GENERATE = "generate"  # chunks generated and streamed to S3 as Parquet parts
    STAGE = "stage"  # manifests written: the run is complete in S3
    LOAD = "load"  # COPY / COPY INTO into the warehouse, table by table
    MATERIALIZE = "materialize"
    RESET = "reset"
    DROP = "drop"


class RunStatus(StrEnum):
    """State of a generation run (the staged data set, not the job that made it)."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class TypeKind(StrEnum):
    """Normalised family of a column type; the declared text is kept beside it."""

    SMALLINT = "smallint"
    INTEGER = "integer"
    BIGINT = "bigint"
    DECIMAL = "decimal"
    REAL = "real"
    DOUBLE = "double"
    CHAR = "char"
    VARCHAR = "varchar"
    TEXT = "text"
    DATE = "date"
    TIME = "time"
    TIMESTAMP = "timestamp"
    TIMESTAMPTZ = "timestamptz"
    BOOLEAN = "boolean"
    UUID = "uuid"
    JSON = "json"  # Redshift SUPER, Snowflake VARIANT, PostgreSQL JSON/JSONB
    OBJECT = "object"  # Snowflake OBJECT
    ARRAY = "array"  # Snowflake ARRAY
    BINARY = "binary"


class RuleKind(StrEnum):
    """How a column's values are generated."""

    FAKER = "faker"
    SEQUENCE = "sequence"
    RANGE = "range"  # numeric, date or timestamp between min and max
    DISTRIBUTION = "distribution"
    CATEGORICAL = "categorical"
    PATTERN = "pattern"
    BOOLEAN = "boolean"
    UUID = "uuid"
    JSON = "json"
    TEXT = "text"
    CONSTANT = "constant"


class Distribution(StrEnum):
    UNIFORM = "uniform"
    NORMAL = "normal"
    LOGNORMAL = "lognormal"
    EXPONENTIAL = "exponential"
    BETA = "beta"
    POISSON = "poisson"
    ZIPF = "zipf"


class RuleSource(StrEnum):
    """Where a generation rule came from, so users can see what was guessed."""

    INFERRED = "inferred"
    DDL = "ddl"
    USER = "user"


class IdentityKind(StrEnum):
    IDENTITY = "identity"
    AUTOINCREMENT = "autoincrement"
    SERIAL = "serial"


class SortKeyStyle(StrEnum):
    COMPOUND = "compound"
    INTERLEAVED = "interleaved"
