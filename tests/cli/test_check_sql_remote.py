"""``dwsim check-sql --experiment NAME``: the report made through the gateway by a query
service that reaches the session's Redshift emulator, printed as a local check prints it."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses import get_adapter
from tests.cli.conftest import Result, Services, runner
from tests.fixtures.metadata import wait_for_health
from tests.fixtures.redis import REDIS_URL
from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.servers import bin_path, free_port, server_process

Dwsim = Callable[..., Result]


@pytest.fixture(scope="module")
def checking_gateway(
    services: Services, redshift_emulator: RedshiftEmulator, tmp_path_factory
) -> Iterator[str]:
    """A gateway over a query service that knows the Redshift emulator (same metadata)."""
    query_port, gateway_port = free_port(), free_port()
    uvicorn = [bin_path("uvicorn"), "--factory", "--host", "127.0.0.1", "--no-access-log"]
    query_env = {
        "DWSIM_METADATA_URL": services.metadata_url,
        "DWSIM_DATA_DIR": str(tmp_path_factory.mktemp("cli-check")),
        "DWSIM_REDSHIFT_HOST": redshift_emulator.host,
        "DWSIM_REDSHIFT_PORT": str(redshift_emulator.port),
        "DWSIM_REDSHIFT_USER": redshift_emulator.user,
        "DWSIM_REDSHIFT_PASSWORD": redshift_emulator.password,
    }
    gateway_env = {
        "DWSIM_METADATA_URL": services.metadata_url,
        "DWSIM_REDIS_URL": REDIS_URL,
        "DWSIM_QUERY_URL": f"http://127.0.0.1:{query_port}",
    }
    with (
        server_process([*uvicorn, "dwsim_query.main:create_app", "--port", str(query_port)],
                       query_port, env=query_env, log_name="cli-check-query"),
        server_process([*uvicorn, "dwsim_gateway.main:create_app", "--port", str(gateway_port)],
                       gateway_port, env=gateway_env, log_name="cli-check-gateway"),
    ):  # fmt: skip
        url = f"http://127.0.0.1:{gateway_port}"
        wait_for_health(url)
        yield url


@pytest.fixture
def check(checking_gateway: str, capsys, monkeypatch) -> Dwsim:
    run = runner(checking_gateway, capsys, monkeypatch)
    # --api-url: the `experiment` fixture's runner points DWSIM_API_URL at the other gateway
    return lambda *argv: run("check-sql", *argv, "--api-url", checking_gateway)


@pytest.fixture
def shop(experiment: str, services: Services, redshift_emulator: RedshiftEmulator) -> Iterator[str]:
    """The ``experiment`` fixture's tables made in the emulator (no worker runs here)."""
    record = httpx.get(f"{services.gateway_url}/api/experiments/{experiment}").json()
    schema = Experiment.model_validate(record["schema"])
    settings = DwsimSettings(
        redshift_host=redshift_emulator.host,
        redshift_port=redshift_emulator.port,
        redshift_user=redshift_emulator.user,
        redshift_password=redshift_emulator.password,
    )
    with get_adapter(Warehouse.REDSHIFT, settings) as adapter:
        adapter.materialize(schema)
    yield experiment
    with get_adapter(Warehouse.REDSHIFT, settings) as adapter:
        adapter.drop(schema)


@pytest.fixture
def sql_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    (folder / "marts").mkdir(parents=True)
    (folder / "daily.sql").write_text("select 1 as one;\n\nselect nope\n  from customers;\n")
    (folder / "marts" / "kpis.sql").write_text("-- nothing but a comment\n")
    (folder / "marts" / "totals.sql").write_text("select 2 as two")
    return folder


def test_a_folder_is_checked_on_the_experiments_warehouse(
    check: Dwsim, shop: str, sql_dir: Path
) -> None:
    result = check(str(sql_dir), "--experiment", shop)

    assert result.code == 1, result.err  # one statement is an error
    lines = result.out.splitlines()
    assert lines[0] == f"in {sql_dir}/"
    rows = {line.split()[0]: line.split() for line in lines[2:5]}
    assert rows["daily.sql:1"][-1] == "faithful"
    assert rows["daily.sql:3"][1:4] == ["select", "nope", "from"]
    assert rows["daily.sql:3"][5] == "error"
    assert "customers" in lines[3] + lines[4]
    assert rows["marts/totals.sql:1"][-1] == "faithful"
    summary = next(line for line in lines if line.startswith("3 statements: "))
    assert summary.startswith(
        "3 statements: 2 faithful, 0 rewritten, 0 unsupported, 1 error · 67% pass"
    )
    text = " ".join(result.out.split())  # the summary wraps at the terminal's width
    assert "redshift emulator at " in summary
    assert f", schema {shop} · " in text


def test_json_of_one_file_is_the_api_answer(check: Dwsim, shop: str, sql_dir: Path) -> None:
    result = check(str(sql_dir / "marts" / "totals.sql"), "-e", shop, "--json")

    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert (report["warehouse"], report["schema"]) == ("redshift", shop)
    assert [(s["file"], s["line"], s["status"]) for s in report["statements"]] == [
        (str(sql_dir / "marts" / "totals.sql"), 1, "faithful")
    ]
    assert report["summary"]["pass_rate"] == 1.0


def test_refusals(check: Dwsim, experiment: str, people: str, sql_dir: Path) -> None:
    files = str(sql_dir)
    both = check(files, "--experiment", experiment, "--warehouse", "redshift")
    neither = check(files)
    schema = check(files, "--experiment", experiment, "--schema", "other")
    empty = check(str(sql_dir / "marts" / "kpis.sql"), "--experiment", experiment)
    unknown = check(files, "--experiment", "no_such_experiment")
    sqlite = check(files, "--experiment", people)

    assert both.code == 2
    assert "give --warehouse (an emulator) or --experiment (through the API)" in both.err
    assert neither.code == 2
    assert schema.code == 2
    assert "--schema: not with --experiment" in schema.err
    assert empty.code == 2
    assert "no SQL statement in" in empty.err
    assert unknown.code == 3
    assert "experiment no_such_experiment not found" in unknown.err
    assert sqlite.code == 2
    assert "check-sql checks SQL against the Redshift and Snowflake emulators" in sqlite.err
