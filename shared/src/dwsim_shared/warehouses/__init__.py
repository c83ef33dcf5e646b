"""Warehouse adapters: one interface (``WarehouseAdapter``), one module per warehouse, and the
per-warehouse facts as data (``PROFILES``).

Drivers (psycopg2, snowflake-connector-python, pyarrow/boto3) are imported only by the module of
the warehouse that needs them, so ``dwsim_shared`` imports without any of them.
"""

from dwsim_shared.contracts.query import ColumnInfo, QueryResult
from dwsim_shared.warehouses.base import (
    QueryCancelledError,
    QueryError,
    QueryTimeoutError,
    RowStream,
    WarehouseAdapter,
    WarehouseError,
    WarehouseUnavailableError,
)
from dwsim_shared.warehouses.connections import (
    ConnectionConfig,
    RedshiftConnection,
    S3Access,
    SnowflakeConnection,
    SqliteConnection,
)
from dwsim_shared.warehouses.profiles import PROFILES, WarehouseProfile, profile
from dwsim_shared.warehouses.registry import (
    ADAPTERS,
    adapter_class,
    connection_from_settings,
    get_adapter,
)

__all__ = [
    "ADAPTERS",
    "PROFILES",
    "ColumnInfo",
    "ConnectionConfig",
    "QueryCancelledError",
    "QueryError",
    "QueryResult",
    "QueryTimeoutError",
    "RedshiftConnection",
    "RowStream",
    "S3Access",
    "SnowflakeConnection",
    "SqliteConnection",
    "WarehouseAdapter",
    "WarehouseError",
    "WarehouseProfile",
    "WarehouseUnavailableError",
    "adapter_class",
    "connection_from_settings",
    "get_adapter",
    "profile",
]
