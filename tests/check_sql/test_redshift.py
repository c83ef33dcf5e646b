"""``dwsim check-sql DIR --warehouse redshift`` on a folder laid out like dbt's target tree,
against the real Redshift emulator: each status with its reason, and nothing changed."""

from pathlib import Path

import pytest

from tests.check_sql.conftest import check_sql

REPORT_SQL = """-- a report
select order_id, dateadd(day, 1, '2024-01-01'::date) as next_day from orders;
create external schema spectrum from data catalog database 'sales' iam_role 'arn:aws:iam::000000000000:role/dwsim';
select order_id,
       nope
from orders;
delete from orders;
update orders set amount = 0;
insert into orders values (4, 'eu', 1.00);
drop table orders;
create table scratch_t (a int);
copy orders from 's3://dwsim-nowhere/orders/' iam_role 'arn:aws:iam::000000000000:role/dwsim' format as avro 'auto';
unload ('select * from orders') to 's3://dwsim-nowhere/out/' iam_role 'arn:aws:iam::000000000000:role/dwsim';
alter table orders append from orders_staging;
commit;
truncate orders;
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """target/compiled-like: a clean model, a script with every outcome, an uncompiled one."""
    models = tmp_path / "target" / "compiled" / "shop" / "models"
    (models / "marts").mkdir(parents=True)
    (models / "clean.sql").write_text("select order_id, region from orders where amount > 15\n")
    (models / "marts" / "report.sql").write_text(REPORT_SQL)
    (models / "raw.sql").write_text("select *\nfrom {{ ref('orders') }}\n")
    return tmp_path / "target"


def test_each_statement_is_classified_and_the_data_left_as_it_was(project, rs_env, rs_orders):
    before = rs_orders.rows()
    run = check_sql(project, "--warehouse", "redshift", "--schema", rs_orders.schema, "--json",
                    env=rs_env)  # fmt: skip
    assert run.code == 1, run.stderr
    report = run.report
    got = run.by_line()
    status = {key: s["status"] for key, s in got.items()}
    truncate_status = got["report.sql", 16]["status"]  # run by the emulator, or passed through
    assert truncate_status in ("rewritten", "faithful")
    assert status == {
        ("clean.sql", 1): "faithful",
        ("report.sql", 2): "rewritten",
        ("report.sql", 3): "unsupported",
        ("report.sql", 4): "error",
        ("report.sql", 7): "faithful",
        ("report.sql", 8): "faithful",
        ("report.sql", 9): "faithful",
        ("report.sql", 10): "faithful",
        ("report.sql", 11): "faithful",
        ("report.sql", 12): "unsupported",
        ("report.sql", 13): "rewritten",
        ("report.sql", 14): "rewritten",
        ("report.sql", 15): "faithful",
        ("report.sql", 16): truncate_status,
        ("raw.sql", 1): "error",
    }
    # the rewrite is named, with the helper that carries Redshift's DATEADD semantics
    assert got["report.sql", 2]["rewrites"] == ["functions (dwsim_rs.dateadd)"]
    # refusals are the emulator's own, SQLSTATE 0A000
    spectrum, avro = got["report.sql", 3], got["report.sql", 12]
    assert spectrum["code"] == avro["code"] == "0A000"
    assert spectrum["reason"].startswith("CREATE EXTERNAL SCHEMA cannot be emulated")
    assert "FORMAT AVRO" in avro["reason"]
    assert "emulator limit" in avro["reason"]
    # the warehouse's message, pointing at the file's line and column
    error = got["report.sql", 4]
    assert error["reason"] == 'column "nope" does not exist'
    assert (error["code"], error["error_line"], error["error_column"]) == ("42703", 5, 8)
    assert error["sql"] == "select order_id,\n       nope\nfrom orders"
    # classified without running: what a rollback cannot undo, or what ends a transaction
    unload, append, commit = got["report.sql", 13], got["report.sql", 14], got["report.sql", 15]
    truncate = got["report.sql", 16]
    assert [s["executed"] for s in (unload, append, commit, truncate)] == [False] * 4
    assert unload["rewrites"] == ["unload (run by the emulator)"]
    assert "UNLOAD writes files to S3" in unload["note"]
    assert append["rewrites"] == ["alter table append (run by the emulator)"]
    assert "cannot run inside a transaction block" in append["note"]
    assert "TRUNCATE commits the transaction it runs in" in truncate["note"]
    uncompiled = got["raw.sql", 1]
    assert uncompiled["reason"].startswith("not compiled SQL")
    assert (uncompiled["executed"], uncompiled["error_line"], uncompiled["error_column"]) == (
        False,
        2,
        6,
    )
    counts = report["summary"]["counts"]
    assert counts == {
        "faithful": 7 + (truncate_status == "faithful"),
        "rewritten": 3 + (truncate_status == "rewritten"),
        "unsupported": 2,
        "error": 2,
    }
    assert (report["summary"]["total"], report["summary"]["pass_rate"]) == (15, round(11 / 15, 4))
    assert report["rewrites_known"] is True
    assert report["schema"] == rs_orders.schema
    # every change was rolled back: the same rows, no new table
    assert rs_orders.rows() == before
    assert len(before) == 3
    assert rs_orders.tables() == ["orders"]


def test_a_clean_file_exits_0_with_a_table_and_the_pass_rate(tmp_path, rs_env, rs_orders):
    sql = tmp_path / "daily.sql"
    sql.write_text(
        "select region, order_id from orders where amount > 15 order by order_id;\n"
        "select getdate() as now, nvl(region, '-') from orders;\n"
    )
    run = check_sql(sql, "-w", "redshift", "--schema", rs_orders.schema,
                    env={**rs_env, "COLUMNS": "200"})  # fmt: skip
    assert run.code == 0, run.stdout + run.stderr
    folder, header, *lines = run.stdout.splitlines()
    assert folder == f"in {tmp_path}/"
    assert header.split() == ["where", "statement", "status", "detail"]
    assert lines[0].split()[:2] == ["daily.sql:1", "select"]
    assert "faithful" in lines[0]
    assert lines[1].split()[:2] == ["daily.sql:2", "select"]
    assert "rewritten" in lines[1]
    assert "functions" in lines[1]
    assert lines[2].startswith(
        "2 statements: 1 faithful, 1 rewritten, 0 unsupported, 0 error · 100% pass"
    )
    port = rs_env["DWSIM_REDSHIFT_PORT"]
    assert f"redshift emulator at redshift://dwsim@127.0.0.1:{port}/dev, schema chk_" in lines[2]


def test_a_query_log_has_one_statement_per_line(tmp_path, rs_env, rs_orders):
    log = tmp_path / "queries.log"
    log.write_text(
        "select count(*) from orders\n\n-- a comment\nselect nope from orders;\n"
        "select 'a;b' as semicolons from orders\n"
    )
    run = check_sql(log, "-w", "redshift", "--schema", rs_orders.schema, "--lines", "--json",
                    env=rs_env)  # fmt: skip
    assert run.code == 1
    got = [(s["line"], s["status"], s["error_column"]) for s in run.report["statements"]]
    assert got == [(1, "faithful", None), (4, "error", 8), (5, "faithful", None)]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["nowhere.sql"], 2, "nowhere.sql does not exist"),
        (["empty.sql"], 2, "no SQL statement in"),
        (["empty-dir"], 2, "holds no .sql file"),
        (["ok.sql", "--schema", "no_such_schema"], 2, "schema no_such_schema does not exist"),
        (["ok.sql", "--port", "1"], 5, "cannot connect to redshift://dwsim@127.0.0.1:1/dev"),
    ],
)
def test_usage_errors_and_an_unreachable_emulator(tmp_path, monkeypatch, rs_env, args, code,
                                                  message):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.sql").write_text("-- nothing here\n;\n")
    (tmp_path / "empty-dir").mkdir()
    (tmp_path / "ok.sql").write_text("select 1")
    run = check_sql(*args, "-w", "redshift", env=rs_env)
    assert run.code == code
    assert run.stderr.startswith("dwsim check-sql: error: ")
    assert message in run.stderr


def test_a_checked_insert_leaves_no_gap_in_identity_values(tmp_path, rs_env, rs_orders,
                                                          redshift_emulator):  # fmt: skip
    """The rollback undid the rows but not the IDENTITY values they drew (sequences are not
    transactional), so the next real insert skipped them."""
    import psycopg2

    conn = psycopg2.connect(redshift_emulator.dsn)
    conn.autocommit = True
    table = f"{rs_orders.schema}.events"
    sql = tmp_path / "load.sql"
    sql.write_text(
        "insert into events (kind) values ('a'), ('b'), ('c');\n"
        "insert into events (kind) select case when order_id < 3 then 'ok'"
        " else (1 / (order_id - 3))::varchar end from orders;\n"
    )
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE TABLE {table} (event_id BIGINT IDENTITY(1,1), kind VARCHAR(10))")
            cur.execute(f"INSERT INTO {table} (kind) VALUES ('first')")
        run = check_sql(sql, "-w", "redshift", "--schema", rs_orders.schema, "--json",
                        env=rs_env)  # fmt: skip
        with conn.cursor() as cur:
            cur.execute(f"INSERT INTO {table} (kind) VALUES ('second')")
            cur.execute(f"SELECT event_id, kind FROM {table} ORDER BY 1")
            rows = cur.fetchall()
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
        conn.close()

    statuses = [(s["line"], s["status"]) for s in run.report["statements"]]
    assert statuses == [(1, "faithful"), (2, "error")]  # the second fails on its third row
    assert rows == [(1, "first"), (2, "second")]
