"""Warehouse adapters: one interface (``WarehouseAdapter``), one module per warehouse, and the
per-warehouse facts as data (``PROFILES``).

Drivers (psycopg2, snowflake-connector-python, pyarrow/boto3) are imported only by the module of
the warehouse that needs them, so ``dwsim_shared`` imports without any of them.
"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

# Each name's module, imported on first use: a process that needs only the profiles (the
# generator) does not import the adapters' base, the registry or the settings.
_HOMES = {
    "dwsim_shared.contracts.query": ("ColumnInfo", "QueryResult"),
    "dwsim_shared.warehouses.base": (
        "QueryCancelledError", "QueryError", "QueryTimeoutError", "RowStream",
        "WarehouseAdapter", "WarehouseError", "WarehouseUnavailableError",
    ),
    "dwsim_shared.warehouses.connections": (
        "ConnectionConfig", "RedshiftConnection", "S3Access", "SnowflakeConnection",
        "SqliteConnection",
    ),
    "dwsim_shared.warehouses.profiles": ("PROFILES", "WarehouseProfile", "profile"),
    "dwsim_shared.warehouses.registry": (
        "ADAPTERS", "adapter_class", "connection_from_settings", "get_adapter",
    ),
}  # fmt: skip
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


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
