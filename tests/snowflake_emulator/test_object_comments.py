"""COMMENTs on tables, views and columns, as Snowflake answers and shows them: the statements
that set them say "Statement executed successfully.", SHOW TABLES / OBJECTS / VIEWS and
INFORMATION_SCHEMA.TABLES show the table's comment, DESCRIBE / SHOW COLUMNS the columns', a
comment goes with its table, and CREATE TABLE ... LIKE / CLONE copy them."""

import duckdb
import pytest
from snowflake.connector.errors import ProgrammingError

from tests.fixtures.snowflake import running_snowflake_emulator

DONE = [("Statement executed successfully.",)]


def _rows(cur, sql: str) -> list[tuple]:
    cur.execute(sql)
    return cur.fetchall()


def _shown(cur, sql: str, *names: str) -> list[tuple]:
    cur.execute(sql)
    columns = [d.name for d in cur.description]
    return [tuple(row[columns.index(n)] for n in names) for row in cur.fetchall()]


def _table_comment(cur, table: str) -> tuple:
    """(SHOW TABLES' comment, INFORMATION_SCHEMA.TABLES' COMMENT) of ``table``."""
    ((shown,),) = _shown(cur, f"SHOW TABLES LIKE '{table}'", "comment")
    ((recorded,),) = _rows(
        cur, f"SELECT comment FROM information_schema.tables WHERE table_name = '{table}'"
    )
    return shown, recorded


def _column_comments(cur, table: str) -> list[tuple]:
    return _shown(cur, f"DESCRIBE TABLE {table}", "name", "comment")


def test_comment_statements_answer_as_snowflake_does(snowflake_conn):
    """COMMENT ON COLUMN kept the comment but answered an error ('DESCRIBE COMMENT ON ...'); the
    others answered an empty status; UNSET COMMENT was a syntax error."""
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE orders (id INT, note VARCHAR)")

    answers = [
        _rows(cur, "COMMENT ON COLUMN orders.note IS 'free text'"),
        _rows(cur, "COMMENT ON TABLE orders IS 'one row per order'"),
        _rows(cur, "COMMENT IF EXISTS ON TABLE orders IS 'every order'"),
        _rows(cur, "ALTER TABLE orders ALTER COLUMN id COMMENT 'the key'"),
    ]
    commented = (_table_comment(cur, "ORDERS"), _column_comments(cur, "orders"))
    answers += [
        _rows(cur, "ALTER TABLE orders SET COMMENT = 'it''s orders'"),
        _rows(cur, "ALTER TABLE orders MODIFY COLUMN note UNSET COMMENT"),
    ]
    altered = (_table_comment(cur, "ORDERS"), _column_comments(cur, "orders"))
    answers.append(_rows(cur, "ALTER TABLE orders UNSET COMMENT"))

    assert answers == [DONE] * 7
    assert commented == (
        ("every order", "every order"),
        [("ID", "the key"), ("NOTE", "free text")],
    )
    assert altered == (("it's orders", "it's orders"), [("ID", "the key"), ("NOTE", None)])
    assert _table_comment(cur, "ORDERS") == ("", None)


def test_columns_added_with_a_comment_keep_it(snowflake_conn):
    """fakesnow added the column without its comment."""
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE grown (id INT)")
    cur.execute("ALTER TABLE grown ADD COLUMN note VARCHAR COMMENT 'added later'")
    cur.execute("ALTER TABLE grown ADD COLUMN a INT COMMENT 'one', b INT COMMENT 'two'")

    assert _column_comments(cur, "grown") == [
        ("ID", None),
        ("NOTE", "added later"),
        ("A", "one"),
        ("B", "two"),
    ]


def test_show_and_information_schema_show_table_and_view_comments(snowflake_conn):
    """SHOW TABLES / OBJECTS / VIEWS said '' for every comment; COMMENT = $$...$$ was lost."""
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE events (id INT COMMENT 'event id') COMMENT = 'what happened'")
    cur.execute("CREATE TABLE plain (id INT)")
    cur.execute("CREATE VIEW recent COMMENT = $$the last day's$$ AS SELECT id FROM events")

    assert _shown(cur, "SHOW TABLES", "name", "comment") == [
        ("EVENTS", "what happened"),
        ("PLAIN", ""),
    ]
    assert _shown(cur, "SHOW OBJECTS", "name", "comment") == [
        ("EVENTS", "what happened"),
        ("PLAIN", ""),
        ("RECENT", "the last day's"),
    ]
    assert _shown(cur, "SHOW VIEWS", "name", "comment") == [("RECENT", "the last day's")]
    assert _rows(
        cur,
        "SELECT table_name, comment FROM information_schema.tables "
        "WHERE table_schema = 'PUBLIC' ORDER BY table_name",
    ) == [("EVENTS", "what happened"), ("PLAIN", None), ("RECENT", "the last day's")]
    assert _shown(cur, "SHOW COLUMNS IN TABLE events", "column_name", "comment") == [
        ("ID", "event id")
    ]


def test_a_comment_goes_with_its_table(snowflake_conn):
    """fakesnow kept comments by table name: a dropped or replaced table's comment showed for
    the next table of that name."""
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE daily (day DATE COMMENT 'the day') COMMENT = 'one row a day'")
    cur.execute("DROP TABLE daily")
    cur.execute("CREATE TABLE daily (day DATE)")
    recreated = (_table_comment(cur, "DAILY"), _column_comments(cur, "daily"))
    cur.execute("COMMENT ON TABLE daily IS 'again'")
    cur.execute("CREATE OR REPLACE TABLE daily (day DATE)")

    assert recreated == (("", None), [("DAY", None)])
    assert _table_comment(cur, "DAILY") == ("", None)


def test_create_if_not_exists_leaves_an_existing_tables_comments(snowflake_conn):
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE kept (id INT COMMENT 'first') COMMENT = 'first'")
    cur.execute("CREATE TABLE IF NOT EXISTS kept (id INT COMMENT 'second') COMMENT = 'second'")

    assert _table_comment(cur, "KEPT") == ("first", "first")
    assert _column_comments(cur, "kept") == [("ID", "first")]


def test_commenting_a_missing_table_or_column_fails_unless_if_exists(snowflake_conn):
    """fakesnow answered COMMENT ON TABLE of a missing table as done (and kept the comment for
    a table of that name made later)."""
    cur = snowflake_conn.cursor()
    cur.execute("CREATE TABLE present (id INT)")
    with pytest.raises(ProgrammingError, match="'GHOST' does not exist") as missing_table:
        cur.execute("COMMENT ON TABLE ghost IS 'x'")
    with pytest.raises(ProgrammingError, match='does not have a column with name "NOPE"'):
        cur.execute("ALTER TABLE present ALTER id COMMENT 'x', nope COMMENT 'y'")

    assert missing_table.value.errno == 2003
    assert _column_comments(cur, "present") == [("ID", None)]  # the failed ALTER changed nothing
    assert _rows(cur, "COMMENT IF EXISTS ON TABLE ghost IS 'x'") == DONE
    assert _rows(cur, "ALTER TABLE IF EXISTS ghost SET COMMENT = 'x'") == DONE
    cur.execute("CREATE TABLE ghost (id INT)")
    assert _table_comment(cur, "GHOST") == ("", None)


def test_dbt_persist_docs_statements(snowflake_conn):
    """As dbt-snowflake writes them: several columns in one ALTER (a syntax error before), $$
    strings, a view's column comments and comment in its CREATE."""
    cur = snowflake_conn.cursor()
    db = snowflake_conn.database
    cur.execute(
        f"CREATE OR REPLACE TRANSIENT TABLE {db}.PUBLIC.customers AS (SELECT 1 AS id, 'a' AS name)"
    )
    answers = [
        _rows(cur, f"comment on table {db}.PUBLIC.customers IS $$One row per customer.$$"),
        _rows(
            cur,
            f'alter table {db}.PUBLIC.customers alter "ID" COMMENT $$The key.$$, '
            '"NAME" COMMENT $$Who it\'s for.$$;',
        ),
    ]
    cur.execute(
        f'create or replace view {db}.PUBLIC.customer_names ("NAME" COMMENT $$The name.$$) '
        f"comment=$$Names only.$$ as (select name from {db}.PUBLIC.customers)"
    )

    assert answers == [DONE, DONE]
    assert _table_comment(cur, "CUSTOMERS") == ("One row per customer.", "One row per customer.")
    assert _column_comments(cur, "customers") == [("ID", "The key."), ("NAME", "Who it's for.")]
    assert _shown(cur, "SHOW VIEWS", "name", "comment") == [("CUSTOMER_NAMES", "Names only.")]
    assert _shown(cur, "DESCRIBE VIEW customer_names", "name", "comment") == [("NAME", "The name.")]


def test_create_table_like_and_clone_copy_the_comments(snowflake_conn):
    """Snowflake copies the column definitions (comments included) and the properties; fakesnow
    copied no comment."""
    cur = snowflake_conn.cursor()
    cur.execute(
        "CREATE TABLE source (id INT COMMENT 'the key', note VARCHAR) COMMENT = 'the source'"
    )
    cur.execute("INSERT INTO source VALUES (1, 'a')")
    cur.execute("CREATE TABLE shaped LIKE source")
    cur.execute("CREATE TABLE copied CLONE source")

    expected = [("ID", "the key"), ("NOTE", None)]
    assert (_table_comment(cur, "SHAPED"), _column_comments(cur, "shaped")) == (
        ("the source", "the source"),
        expected,
    )
    assert (_table_comment(cur, "COPIED"), _column_comments(cur, "copied")) == (
        ("the source", "the source"),
        expected,
    )
    assert _rows(cur, "SELECT count(*) FROM shaped UNION ALL SELECT count(*) FROM copied") == [
        (0,),
        (1,),
    ]


def test_comments_of_a_temporary_table_named_in_a_schema(snowflake_conn):
    cur = snowflake_conn.cursor()
    db = snowflake_conn.database
    cur.execute(
        f"CREATE TEMPORARY TABLE {db}.PUBLIC.scratch (day DATE COMMENT 'when') COMMENT = 'tmp'"
    )
    cur.execute(f"COMMENT ON COLUMN {db}.PUBLIC.scratch.day IS 'when it ran'")
    cur.execute(f"CREATE TEMPORARY TABLE {db}.PUBLIC.scratch_copy LIKE {db}.PUBLIC.scratch")

    assert _column_comments(cur, f"{db}.PUBLIC.scratch") == [("DAY", "when it ran")]
    assert _column_comments(cur, "scratch_copy") == [("DAY", "when it ran")]


def test_comment_on_other_objects_is_refused_as_an_emulator_limit(snowflake_conn):
    """fakesnow answered COMMENT ON SCHEMA as done and kept nothing."""
    cur = snowflake_conn.cursor()
    with pytest.raises(
        ProgrammingError, match="COMMENT ON SCHEMA is not supported by the Snowflake emulator"
    ):
        cur.execute("COMMENT ON SCHEMA public IS 'the default'")


def test_comments_survive_a_restart_and_earlier_records_are_kept(tmp_path, s3_server):
    """Comments live in the database files; a comment an earlier emulator recorded by table
    name (in fakesnow's catalog) is the table's after an upgrade."""
    data_dir = tmp_path / "snowflake"
    with (
        running_snowflake_emulator(data_dir, s3_server) as emulator,
        emulator.connect(database="DOCS", schema="PUBLIC") as conn,
    ):
        cur = conn.cursor()
        cur.execute("CREATE TABLE kept (id INT COMMENT 'the key') COMMENT = 'kept'")
        cur.execute("CREATE TABLE older (id INT)")
    with duckdb.connect(str(data_dir / "_fs_global.duckdb")) as catalog:  # as an earlier one did
        catalog.execute(
            "INSERT INTO _fs_information_schema._fs_tables_ext "
            "VALUES ('DOCS', 'PUBLIC', 'OLDER', 'recorded earlier'), "
            "('DOCS', 'PUBLIC', 'GONE', 'a dropped table''s')"
        )

    with (
        running_snowflake_emulator(data_dir, s3_server) as emulator,
        emulator.connect(database="DOCS", schema="PUBLIC") as conn,
    ):
        cur = conn.cursor()
        assert _shown(cur, "SHOW TABLES", "name", "comment") == [
            ("KEPT", "kept"),
            ("OLDER", "recorded earlier"),
        ]
        assert _column_comments(cur, "kept") == [("ID", "the key")]
        cur.execute("CREATE TABLE gone (id INT)")
        assert _table_comment(cur, "GONE") == ("", None)
