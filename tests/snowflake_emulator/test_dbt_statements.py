"""Statements dbt-snowflake sends, as it writes them: temporary tables named db.schema.t
(incremental runs, snapshots, unit tests), MERGE inside BEGIN/COMMIT with bare source columns,
and the catalog query of `docs generate` (views included)."""


def _rows(cur, sql: str) -> list[tuple]:
    cur.execute(sql)
    return cur.fetchall()


def test_temporary_table_named_in_a_schema_is_found_by_that_name(snowflake_conn):
    cur = snowflake_conn.cursor()
    db = snowflake_conn.database
    cur.execute(f"CREATE TABLE {db}.PUBLIC.events (id INTEGER, kind VARCHAR)")
    cur.execute(f"INSERT INTO {db}.PUBLIC.events VALUES (1, 'permanent')")
    cur.execute(
        f"CREATE OR REPLACE TEMPORARY TABLE {db}.PUBLIC.events__dbt_tmp AS "
        "(SELECT 2 AS id, 'new' AS kind)"
    )
    assert _rows(cur, f"SELECT id, kind FROM {db}.PUBLIC.events__dbt_tmp") == [(2, "new")]
    assert _rows(cur, "SELECT count(*) FROM public.events__dbt_tmp") == [(1,)]
    assert [r[0] for r in _rows(cur, f"DESCRIBE TABLE {db}.PUBLIC.events__dbt_tmp")] == [
        "ID",
        "KIND",
    ]
    cur.execute(f"INSERT INTO {db}.PUBLIC.events SELECT * FROM {db}.PUBLIC.events__dbt_tmp")
    cur.execute(f"DROP TABLE IF EXISTS {db}.PUBLIC.events__dbt_tmp")
    assert _rows(cur, f"SELECT id, kind FROM {db}.PUBLIC.events ORDER BY id") == [
        (1, "permanent"),
        (2, "new"),
    ]


def test_a_temporary_table_is_the_sessions_own(snowflake_conn, snowflake_emulator):
    cur = snowflake_conn.cursor()
    db = snowflake_conn.database
    cur.execute(f"CREATE TEMPORARY TABLE {db}.PUBLIC.scratch (id INTEGER)")
    other = snowflake_emulator.connect(database=db, schema="PUBLIC")
    try:
        tables = _rows(other.cursor(), "SHOW TABLES LIKE 'SCRATCH'")
    finally:
        other.close()
    assert tables == []


def test_merge_in_a_transaction_reads_bare_insert_columns_from_the_source(snowflake_conn):
    cur = snowflake_conn.cursor()
    db = snowflake_conn.database
    cur.execute("CREATE TABLE target (id INTEGER, amount NUMBER(16,2), name VARCHAR)")
    cur.execute("INSERT INTO target VALUES (1, 1.50, 'a'), (2, 2.50, 'b')")
    cur.execute(
        f"CREATE TEMPORARY TABLE {db}.PUBLIC.target__dbt_tmp AS "
        "(SELECT 2 AS id, 9.50::NUMBER(16,2) AS amount, 'z' AS name "
        "UNION ALL SELECT 3, 1.00, 'c')"
    )
    cur.execute("BEGIN")
    cur.execute(
        f"MERGE INTO {db}.PUBLIC.target AS DBT_INTERNAL_DEST "
        f"USING {db}.PUBLIC.target__dbt_tmp AS DBT_INTERNAL_SOURCE "
        "ON (DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id) "
        'WHEN MATCHED THEN UPDATE SET "AMOUNT" = DBT_INTERNAL_SOURCE."AMOUNT", '
        '"NAME" = DBT_INTERNAL_SOURCE."NAME" '
        'WHEN NOT MATCHED THEN INSERT ("ID", "AMOUNT", "NAME") VALUES ("ID", "AMOUNT", "NAME")'
    )
    cur.execute("COMMIT")
    assert [(r[0], float(r[1]), r[2]) for r in _rows(cur, "SELECT * FROM target ORDER BY id")] == [
        (1, 1.5, "a"),
        (2, 9.5, "z"),
        (3, 1.0, "c"),
    ]


def test_information_schema_tables_lists_views(snowflake_conn):
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE base (id INTEGER)")
    cur.execute("CREATE VIEW base_view AS SELECT id FROM base")
    cur.execute("CREATE TRANSIENT TABLE scratch (id INTEGER)")
    assert _rows(
        cur,
        "SELECT table_name, table_type, comment FROM information_schema.tables "
        "WHERE table_schema = 'PUBLIC' ORDER BY table_name",
    ) == [
        ("BASE", "BASE TABLE", None),
        ("BASE_VIEW", "VIEW", None),
        ("SCRATCH", "BASE TABLE", None),
    ]
