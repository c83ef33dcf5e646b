"""One adapter per warehouse, each against a real server (SQLite is in-process).

``warehouse_case`` is parametrized over the warehouses: the Snowflake and Redshift cases use
the ``snowflake_emulator`` / ``redshift_emulator`` fixtures and are skipped, saying so, when a
fixture is not there.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.warehouses import (
    RedshiftConnection,
    S3Access,
    SnowflakeConnection,
    SqliteConnection,
    WarehouseAdapter,
    get_adapter,
)
from tests.fixtures.s3 import S3Server


@dataclass
class WarehouseCase:
    warehouse: Warehouse
    adapter: WarehouseAdapter
    s3: S3Server
    slow_sql: str  # a statement that runs well past the tests' timeout


SLOW_SQL = {
    Warehouse.SQLITE: (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c"
    ),
    # ~8 s on one core (one recursion step at a time), so that it also ends by itself on an
    # emulator that cannot cancel a running statement
    Warehouse.SNOWFLAKE: (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) "
        "SELECT COUNT(*) FROM c"
    ),
    Warehouse.REDSHIFT: ("SELECT COUNT(*) FROM pg_class a, pg_class b, pg_class c, pg_class d"),
}


def s3_access(s3: S3Server) -> S3Access:
    return S3Access(
        endpoint_url=s3.endpoint_url,
        region=s3.region,
        access_key_id=s3.access_key,
        secret_access_key=s3.secret_key,
    )


def _emulator(request: pytest.FixtureRequest, name: str):
    try:
        return request.getfixturevalue(name)
    except pytest.FixtureLookupError:
        pytest.skip(f"the {name} fixture does not exist yet (tests/fixtures/)")


def connection_for(warehouse: Warehouse, request: pytest.FixtureRequest, s3: S3Server, tmp: Path):
    if warehouse == Warehouse.SQLITE:
        return SqliteConnection(data_dir=str(tmp), s3=s3_access(s3))
    if warehouse == Warehouse.SNOWFLAKE:
        emu = _emulator(request, "snowflake_emulator")
        return SnowflakeConnection(host=emu.host, port=emu.port, s3=s3_access(s3))
    emu = _emulator(request, "redshift_emulator")
    return RedshiftConnection(host=emu.host, port=emu.port, user=emu.user, password=emu.password)


@contextmanager
def warehouse_case_for(
    warehouse: Warehouse, request: pytest.FixtureRequest, s3: S3Server, tmp: Path
) -> Iterator[WarehouseCase]:
    adapter = get_adapter(warehouse, connection=connection_for(warehouse, request, s3, tmp))
    try:
        yield WarehouseCase(warehouse, adapter, s3, SLOW_SQL[warehouse])
    finally:
        adapter.close()


@pytest.fixture(params=[Warehouse.SQLITE, Warehouse.SNOWFLAKE, Warehouse.REDSHIFT], ids=str)
def warehouse_case(
    request: pytest.FixtureRequest, s3_server: S3Server, tmp_path: Path
) -> Iterator[WarehouseCase]:
    with warehouse_case_for(request.param, request, s3_server, tmp_path) as case:
        yield case


@pytest.fixture
def sqlite_case(request, s3_server: S3Server, tmp_path: Path) -> Iterator[WarehouseCase]:
    with warehouse_case_for(Warehouse.SQLITE, request, s3_server, tmp_path) as case:
        yield case


@pytest.fixture
def snowflake_case(request, s3_server: S3Server, tmp_path: Path) -> Iterator[WarehouseCase]:
    with warehouse_case_for(Warehouse.SNOWFLAKE, request, s3_server, tmp_path) as case:
        yield case


@pytest.fixture
def redshift_case(request, s3_server: S3Server, tmp_path: Path) -> Iterator[WarehouseCase]:
    with warehouse_case_for(Warehouse.REDSHIFT, request, s3_server, tmp_path) as case:
        yield case


@pytest.fixture
def experiment_name() -> str:
    return f"exp_{uuid.uuid4().hex[:8]}"
