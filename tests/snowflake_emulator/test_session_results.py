"""The session's own state: LAST_QUERY_ID(), RESULT_SCAN over an earlier result, and
CURRENT_DATABASE() / CURRENT_SCHEMA() as the client named them."""

import uuid


def _rows(cur, sql: str) -> list[tuple]:
    return cur.execute(sql).fetchall()


def test_result_scan_of_the_last_query_filters_and_projects_its_rows(snowflake_conn):
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE orders (id INT, region VARCHAR)")
    cur.execute("CREATE TABLE empty_one (id INT)")
    cur.execute("INSERT INTO orders VALUES (1, 'eu'), (2, 'us')")
    cur.execute("SHOW TABLES")
    shown = cur.fetchall()

    picked = _rows(
        cur,
        'SELECT "name", "rows" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) '
        'WHERE "rows" > 0 ORDER BY "name"',
    )
    whole = _rows(cur, "SELECT * FROM TABLE(RESULT_SCAN(LAST_QUERY_ID(-2)))")

    assert picked == [("ORDERS", 2)]  # fakesnow gave every row and column of SHOW TABLES
    assert whole == shown


def test_last_query_id_counts_the_sessions_statements(snowflake_emulator):
    database = f"T_{uuid.uuid4().hex[:10].upper()}"
    conn = snowflake_emulator.connect(database=database, schema="PUBLIC")
    try:
        cur = conn.cursor()
        first = cur.execute("SELECT 1").sfqid
        second = cur.execute("SELECT 2").sfqid
        ids = _rows(cur, "SELECT LAST_QUERY_ID(), LAST_QUERY_ID(-2), LAST_QUERY_ID(1)")
        scanned = cur.execute(f"SELECT * FROM TABLE(RESULT_SCAN('{second}'))").fetchall()
        scan = cur.sfqid
        latest = _rows(cur, "SELECT LAST_QUERY_ID(), LAST_QUERY_ID(1000)")
    finally:
        conn.cursor().execute(f"DROP DATABASE IF EXISTS {database}")
        conn.close()

    assert ids == [(second, first, first)]
    assert scanned == [(2,)]
    assert scan not in (first, second)
    assert latest == [(scan, "")]  # the scan has an id of its own; none at 1000


def test_current_database_is_the_clients_name_or_null(snowflake_conn, snowflake_emulator):
    ((database,),) = _rows(snowflake_conn.cursor(), "SELECT CURRENT_DATABASE()")
    lower = snowflake_emulator.connect(database=database.lower(), schema="public")
    nowhere = snowflake_emulator.connect()
    try:
        named = _rows(lower.cursor(), "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()")
        cur = nowhere.cursor()
        unset = _rows(cur, "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()")
        cur.execute(f"USE DATABASE {database.lower()}")
        used = _rows(cur, "SELECT CURRENT_DATABASE()")
    finally:
        lower.close()
        nowhere.close()

    assert database.startswith("T_")
    assert named == [(database, "PUBLIC")]
    assert unset == [(None, None)]  # fakesnow said DuckDB's 'memory' and 'main'
    assert used == [(database,)]
