"""A dbt-redshift project (a view and a dist/sort-configured table) runs against the emulator."""

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest

from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.servers import bin_path

pytest.importorskip("dbt.adapters.redshift")

PROJECT = Path(__file__).parent / "dbt_project"


@pytest.fixture
def dbt_env(redshift_emulator: RedshiftEmulator, tmp_path: Path):
    suffix = uuid.uuid4().hex[:8]
    source_schema, target_schema = f"raw_{suffix}", f"analytics_{suffix}"
    conn = psycopg2.connect(redshift_emulator.dsn)
    with conn.cursor() as cur:
        cur.execute(f"CREATE SCHEMA {source_schema}")
        cur.execute(
            f"CREATE TABLE {source_schema}.orders (id int, customer varchar(20), "
            "amount decimal(10,2), ordered_at timestamp)"
        )
        cur.execute(
            f"INSERT INTO {source_schema}.orders VALUES "
            "(1, 'ann', 10.50, '2024-01-01'), (2, 'ann', NULL, '2024-01-02'), "
            "(3, 'bob', 4.00, '2024-01-03')"
        )
    conn.commit()
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    # dbt writes three-part names (db.schema.table), and PostgreSQL refuses other databases
    # in them: dbname must be the backend database's own name, not an alias such as "dev".
    (tmp_path / "profiles.yml").write_text(
        "dwsim_redshift:\n"
        "  target: emulator\n"
        "  outputs:\n"
        "    emulator:\n"
        "      type: redshift\n"
        f"      host: {redshift_emulator.host}\n"
        f"      port: {redshift_emulator.port}\n"
        f"      dbname: {redshift_emulator.database}\n"
        f"      schema: {target_schema}\n"
        f"      user: {redshift_emulator.user}\n"
        f"      password: {redshift_emulator.password}\n"
        "      sslmode: verify-ca\n"
        "      threads: 2\n"
    )
    env = {
        **os.environ,
        "SSL_CERT_FILE": str(redshift_emulator.ca_file),
        "DWSIM_DBT_SOURCE_SCHEMA": source_schema,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    yield env, tmp_path, project, target_schema, conn
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {source_schema} CASCADE")
        cur.execute(f"DROP SCHEMA IF EXISTS {target_schema} CASCADE")
    conn.commit()
    conn.close()


def _dbt(args: list[str], env: dict, tmp_path: Path, project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [bin_path("dbt"), *args, "--profiles-dir", str(tmp_path), "--project-dir", str(project)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_dbt_run_builds_a_view_and_a_table(dbt_env):
    env, tmp_path, project, schema, conn = dbt_env
    debug = _dbt(["debug"], env, tmp_path, project)
    assert debug.returncode == 0, debug.stdout[-3000:]
    for attempt in ("first", "second"):  # the second run replaces what the first built
        run = _dbt(["run"], env, tmp_path, project)
        assert run.returncode == 0, f"{attempt} run:\n{run.stdout[-4000:]}"
    docs = _dbt(["docs", "generate"], env, tmp_path, project)
    assert docs.returncode == 0, docs.stdout[-4000:]
    with conn.cursor() as cur:
        cur.execute(f"SELECT customer, orders, total FROM {schema}.customer_totals ORDER BY 1")
        assert cur.fetchall() == [("ann", 2, 10.5), ("bob", 1, 4.0)]
        cur.execute(f"SELECT id, amount, due_at::date::text FROM {schema}.orders_view WHERE id = 2")
        assert cur.fetchall() == [(2, 0, "2024-01-09")]
        cur.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_schema = %s ORDER BY 1",
            (schema,),
        )
        assert cur.fetchall() == [("customer_totals", "BASE TABLE"), ("orders_view", "VIEW")]
