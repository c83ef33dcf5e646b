"""``dwsim load RUN_DIR``: a ``dwsim generate`` output into each warehouse, as a person runs it."""

import pytest

from dwsim_cli.main import main
from dwsim_shared.contracts.enums import Dialect, Warehouse
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.ddl import import_ddl
from tests.data_loader.checks import counts, experiment_in, foreign_key_checks, manifest_rows
from tests.data_loader.conftest import ROWS, SHOP_DDL


def load(run_dir, warehouse, name, *extra) -> int:
    return main(["load", str(run_dir), "--warehouse", str(warehouse), "--experiment", name,
                 *map(str, extra)])  # fmt: skip


def test_loads_every_table_with_the_manifests_rows_and_keys_that_hold(
    loader_env, shop_run, experiment_name, capsys
):
    assert load(shop_run, loader_env.warehouse, experiment_name) == 0
    out = capsys.readouterr().out
    for table, rows in ROWS.items():
        assert f"  {table}" in out
        assert f"{rows:,} rows" in out
    assert f"loaded {sum(ROWS.values()):,} rows into 4 tables" in out

    service = loader_env.service()
    experiment = experiment_in(shop_run, experiment_name, loader_env.warehouse)
    try:
        assert manifest_rows(shop_run) == ROWS
        assert counts(service, experiment) == ROWS
        checks = foreign_key_checks(service, experiment)
        assert set(checks) == {"orders(customer_id)", "order_lines(order_id)",
                               "employees(manager_id)"}  # fmt: skip
        for key, (with_key, orphans) in checks.items():
            assert with_key > 0, key
            assert orphans == 0, key

        # the same run again, into the tables as they are, then creating them anew
        assert load(shop_run, loader_env.warehouse, experiment_name, "--no-create") == 0
        assert counts(service, experiment) == ROWS
        assert load(shop_run, loader_env.warehouse, experiment_name) == 0
        assert counts(service, experiment) == ROWS
    finally:
        service.drop_warehouse(experiment)


def test_stages_the_run_in_s3_with_manifests_for_this_bucket(sqlite_env, shop_run, experiment_name):
    assert load(shop_run, Warehouse.SQLITE, experiment_name, "--run-id", "again") == 0
    layout = RunLayout(experiment_name, "again")
    client = sqlite_env.s3.client()
    listed = client.list_objects_v2(Bucket=sqlite_env.bucket, Prefix=layout.prefix)
    keys = {o["Key"].removeprefix(layout.prefix) for o in listed["Contents"]}
    assert "manifest.json" in keys
    assert {f"manifests/{t}.manifest" for t in ROWS} <= keys
    assert sum(k.endswith(".parquet") for k in keys) == sum(-(-n // 40) for n in ROWS.values())
    body = client.get_object(Bucket=sqlite_env.bucket, Key=layout.redshift_manifest_key("orders"))
    assert (
        f"s3://{sqlite_env.bucket}/{layout.prefix}orders/part-00000.parquet"
        in body["Body"].read().decode()
    )


def test_redshift_ddl_becomes_a_snowflake_experiment(
    snowflake_env, run_dir, experiment_name, capsys
):
    """No experiment.json: the Redshift DDL itself, loaded into Snowflake as Snowflake DDL."""
    (run_dir / "experiment.json").unlink()
    code = load(run_dir, Warehouse.SNOWFLAKE, experiment_name,
                "--schema", SHOP_DDL, "--dialect", "redshift")  # fmt: skip
    assert code == 0, capsys.readouterr().err
    service = snowflake_env.service()
    experiment = import_ddl(SHOP_DDL.read_text(), dialect=Dialect.REDSHIFT, name=experiment_name,
                            warehouse=Warehouse.SNOWFLAKE)  # fmt: skip
    try:
        assert counts(service, experiment) == ROWS
        with service.adapter(experiment) as adapter:
            result = adapter.query(
                experiment,
                "SELECT column_name, data_type FROM information_schema.columns "
                f"WHERE table_schema = '{experiment_name.upper()}' AND table_name = 'ORDERS' "
                "ORDER BY ordinal_position",
            )
        assert dict(result.rows) == {"ORDER_ID": "NUMBER", "CUSTOMER_ID": "NUMBER",
                                     "ORDERED_ON": "DATE", "AMOUNT": "NUMBER"}  # fmt: skip
        for key, (with_key, orphans) in foreign_key_checks(service, experiment).items():
            assert (with_key > 0, orphans) == (True, 0), key
    finally:
        service.drop_warehouse(experiment)


@pytest.mark.parametrize("missing", ["manifest.json", "experiment.json"])
def test_an_incomplete_folder_is_refused_before_anything_is_done(
    sqlite_env, run_dir, experiment_name, missing, capsys
):
    (run_dir / missing).unlink()
    assert load(run_dir, Warehouse.SQLITE, experiment_name) == 2
    err = capsys.readouterr().err
    if missing == "manifest.json":
        assert f"RUN_DIR {run_dir} is not a complete run (no manifest.json)" in err
    else:
        assert "has no experiment.json" in err
        assert "--schema FILE" in err
    listed = sqlite_env.s3.client().list_objects_v2(Bucket=sqlite_env.bucket)
    assert listed.get("KeyCount", 0) == 0


def test_a_missing_part_is_named_with_its_table(sqlite_env, run_dir, experiment_name, capsys):
    (run_dir / "orders" / "part-00001.parquet").unlink()
    assert load(run_dir, Warehouse.SQLITE, experiment_name) == 2
    err = capsys.readouterr().err
    assert "table orders:" in err
    assert "orders/part-00001.parquet is missing" in err


def test_a_corrupt_part_fails_its_table_and_leaves_every_table_as_it_was(
    loader_env, run_dir, experiment_name, capsys
):
    assert load(run_dir, loader_env.warehouse, experiment_name) == 0
    service = loader_env.service()
    experiment = experiment_in(run_dir, experiment_name, loader_env.warehouse)
    try:
        service.reset(experiment)  # so a table left as it was is recognisably empty
        part = run_dir / "order_lines" / "part-00002.parquet"
        part.write_bytes(b"\0" * part.stat().st_size)  # same size: only the warehouse can tell
        capsys.readouterr()
        assert load(run_dir, loader_env.warehouse, experiment_name, "--no-create") == 2
        err = capsys.readouterr().err
        assert f"{loader_env.warehouse}, table order_lines:" in err
        assert "part-00002.parquet" in err, err
        # the load is one transaction: the parents loaded before it are rolled back too
        assert counts(service, experiment) == dict.fromkeys(ROWS, 0)
    finally:
        service.drop_warehouse(experiment)


def test_an_unreachable_warehouse_is_named_by_its_address(
    sqlite_env, shop_run, experiment_name, monkeypatch, capsys
):
    from tests.fixtures.servers import free_port

    port = free_port()
    monkeypatch.setenv("DWSIM_REDSHIFT_PORT", str(port))
    assert load(shop_run, Warehouse.REDSHIFT, experiment_name) == 2
    err = capsys.readouterr().err
    assert f"cannot connect to redshift://dwsim@127.0.0.1:{port}/dev" in err


def test_an_unreachable_s3_is_named_by_its_address(
    sqlite_env, shop_run, experiment_name, monkeypatch, capsys
):
    from tests.fixtures.servers import free_port

    endpoint = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("DWSIM_S3_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    assert load(shop_run, Warehouse.SQLITE, experiment_name) == 2
    assert f"cannot reach S3 at {endpoint}" in capsys.readouterr().err
