"""``dwsim check-sql FILE --warehouse snowflake`` against the real Snowflake emulator: each
status with its reason, the session and the data left as they were."""

from pathlib import Path

from tests.check_sql.conftest import check_sql

SCRIPT = """select order_id, region from orders where amount > 15;
select order_id,
       nope
from orders;
delete from orders;
update orders set amount = 0;
insert into orders values (4, 'eu', 1.00);
drop table orders;
create schema scratch_s;
select count(*) from orders;
create database chk_scratch_db;
get @~/x file:///tmp/;
copy into 's3://dwsim-nowhere/out/' from orders;
begin;
select * from {{ ref('orders') }};
select amount / 3, to_char(current_date, 'YYYY-MM') from orders where amount / 0.5 > 0;
"""


def test_each_statement_is_classified_and_nothing_is_left_behind(
    tmp_path, sf_env, sf_orders, snowflake_emulator
):
    script = tmp_path / "script.sql"
    script.write_text(SCRIPT)
    before = sf_orders.rows()
    run = check_sql(script, "-w", "snowflake", "--schema", sf_orders.schema.lower(), "--json",
                    env=sf_env)  # fmt: skip
    assert run.code == 1, run.stderr
    got = {s["line"]: s for s in run.report["statements"]}
    assert {line: s["status"] for line, s in got.items()} == {
        1: "faithful",
        2: "error",
        5: "faithful",
        6: "faithful",
        7: "faithful",
        8: "faithful",
        9: "faithful",
        10: "faithful",  # the session is back in the experiment's schema after CREATE SCHEMA
        11: "faithful",
        12: "unsupported",
        13: "rewritten",
        14: "faithful",
        15: "error",
        16: "rewritten",
    }
    error = got[2]
    assert error["reason"].startswith("SQL compilation error: error line 2 at position 7")
    assert "invalid identifier 'NOPE'" in error["reason"]
    assert (error["code"], error["error_line"], error["error_column"]) == ("42000 904", 3, 8)
    assert got[12]["code"].startswith("0A000")
    assert "an emulator limit, not a Snowflake one" in got[12]["reason"]
    assert [got[n]["executed"] for n in (11, 13, 14, 15)] == [False] * 4
    assert "a file of its own, outside any transaction" in got[11]["note"]
    assert got[13]["rewrites"] == ["unload (run by the emulator)"]
    assert got[15]["reason"].startswith("not compiled SQL")
    # the emulator names its rewrites (SYSTEM$DWSIM_EXPLAIN), in the order they applied
    assert got[16]["rewrites"] == ["NUMBER division (Snowflake's scale)"]
    assert got[16]["executed"] is True
    assert got[1]["rewrites"] == []
    report = run.report
    assert report["rewrites_known"] is True
    assert report["notes"] == []
    # the same rows, no new table, schema or database
    assert sf_orders.rows() == before
    assert len(before) == 3
    assert sf_orders.tables() == ["orders"]
    with snowflake_emulator.connect() as conn:
        cur = conn.cursor()
        cur.execute("SHOW DATABASES")
        databases = {row[1].upper() for row in cur.fetchall()}
        cur.execute("SHOW SCHEMAS IN DATABASE DWSIM")
        schemas = {row[1].upper() for row in cur.fetchall()}
    assert "CHK_SCRATCH_DB" not in databases
    assert "DWSIM" in databases
    assert "SCRATCH_S" not in schemas
    assert sf_orders.schema in schemas
    assert not list(Path(snowflake_emulator.data_dir).glob("CHK_SCRATCH_DB*"))


def test_without_a_schema_names_resolve_as_written(tmp_path, sf_env, sf_orders):
    script = tmp_path / "qualified.sql"
    script.write_text(
        f"select count(*) from dwsim.{sf_orders.schema}.orders;\nselect count(*) from orders\n"
    )
    run = check_sql(script, "-w", "snowflake", "--json", env=sf_env)
    assert run.code == 1
    first, second = run.report["statements"]
    assert first["status"] == "faithful"
    assert second["status"] == "error"
    assert run.report["schema"] is None


def test_tables_with_text_and_array_columns_check_faithful_and_leave_no_trace(
    tmp_path, sf_env, sf_orders, snowflake_emulator
):
    """These failed with DuckDB's "TransactionContext Error ... _fs_global" (the emulator wrote
    the declared lengths to its catalog inside the checked transaction)."""
    script = tmp_path / "ddl.sql"
    script.write_text(
        "create table codes (code char(5), label varchar(10) not null, tags array);\n"
        "create or replace table orders (order_id int, region char(2), amount number(12,2));\n"
        "create table notes (body string) comment = 'free text';\n"
    )
    run = check_sql(script, "-w", "snowflake", "--schema", sf_orders.schema, "--json",
                    env=sf_env)  # fmt: skip
    assert run.code == 0, run.stdout + run.stderr
    assert [s["status"] for s in run.report["statements"]] == ["faithful"] * 3
    assert sf_orders.tables() == ["orders"]
    with snowflake_emulator.connect(database="DWSIM", schema=sf_orders.schema) as conn:
        cur = conn.cursor()
        cur.execute("DESCRIBE TABLE ORDERS")
        types = {row[0]: row[1] for row in cur.fetchall()}
    assert types["REGION"] == "VARCHAR(10)"  # as created, not the checked CHAR(2)
