"""``dwsim check-sql`` as a user runs it (the installed command, as a subprocess) against the
session's Redshift and Snowflake emulators, over a schema holding a small ``orders`` table.

``rs_orders`` / ``sf_orders`` give the schema and read the table back through a connection of
their own, so a test can prove that a check left it as it was. The API's tests use the gateway
in-process over the real query service and its ``loaded`` experiments.
"""

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.servers import bin_path
from tests.fixtures.snowflake import SnowflakeEmulator
from tests.gateway.conftest import make_client, settings  # noqa: F401 - the gateway in-process
from tests.query_service.conftest import loaded, metadata, query_service  # noqa: F401

ORDERS = [(1, "eu", "10.50"), (2, "us", "20.25"), (3, "apac", "30.00")]


@dataclass(frozen=True)
class Orders:
    schema: str  # as given to --schema (the experiment's name)
    read: Any  # () -> the table's rows, sorted
    list_tables: Any  # () -> the schema's table names, sorted, lower case

    def rows(self) -> list[tuple]:
        return self.read()

    def tables(self) -> list[str]:
        return self.list_tables()


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict:
        return json.loads(self.stdout)

    def by_line(self) -> dict[tuple[str, int], dict]:
        """Each statement's result by (file name, line)."""
        return {(Path(s["file"]).name, s["line"]): s for s in self.report["statements"]}


def check_sql(*args: str | Path, env: dict[str, str], stdin: str | None = None) -> Run:
    """``dwsim check-sql ARGS`` with ``env`` (DWSIM_* settings of the emulators)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DWSIM_")}
    done = subprocess.run(
        [bin_path("dwsim"), "check-sql", *map(str, args)],
        env={**base, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def rs_env(redshift_emulator: RedshiftEmulator) -> dict[str, str]:
    return {
        "DWSIM_REDSHIFT_HOST": redshift_emulator.host,
        "DWSIM_REDSHIFT_PORT": str(redshift_emulator.port),
        "DWSIM_REDSHIFT_USER": redshift_emulator.user,
        "DWSIM_REDSHIFT_PASSWORD": redshift_emulator.password,
    }


@pytest.fixture(scope="module")
def sf_env(snowflake_emulator: SnowflakeEmulator) -> dict[str, str]:
    return {
        "DWSIM_SNOWFLAKE_HOST": snowflake_emulator.host,
        "DWSIM_SNOWFLAKE_PORT": str(snowflake_emulator.port),
    }


@pytest.fixture(scope="module")
def rs_orders(redshift_emulator: RedshiftEmulator) -> Iterator[Orders]:
    import psycopg2

    schema = f"chk_{uuid.uuid4().hex[:8]}"
    conn = psycopg2.connect(redshift_emulator.dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"CREATE SCHEMA {schema}")
        cur.execute(
            f"CREATE TABLE {schema}.orders (order_id INTEGER, region VARCHAR(10), "
            "amount DECIMAL(12,2))"
        )
        for row in ORDERS:
            cur.execute(f"INSERT INTO {schema}.orders VALUES (%s, %s, %s)", row)

    def read() -> list[tuple]:
        with conn.cursor() as cur:
            cur.execute(f"SELECT order_id, region, amount::text FROM {schema}.orders ORDER BY 1")
            return cur.fetchall()

    def tables() -> list[str]:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", (schema,)
            )
            return [r[0] for r in cur.fetchall()]

    try:
        yield Orders(schema, read, tables)
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.close()


@pytest.fixture(scope="module")
def sf_orders(snowflake_emulator: SnowflakeEmulator) -> Iterator[Orders]:
    schema = f"CHK_{uuid.uuid4().hex[:8].upper()}"
    conn = snowflake_emulator.connect()
    cur = conn.cursor()
    cur.execute("CREATE DATABASE IF NOT EXISTS DWSIM")
    cur.execute(f"CREATE SCHEMA DWSIM.{schema}")
    cur.execute(
        f"CREATE TABLE DWSIM.{schema}.ORDERS (ORDER_ID INT, REGION VARCHAR(10), "
        "AMOUNT NUMBER(12,2))"
    )
    values = ", ".join(f"({i}, '{r}', {a})" for i, r, a in ORDERS)
    cur.execute(f"INSERT INTO DWSIM.{schema}.ORDERS VALUES {values}")

    def read() -> list[tuple]:
        cur.execute(
            f"SELECT ORDER_ID, REGION, TO_VARCHAR(AMOUNT) FROM DWSIM.{schema}.ORDERS ORDER BY 1"
        )
        return [tuple(r) for r in cur.fetchall()]

    def tables() -> list[str]:
        cur.execute(f"SHOW TABLES IN SCHEMA DWSIM.{schema}")
        names = [d[0] for d in cur.description]
        return sorted(r[names.index("name")].lower() for r in cur.fetchall())

    try:
        yield Orders(schema, read, tables)
    finally:
        cur.execute(f"DROP SCHEMA IF EXISTS DWSIM.{schema} CASCADE")
        conn.close()
