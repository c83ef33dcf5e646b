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


class HealthStatus(StrEnum):
    """A dependency's state in ``GET /health``, and the stack's: ok when every one is."""

    OK = "ok"
    DOWN = "down"
    DEGRADED = "degraded"  # the stack: at least one dependency is down


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
    CANCELLED = "cancelled"  # its job was cancelled before it completed: its objects removed


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
    # Derived from other columns (of the row, its parent row or its child rows); see derived.py
    LOOKUP = "lookup"  # a column of the parent row its foreign key points to
    AGGREGATE = "aggregate"  # sum/count/min/max over the child rows
    EXPRESSION = "expression"  # computed from other columns of the same row
    AFTER = "after"  # a date/timestamp at or after another (same row or parent row)
    # Correlated within a row: the columns of one ``group`` share one hidden draw per row
    GEO = "geo"  # a field (GeoField) of one real place: city, state, postcode, country...
    PERSON = "person"  # a field (PersonField) of one person: gender, title, first name
    # Shaped by a database's statistics (``dwsim profile``): most common values with their
    # shares, the rest spread over histogram bounds
    HISTOGRAM = "histogram"


class GeoField(StrEnum):
    """What a geo column holds of its row's place (all from one real city)."""

    CITY = "city"
    STATE = "state"  # region/province name
    STATE_CODE = "state_code"  # abbreviation (US, CA, AU), else the name cut to the column
    POSTCODE = "postcode"  # in the country's format (US: within the state's range)
    COUNTRY = "country"
    COUNTRY_CODE = "country_code"  # ISO 3166-1 alpha-2
    COUNTRY_CODE3 = "country_code3"  # ISO 3166-1 alpha-3
    PHONE = "phone"  # international format of the country
    CURRENCY = "currency"  # ISO 4217 code of the country's currency
    CURRENCY_NAME = "currency_name"  # its English name (US Dollar)
    CURRENCY_SYMBOL = "currency_symbol"  # its symbol ($, €, ₹)


class PersonField(StrEnum):
    """What a person column holds of its row's person (one draw of female/male/other)."""

    GENDER = "gender"  # rule ``values``: labels for female, male[, other]
    TITLE = "title"
    FIRST_NAME = "first_name"


class AggregateFunction(StrEnum):
    SUM = "sum"
    COUNT = "count"
    MIN = "min"
    MAX = "max"


class Distribution(StrEnum):
    UNIFORM = "uniform"
    NORMAL = "normal"
    LOGNORMAL = "lognormal"
    EXPONENTIAL = "exponential"
    BETA = "beta"
    POISSON = "poisson"
    ZIPF = "zipf"
    HISTOGRAM = "histogram"  # fan-outs only: piecewise uniform over measured quantiles (bounds)


class RuleSource(StrEnum):
    """Where a generation rule came from, so users can see what was guessed."""

    INFERRED = "inferred"
    DDL = "ddl"
    USER = "user"
    PROFILED = "profiled"  # read from a database's statistics by ``dwsim profile``


class TableRole(StrEnum):
    """A table's place in the key graph, which sets its default size (inferred at import)."""

    LOOKUP = "lookup"  # few rows referenced by many (statuses, countries): not scaled
    CALENDAR = "calendar"  # a date dimension: one row a day, not scaled
    ENTITY = "entity"  # customers, products, suppliers: the base of the schema's size
    EVENT = "event"  # rows about a parent row (orders of a customer), skewed per parent
    LINE = "line"  # lines of a parent (order lines): 1-10 per parent
    BRIDGE = "bridge"  # pairs of two parents (partsupp)
    EXTENSION = "extension"  # one row per parent row (a profile per customer)


class IdentityKind(StrEnum):
    IDENTITY = "identity"
    AUTOINCREMENT = "autoincrement"
    SERIAL = "serial"


class SortKeyStyle(StrEnum):
    COMPOUND = "compound"
    INTERLEAVED = "interleaved"


class CancelStatus(StrEnum):
    """What ``POST /api/queries/{id}/cancel`` did to a running query."""

    CANCELLED = "cancelled"  # the query has stopped
    CANCELLING = "cancelling"  # asked to stop; the warehouse had not stopped it yet
