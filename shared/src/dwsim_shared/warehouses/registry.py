"""Which adapter serves which warehouse, and the one factory services call (both read from
``profiles.PROFILES``)."""

from importlib import import_module

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses.base import WarehouseAdapter
from dwsim_shared.warehouses.connections import (
    RedshiftConnection,
    SnowflakeConnection,
    SqliteConnection,
)
from dwsim_shared.warehouses.profiles import PROFILES, profile

# "module:class" so that importing the registry never imports a driver.
ADAPTERS: dict[Warehouse, str] = {w: p.adapter for w, p in PROFILES.items()}


def adapter_class(warehouse: Warehouse) -> type[WarehouseAdapter]:
    module, _, name = profile(warehouse).adapter.partition(":")
    return getattr(import_module(module), name)


def connection_from_settings(
    warehouse: Warehouse, settings: DwsimSettings
) -> RedshiftConnection | SnowflakeConnection | SqliteConnection:
    """The connection config of ``warehouse`` as the ``DWSIM_*`` settings describe it."""
    return profile(warehouse).connection.from_settings(settings)


def get_adapter(
    warehouse: Warehouse,
    settings: DwsimSettings | None = None,
    connection: RedshiftConnection | SnowflakeConnection | SqliteConnection | None = None,
) -> WarehouseAdapter:
    """An adapter for ``warehouse``, connected as ``connection`` or else as the settings say."""
    warehouse = Warehouse(warehouse)
    if connection is None:
        connection = connection_from_settings(warehouse, settings or DwsimSettings())
    if connection.type_ != warehouse.value:
        raise ValueError(f"a {connection.type_} connection cannot serve warehouse {warehouse}")
    return adapter_class(warehouse)(connection)  # type: ignore[call-arg]
