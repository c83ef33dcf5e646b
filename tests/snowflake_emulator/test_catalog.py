"""What the emulator's catalog says of a table: declared text lengths (CHAR too), NOT NULL in
SHOW COLUMNS' data_type, SHOW TABLES' bytes growing with its rows, and column comments."""


def _shown(cur, sql: str) -> list[dict]:
    cur.execute(sql)
    names = [d.name for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def test_show_tables_bytes_are_0_only_for_an_empty_table(snowflake_conn):
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE events (id INT, kind VARCHAR)")
    empty = _shown(cur, "SHOW TABLES LIKE 'EVENTS'")[0]
    cur.execute("INSERT INTO events SELECT SEQ4(), 'click' FROM TABLE(GENERATOR(ROWCOUNT => 100))")
    some = _shown(cur, "SHOW TABLES LIKE 'EVENTS'")[0]
    cur.execute("INSERT INTO events SELECT SEQ4(), 'view' FROM TABLE(GENERATOR(ROWCOUNT => 900))")
    more = _shown(cur, "SHOW TABLES LIKE 'EVENTS'")[0]
    objects = _shown(cur, "SHOW OBJECTS LIKE 'EVENTS'")[0]

    assert (empty["rows"], empty["bytes"]) == (0, 0)
    assert some["rows"] == 100
    assert more["rows"] == 1000
    assert 0 < some["bytes"] < more["bytes"]  # fakesnow said 0 whatever the rows
    assert (objects["rows"], objects["bytes"]) == (more["rows"], more["bytes"])


def test_a_table_created_inside_begin_keeps_its_declared_lengths(snowflake_conn):
    """fakesnow failed this CREATE: "TransactionContext Error: Attempting to write to database
    "_fs_global" in a transaction that has already modified database ...\""""
    cur = snowflake_conn.cursor()
    cur.execute("BEGIN")
    cur.execute("CREATE TABLE codes (code CHAR(5) NOT NULL, flag CHAR, label VARCHAR(10))")
    cur.execute("INSERT INTO codes VALUES ('ab', 'y', 'first')")
    cur.execute("COMMIT")

    described = [(r["name"], r["type"], r["null?"]) for r in _shown(cur, "DESCRIBE TABLE codes")]
    columns = {r["column_name"]: r["data_type"] for r in _shown(cur, "SHOW COLUMNS IN TABLE codes")}
    lengths = cur.execute(
        "SELECT column_name, character_maximum_length FROM information_schema.columns "
        "WHERE table_name = 'CODES' ORDER BY ordinal_position"
    ).fetchall()

    assert described == [
        ("CODE", "VARCHAR(5)", "N"),
        ("FLAG", "VARCHAR(1)", "Y"),
        ("LABEL", "VARCHAR(10)", "Y"),
    ]
    assert columns["CODE"] == (
        '{"type":"TEXT","length":5,"byteLength":20,"nullable":false,"fixed":false}'
    )
    assert lengths == [("CODE", 5), ("FLAG", 1), ("LABEL", 10)]


def test_column_comments_are_kept_for_tables_made_by_dbt_and_by_hand(snowflake_conn):
    """fakesnow dropped them: COMMENT was empty in SHOW COLUMNS, NULL in DESCRIBE TABLE and in
    INFORMATION_SCHEMA.COLUMNS, which dbt docs read."""
    cur = snowflake_conn.cursor()
    ((database,),) = cur.execute("SELECT CURRENT_DATABASE()").fetchall()
    cur.execute("BEGIN")
    cur.execute("CREATE TABLE orders (id INT COMMENT 'order id', note VARCHAR(9))")
    cur.execute("COMMIT")
    cur.execute("ALTER TABLE orders ALTER COLUMN note COMMENT 'free text'")
    cur.execute(
        f"CREATE TEMPORARY TABLE {database}.public.scratch (day DATE COMMENT 'when it ran')"
    )

    described = [(r["name"], r["comment"]) for r in _shown(cur, "DESCRIBE TABLE orders")]
    temporary = [(r["name"], r["comment"]) for r in _shown(cur, "DESCRIBE TABLE scratch")]
    catalog = cur.execute(
        "SELECT column_name, comment FROM information_schema.columns "
        "WHERE table_name = 'ORDERS' ORDER BY ordinal_position"
    ).fetchall()

    assert described == [("ID", "order id"), ("NOTE", "free text")]
    assert catalog == described
    assert temporary == [("DAY", "when it ran")]
