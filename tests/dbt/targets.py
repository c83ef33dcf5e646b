"""Where the dbt project builds on each emulator, and how a test reads what it built.

A target is a dbt profile pointing at one emulator (a fresh schema or database of its own) plus a
plain client connection to check the results; ``close`` drops everything the run created.
"""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import yaml

PROFILE = "dwsim_shop"  # the dbt_project.yml's profile


@dataclass
class Target:
    adapter: str  # dbt's target.type
    output: dict[str, Any]  # the profile's output (one target)
    env: dict[str, str]  # environment the dbt client needs
    schema: str  # where models, seeds and the snapshot are built
    query: Callable[[str], list[tuple]]

    def profiles_yml(self) -> str:
        return yaml.safe_dump(
            {PROFILE: {"target": "emulator", "outputs": {"emulator": self.output}}}
        )

    def relation(self, name: str) -> str:
        return f"{self.schema}.{name}"


@contextmanager
def redshift_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    import psycopg2

    emulator = request.getfixturevalue("redshift_emulator")
    schema = f"dbt_{uuid.uuid4().hex[:8]}"
    conn = psycopg2.connect(emulator.dsn)
    conn.autocommit = True

    def query(sql: str) -> list[tuple]:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()

    output = {
        "type": "redshift",
        "host": emulator.host,
        "port": emulator.port,
        # Redshift's default database, as a cluster's profile names it (the emulator serves
        # its one database under any name)
        "dbname": "dev",
        "schema": schema,
        "user": emulator.user,
        "password": emulator.password,
        "sslmode": "verify-ca",  # over the emulator's TLS, as a cluster is reached
        "threads": 4,
    }
    try:
        yield Target("redshift", output, {"SSL_CERT_FILE": str(emulator.ca_file)}, schema, query)
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.close()


@contextmanager
def snowflake_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    emulator = request.getfixturevalue("snowflake_emulator")
    database = f"DBT_{uuid.uuid4().hex[:8].upper()}"
    conn = emulator.connect()
    conn.cursor().execute(f"CREATE DATABASE {database}")  # dbt makes schemas, not databases
    schema = "ANALYTICS"

    def query(sql: str) -> list[tuple]:
        return conn.cursor().execute(sql).fetchall()

    kwargs = emulator.connect_kwargs()
    output = {
        "type": "snowflake",
        "account": kwargs["account"],
        "host": kwargs["host"],
        "port": kwargs["port"],
        "protocol": kwargs["protocol"],
        "user": kwargs["user"],
        "password": kwargs["password"],
        "role": "SYSADMIN",
        "warehouse": "COMPUTE_WH",
        "database": database,
        "schema": schema,
        "threads": 4,
    }
    try:
        yield Target("snowflake", output, {}, f"{database}.{schema}", query)
    finally:
        try:
            conn.cursor().execute(f"DROP DATABASE IF EXISTS {database}")
        finally:
            conn.close()


TARGETS = {"redshift": redshift_target, "snowflake": snowflake_target}
