"""The loader against real servers: moto's S3, the Redshift and Snowflake emulators, SQLite in
a temporary data dir. ``loader_env`` points DWSIM_* at them (for ``dwsim load`` in-process, the
service, and a loader worker subprocess alike)."""

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dwsim_cli.main import main
from dwsim_loader.config import Settings
from dwsim_loader.service import LoaderService
from dwsim_shared.contracts.enums import Warehouse
from tests.fixtures.s3 import S3Server

if TYPE_CHECKING:
    from tests.data_loader.stack import Stack

SHOP_DDL = Path(__file__).with_name("shop.sql")
ROWS = {"customers": 40, "orders": 90, "order_lines": 200, "employees": 15}
WAREHOUSES = [Warehouse.SQLITE, Warehouse.SNOWFLAKE, Warehouse.REDSHIFT]


@dataclass
class LoaderEnv:
    warehouse: Warehouse
    env: dict[str, str]  # DWSIM_* variables pointing at the test servers
    s3: S3Server
    bucket: str

    @property
    def settings(self) -> Settings:
        return Settings(**{k.removeprefix("DWSIM_").lower(): v for k, v in self.env.items()})

    def service(self) -> LoaderService:
        return LoaderService(self.settings)


def warehouse_env(
    warehouse: Warehouse, request: pytest.FixtureRequest, s3: S3Server, bucket: str, tmp: Path
) -> dict[str, str]:
    env = {
        "DWSIM_S3_ENDPOINT_URL": s3.endpoint_url,
        "DWSIM_S3_BUCKET": bucket,
        "DWSIM_S3_REGION": s3.region,
        "DWSIM_AWS_ACCESS_KEY_ID": s3.access_key,
        "DWSIM_AWS_SECRET_ACCESS_KEY": s3.secret_key,
        "DWSIM_DATA_DIR": str(tmp / "data"),
    }
    if warehouse == Warehouse.REDSHIFT:
        emulator = request.getfixturevalue("redshift_emulator")
        env |= {
            "DWSIM_REDSHIFT_HOST": emulator.host,
            "DWSIM_REDSHIFT_PORT": str(emulator.port),
            "DWSIM_REDSHIFT_USER": emulator.user,
            "DWSIM_REDSHIFT_PASSWORD": emulator.password,
        }
    elif warehouse == Warehouse.SNOWFLAKE:
        emulator = request.getfixturevalue("snowflake_emulator")
        env |= {
            "DWSIM_SNOWFLAKE_HOST": emulator.host,
            "DWSIM_SNOWFLAKE_PORT": str(emulator.port),
        }
    return env


def make_env(
    warehouse: Warehouse,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    s3: S3Server,
    bucket: str,
    tmp: Path,
) -> LoaderEnv:
    env = warehouse_env(warehouse, request, s3, bucket, tmp)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return LoaderEnv(warehouse, env, s3, bucket)


@pytest.fixture(params=WAREHOUSES, ids=str)
def loader_env(request, monkeypatch, s3_server, s3_bucket, tmp_path) -> LoaderEnv:
    return make_env(request.param, request, monkeypatch, s3_server, s3_bucket, tmp_path)


@pytest.fixture
def sqlite_env(request, monkeypatch, s3_server, s3_bucket, tmp_path) -> LoaderEnv:
    return make_env(Warehouse.SQLITE, request, monkeypatch, s3_server, s3_bucket, tmp_path)


@pytest.fixture
def snowflake_env(request, monkeypatch, s3_server, s3_bucket, tmp_path) -> LoaderEnv:
    return make_env(Warehouse.SNOWFLAKE, request, monkeypatch, s3_server, s3_bucket, tmp_path)


@pytest.fixture
def experiment_name() -> str:
    return f"shop_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def shop_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``dwsim generate`` of shop.sql (Redshift DDL): a few parts per table. Read-only."""
    out = tmp_path_factory.mktemp("shop") / "run"
    rows = [f"{table}={n}" for table, n in ROWS.items()]
    args = ["generate", str(SHOP_DDL), "--dialect", "redshift", "--out", str(out),
            "--rows", *rows, "--chunk-rows", "40", "--run-id", "r1", "--seed", "7"]  # fmt: skip
    assert main(args) == 0
    return out


@pytest.fixture
def run_dir(shop_run: Path, tmp_path: Path) -> Path:
    """A copy of the generated run that a test may change."""
    return Path(shutil.copytree(shop_run, tmp_path / "run"))


@pytest.fixture(scope="module")
def markers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this module's held worker and its tests meet (``holds.py``)."""
    return tmp_path_factory.mktemp("hold-markers")


@pytest.fixture(scope="module")
def mark_stack(request: pytest.FixtureRequest, markers: Path) -> Iterator["Stack"]:
    """One loader worker (``held_mark.py``) that holds an armed job right before or right after
    its commit mark, for this module."""
    from tests.data_loader.stack import loader_stack

    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_").replace("_", "-")
    hold = {"DWSIM_TEST_HOLD_MARKERS": str(markers)}
    with loader_stack(request, name, hold, app="tests.data_loader.held_mark") as stack:
        yield stack
