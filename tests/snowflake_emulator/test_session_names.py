"""The database and schema a session is in, as Snowflake sets them: PUBLIC when only a database
is named (at connect or by USE DATABASE), the database CREATE DATABASE made, quoted names
keeping their case, and fully qualified names working without a current database."""

import uuid

import pytest
from snowflake.connector.errors import DatabaseError


def _name(prefix: str = "T_") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def _rows(cur, sql: str) -> list[tuple]:
    return cur.execute(sql).fetchall()


def _drop(emulator, *databases: str) -> None:
    with emulator.connect() as conn:
        for database in databases:
            conn.cursor().execute(f"DROP DATABASE IF EXISTS {database}")


def test_a_session_named_with_only_a_database_is_in_its_public_schema(snowflake_emulator):
    database = _name().upper()
    try:
        with snowflake_emulator.connect(database=database) as conn:
            cur = conn.cursor()
            current = _rows(cur, "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()")
            cur.execute("CREATE TABLE orders (id INT)")
            cur.execute("INSERT INTO orders VALUES (1)")
            unqualified = _rows(cur, "SELECT id FROM orders")
            qualified = _rows(cur, f"SELECT id FROM {database}.PUBLIC.orders")
            connector_schema = conn.schema
            cur.execute(f"CREATE SCHEMA {database}.STAGING")
            cur.execute(f"DROP SCHEMA {database}.PUBLIC")
        with snowflake_emulator.connect(database=database) as without_public:
            none = _rows(without_public.cursor(), "SELECT CURRENT_SCHEMA()")
    finally:
        _drop(snowflake_emulator, database)

    assert current == [(database, "PUBLIC")]  # fakesnow: (database, NULL)
    assert connector_schema == "PUBLIC"
    assert unqualified == qualified == [(1,)]
    assert none == [(None,)]  # no PUBLIC schema: Snowflake leaves none current either


def test_use_database_makes_public_the_current_schema(snowflake_conn, snowflake_emulator):
    ((database,),) = _rows(snowflake_conn.cursor(), "SELECT CURRENT_DATABASE()")
    snowflake_conn.cursor().execute("CREATE TABLE regions (name VARCHAR)")
    snowflake_conn.cursor().execute("INSERT INTO regions VALUES ('eu')")
    with snowflake_emulator.connect() as conn:
        cur = conn.cursor()
        cur.execute(f"USE DATABASE {database.lower()}")
        used = _rows(cur, "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()")
        rows = _rows(cur, "SELECT name FROM regions")
        schema_after_use = conn.schema
    with snowflake_emulator.connect() as conn:
        cur = conn.cursor()
        cur.execute(f"USE {database}")  # the DATABASE keyword is optional
        bare = _rows(cur, "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()")

    assert used == bare == [(database, "PUBLIC")]
    assert rows == [("eu",)]
    assert schema_after_use == "PUBLIC"


def test_create_database_makes_it_and_its_public_schema_current(snowflake_conn, snowflake_emulator):
    """Snowflake's CREATE DATABASE usage notes: "Creating a database automatically sets it as the
    active/current database for the current session" (fakesnow left the session where it was)."""
    ((home,),) = _rows(snowflake_conn.cursor(), "SELECT CURRENT_DATABASE()")
    database = _name().upper()
    try:
        with snowflake_emulator.connect(database=home) as conn:
            cur = conn.cursor()
            cur.execute(f"CREATE DATABASE {database}")
            created = _rows(cur, "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()")
            connector = (conn.database, conn.schema)
            cur.execute("CREATE TABLE events (id INT)")  # unqualified: in the new database
            found = _rows(cur, f"SELECT count(*) FROM {database}.PUBLIC.events")
            cur.execute("CREATE SCHEMA staging")  # CREATE SCHEMA makes its schema current too
            in_schema = _rows(cur, "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()")
            cur.execute(f"USE DATABASE {home}")
            cur.execute(f"CREATE DATABASE IF NOT EXISTS {database}")  # there: nothing created
            stayed = _rows(cur, "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()")
    finally:
        _drop(snowflake_emulator, database)

    assert created == [(database, "PUBLIC")]
    assert connector == (database, "PUBLIC")  # the connector reads them from the answer
    assert found == [(0,)]
    assert in_schema == [(database, "STAGING")]
    assert stayed == [(home, "PUBLIC")]


def test_describe_of_a_fully_qualified_table_needs_no_current_database(
    snowflake_conn, snowflake_emulator
):
    ((database,),) = _rows(snowflake_conn.cursor(), "SELECT CURRENT_DATABASE()")
    snowflake_conn.cursor().execute("CREATE TABLE items (id INT NOT NULL, label VARCHAR(20))")
    table = f"{database}.PUBLIC.items"
    other = _name().upper()
    try:
        with snowflake_emulator.connect() as nowhere:
            described = _rows(nowhere.cursor(), f"DESCRIBE TABLE {table}")
            shown = _rows(nowhere.cursor(), f"SHOW COLUMNS IN TABLE {table}")
            view = _rows(nowhere.cursor(), f"DESCRIBE VIEW {database}.INFORMATION_SCHEMA.TABLES")
        with snowflake_emulator.connect(database=other, schema="PUBLIC") as elsewhere:
            from_other = _rows(elsewhere.cursor(), f"DESCRIBE TABLE {table}")
    finally:
        _drop(snowflake_emulator, other)

    assert [(r[0], r[1], r[3]) for r in described] == [
        ("ID", "NUMBER(38,0)", "N"),
        ("LABEL", "VARCHAR(20)", "Y"),
    ]
    assert [r[2] for r in shown] == ["ID", "LABEL"]
    assert "TABLE_NAME" in [r[0] for r in view]
    assert from_other == described  # fakesnow answered no rows from another database


def test_a_quoted_database_name_keeps_its_case(snowflake_emulator):
    lower = _name("t_")
    try:
        with snowflake_emulator.connect(database=f'"{lower}"') as conn:
            cur = conn.cursor()
            current = _rows(cur, "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()")
            cur.execute("CREATE TABLE notes (body VARCHAR)")
            cur.execute("INSERT INTO notes VALUES ('kept')")
            names = [r[1] for r in _rows(cur, "SHOW DATABASES")]
            cur.execute(f'CREATE SCHEMA "{lower}"."staging"')
        with pytest.raises(DatabaseError) as schema_clash:
            snowflake_emulator.connect(database=f'"{lower}"', schema="staging")  # STAGING
        with snowflake_emulator.connect() as other:
            read = _rows(other.cursor(), f'SELECT body FROM "{lower}".PUBLIC.notes')
        with pytest.raises(DatabaseError) as unquoted:
            snowflake_emulator.connect(database=lower)  # Snowflake: the upper-case name
    finally:
        _drop(snowflake_emulator, f'"{lower}"')

    assert current == [(lower, "PUBLIC")]  # fakesnow: the upper-case name
    assert lower in names
    assert lower.upper() not in names
    assert read == [("kept",)]
    message = str(unquoted.value)
    assert "emulator limit" in message
    assert f'"{lower}"' in message
    assert lower.upper() in message
    assert "emulator limit" in str(schema_clash.value)
