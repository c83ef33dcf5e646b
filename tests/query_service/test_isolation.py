"""Isolation between experiments, through the query service's HTTP API against real servers:
a query of experiment A cannot read, write, drop or alter experiment B's tables however it
names them, nor reach the metadata database; A's own tables, the system views and check-sql
keep working. Redshift enforces it with a database user per experiment, Snowflake with the
query service's parser-based check, SQLite with a file per experiment and its authorizer."""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg2
import pytest

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.metadata_client import MetadataClient
from dwsim_shared.warehouses import get_adapter
from dwsim_shared.warehouses.connections import RedshiftConnection
from dwsim_shared.warehouses.redshift_users import experiment_user
from tests.adapters.staging import experiment, stage_run
from tests.fixtures.s3 import S3Server
from tests.query_service.conftest import ROWS, WAREHOUSES, QueryService

ORDERS = ROWS["orders"]


@dataclass(frozen=True)
class Pair:
    a: Experiment
    b: Experiment
    b_file: str  # SQLite: B's file

    @property
    def warehouse(self) -> Warehouse:
        return self.a.warehouse


@pytest.fixture(scope="module", params=WAREHOUSES, ids=str)
def pair(
    request: pytest.FixtureRequest,
    query_service: QueryService,
    metadata: MetadataClient,
    s3_server: S3Server,
) -> Iterator[Pair]:
    """Two experiments on one warehouse, both loaded with the same rows."""
    warehouse: Warehouse = request.param
    bucket = f"dwsim-iso-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=bucket)
    made = []
    with get_adapter(warehouse, query_service.settings()) as adapter:
        try:
            for tag in ("a", "b"):
                exp = experiment(f"iso{tag}_{uuid.uuid4().hex[:8]}", warehouse)
                metadata.create_experiment(exp)
                made.append(exp)
                run = stage_run(s3_server.client(), bucket, exp, ROWS, chunk_rows=16)
                adapter.materialize(exp)
                adapter.load_run(exp, run.manifest, run.layout, run.bucket)
            b_file = str(adapter.path(made[1])) if warehouse == Warehouse.SQLITE else ""
            yield Pair(made[0], made[1], b_file)
        finally:
            for exp in made:
                adapter.drop(exp)
                metadata.delete_experiment(exp.name)


def _query(service: QueryService, name: str, sql: str):
    with service.client() as client:
        return client.post(f"/experiments/{name}/query", json={"sql": sql})


def _count(service: QueryService, name: str, table: str = "orders") -> int:
    response = _query(service, name, f"SELECT COUNT(*) FROM {table}")
    assert response.status_code == 200, response.text
    return int(response.json()["rows"][0][0])


REFUSAL = {
    Warehouse.REDSHIFT: r"permission denied|must be owner|does not exist|cross-database",
    Warehouse.SNOWFLAKE: r"may only use its own database/schema|is not allowed",
    Warehouse.SQLITE: r"not authorized|no such table|ATTACH",
}

ATTEMPTS = {
    Warehouse.REDSHIFT: [
        "SELECT * FROM {b}.orders",
        'SELECT * FROM "{b}"."orders"',
        "SELECT COUNT(*) FROM orders o JOIN {b}.customers c ON c.customer_id = o.customer_id",
        "SELECT * FROM dev.{b}.orders",
        "INSERT INTO {b}.orders SELECT * FROM orders",
        "UPDATE {b}.orders SET amount = 0",
        "DELETE FROM {b}.orders",
        "TRUNCATE {b}.orders",
        "DROP TABLE {b}.orders",
        "ALTER TABLE {b}.orders ADD COLUMN planted INTEGER",
        "CREATE TABLE {b}.planted (x INTEGER)",
        "DROP SCHEMA {b} CASCADE",
        "SET search_path TO {b}; SELECT * FROM orders",
        "RESET ROLE; SELECT * FROM {b}.orders",
        "SET ROLE dwsim_user; SELECT * FROM {b}.orders",
        "SET SESSION AUTHORIZATION postgres; SELECT * FROM {b}.orders",
        "SELECT set_config('role', 'dwsim_user', false), (SELECT COUNT(*) FROM {b}.orders)",
        "SELECT * FROM dwsim_metadata.public.experiments",
        "SELECT rolpassword FROM pg_catalog.pg_authid",
    ],
    Warehouse.SNOWFLAKE: [
        "SELECT * FROM {b}.orders",
        'SELECT * FROM "{B}".ORDERS',
        "SELECT * FROM DWSIM.{b}.orders",
        "select * from orders o join {b}.customers c on c.customer_id = o.customer_id",
        "SELECT * FROM orders WHERE customer_id IN (SELECT customer_id FROM {b}.orders)",
        "WITH x AS (SELECT * FROM {b}.orders) SELECT * FROM x",
        "SELECT * FROM IDENTIFIER('{b}.orders')",
        "INSERT INTO {b}.orders SELECT * FROM orders",
        "UPDATE {b}.orders SET amount = 0",
        "DELETE FROM {b}.orders",
        "MERGE INTO {b}.orders t USING orders s ON t.order_id = s.order_id "
        "WHEN MATCHED THEN DELETE",
        "TRUNCATE TABLE {b}.orders",
        "DROP TABLE {b}.orders",
        "ALTER TABLE {b}.orders ADD COLUMN planted INT",
        "CREATE TABLE {b}.planted (x INT)",
        "COPY INTO {b}.orders FROM 's3://bucket/key'",
        "DROP SCHEMA {b}",
        "CREATE SCHEMA planted",
        "USE SCHEMA {b}",
        "USE SCHEMA DWSIM.{b}",
        "USE DATABASE other_db",
        "USE other_db",
        "CREATE DATABASE planted",
        "DROP DATABASE DWSIM",
        "SHOW TABLES IN SCHEMA {b}",
        "SELECT * FROM other_db.information_schema.tables",
        "SELECT * FROM system.main.duckdb_tables()",
        "SELECT * FROM duckdb_tables()",
        "EXECUTE IMMEDIATE 'SELECT * FROM {b}.orders'",
        "ATTACH 'metadata.db' AS m",
        "SELECT * FROM sqlite_scan('metadata.db', 'experiments')",
    ],
    Warehouse.SQLITE: [
        "ATTACH DATABASE '{b_file}' AS other",
        "ATTACH '{b_file}' AS other; SELECT * FROM other.orders",
        "SELECT * FROM other.orders",
        "ATTACH DATABASE 'metadata.db' AS m",
        "ATTACH 'file:{b_file}?mode=ro' AS other",
    ],
}

OWN = {
    Warehouse.REDSHIFT: [
        "SELECT COUNT(*) FROM {a}.orders",
        "SET search_path TO {a}; SELECT COUNT(*) FROM orders",
        "RESET ROLE; SELECT COUNT(*) FROM orders",
        "SELECT COUNT(*) FROM pg_catalog.pg_class",
        "SELECT COUNT(*) FROM pg_namespace",
        "SELECT COUNT(*) FROM svv_table_info WHERE \"schema\" = '{a}'",
        "SELECT COUNT(*) FROM svv_columns WHERE table_schema = '{a}'",
        "SELECT COUNT(*) FROM stl_query",
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{a}'",
        "SELECT current_user",
    ],
    Warehouse.SNOWFLAKE: [
        "SELECT COUNT(*) FROM {a}.orders",
        "SELECT COUNT(*) FROM DWSIM.{a}.orders",
        'SELECT COUNT(*) FROM "{A}".ORDERS',
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{A}'",
        "USE SCHEMA {a}",
        "SHOW TABLES",
    ],
    Warehouse.SQLITE: [
        "SELECT COUNT(*) FROM main.orders",
        "SELECT COUNT(*) FROM sqlite_master",
    ],
}


def _fill(sql: str, pair: Pair) -> str:
    return sql.format(
        a=pair.a.name, A=pair.a.name.upper(), b=pair.b.name, B=pair.b.name.upper(),
        b_file=pair.b_file,
    )  # fmt: skip


def test_a_query_cannot_reach_another_experiments_tables(query_service, pair):
    refused = []
    for template in ATTEMPTS[pair.warehouse]:
        sql = _fill(template, pair)
        response = _query(query_service, pair.a.name, sql)
        if response.status_code != 400 or not re.search(
            REFUSAL[pair.warehouse], response.json()["detail"], re.IGNORECASE
        ):
            refused.append((sql, response.status_code, response.text[:300]))
    assert refused == [], "statements of A that reached B (or failed otherwise)"
    # B is as it was: its tables and rows are there, and it still queries them itself
    assert _count(query_service, pair.b.name) == ORDERS
    assert _count(query_service, pair.b.name, "customers") == ROWS["customers"]


def test_a_query_still_reaches_its_own_tables_and_the_system_views(query_service, pair):
    failed = []
    for template in OWN[pair.warehouse]:
        sql = _fill(template, pair)
        response = _query(query_service, pair.a.name, sql)
        if response.status_code != 200:
            failed.append((sql, response.status_code, response.text[:300]))
    assert failed == []
    assert _count(query_service, pair.a.name) == ORDERS


def test_a_query_can_make_and_drop_tables_of_its_own(query_service, pair):
    for sql in (
        "CREATE TABLE mine (x INTEGER)",
        "INSERT INTO mine VALUES (1), (2)",
    ):
        response = _query(query_service, pair.a.name, sql)
        assert response.status_code == 200, (sql, response.text)
    assert _count(query_service, pair.a.name, "mine") == 2
    assert _query(query_service, pair.a.name, "DROP TABLE mine").status_code == 200
    # B has no such table: A's table went to A's namespace
    assert _query(query_service, pair.b.name, "SELECT * FROM mine").status_code == 400


def test_redshift_queries_run_as_the_experiments_own_user(query_service, pair):
    if pair.warehouse != Warehouse.REDSHIFT:
        pytest.skip("Redshift only: a database user per experiment")
    a_user = _query(query_service, pair.a.name, "SELECT current_user").json()["rows"][0][0]
    b_user = _query(query_service, pair.b.name, "SELECT current_user").json()["rows"][0][0]
    assert a_user != b_user
    assert pair.a.name in a_user
    assert pair.b.name in b_user
    response = _query(query_service, pair.a.name, f"SELECT * FROM {pair.b.name}.orders")
    assert f"permission denied for schema {pair.b.name}" in response.json()["detail"]


def test_check_sql_runs_as_the_experiment(query_service, pair):
    if pair.warehouse == Warehouse.SQLITE:
        pytest.skip("check-sql covers the Redshift and Snowflake emulators")
    sql = f"SELECT COUNT(*) FROM orders;\nSELECT * FROM {pair.b.name}.orders;\n"
    with query_service.client() as client:
        response = client.post(f"/experiments/{pair.a.name}/check-sql", json={"sql": sql})
    assert response.status_code == 200, response.text
    own, other = response.json()["statements"]
    assert own["status"] in ("faithful", "rewritten"), own
    assert other["status"] in ("error", "unsupported"), other
    assert re.search(REFUSAL[pair.warehouse], other["reason"], re.IGNORECASE), other


def test_redshift_an_experiment_without_its_user_gets_one_when_queried(
    query_service, pair, redshift_emulator
):
    """Experiments made before experiment users existed: the first query makes the user."""
    if pair.warehouse != Warehouse.REDSHIFT:
        pytest.skip("Redshift only: a database user per experiment")
    user = experiment_user(pair.a.name, RedshiftConnection(password=redshift_emulator.password))
    admin = psycopg2.connect(redshift_emulator.dsn)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {pair.a.name} FROM {user.name}")
            cur.execute(f"REVOKE ALL ON SCHEMA {pair.a.name} FROM {user.name}")
            cur.execute(f"DROP USER {user.name}")
            cur.execute("SELECT COUNT(*) FROM pg_user WHERE usename = %s", (user.name,))
            assert cur.fetchone()[0] == 0
        assert _count(query_service, pair.a.name) == ORDERS
        response = _query(query_service, pair.a.name, "SELECT current_user")
        assert response.json()["rows"] == [[user.name]]
        response = _query(query_service, pair.a.name, f"SELECT * FROM {pair.b.name}.orders")
        assert f"permission denied for schema {pair.b.name}" in response.json()["detail"]
    finally:
        admin.close()


def test_redshift_system_views_show_an_experiment_only_its_own(
    query_service, pair, redshift_emulator
):
    """stl_query, svv_table_info and the like: A sees its own queries and tables, not B's
    (Redshift shows a regular user its own rows); the emulator's admin sees both."""
    if pair.warehouse != Warehouse.REDSHIFT:
        pytest.skip("Redshift only: a database user per experiment")
    marker = f"mark_{uuid.uuid4().hex[:8]}"
    assert _query(query_service, pair.b.name, f"SELECT 1 AS {marker}").status_code == 200
    like = f"'%{marker[:5]}' || '{marker[5:]}%'"  # matches B's query, not this one's own text
    seen = {
        "B's queries": f"SELECT COUNT(*) FROM sys_query_history WHERE query_text LIKE {like}",
        "B's tables": f"SELECT COUNT(*) FROM svv_table_info WHERE \"schema\" = '{pair.b.name}'",
        "B's tables (svv_all_tables)": (
            f"SELECT COUNT(*) FROM svv_all_tables WHERE schema_name = '{pair.b.name}'"
        ),
        "B's keys": (
            "SELECT COUNT(*) FROM information_schema.table_constraints "
            f"WHERE table_schema = '{pair.b.name}'"
        ),
        "B's sessions": (
            f"SELECT COUNT(*) FROM stv_sessions WHERE user_name LIKE '%{pair.b.name}%'"
        ),
    }
    for what, sql in seen.items():
        response = _query(query_service, pair.a.name, sql)
        assert response.status_code == 200, (what, response.text)
        assert response.json()["rows"] == [[0]], what
    own = f"SELECT COUNT(*) FROM svv_table_info WHERE \"schema\" = '{pair.a.name}'"
    assert _query(query_service, pair.a.name, own).json()["rows"] != [[0]]
    in_b = _query(query_service, pair.b.name, seen["B's queries"]).json()["rows"]
    assert in_b != [[0]]
    admin = psycopg2.connect(redshift_emulator.dsn)
    try:
        with admin.cursor() as cur:
            for what in ("B's queries", "B's tables"):
                cur.execute(seen[what])
                assert cur.fetchone()[0] > 0, what
    finally:
        admin.close()
