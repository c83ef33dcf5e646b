"""SYSTEM$DWSIM_EXPLAIN('<statement>'): the emulator's rewrites named, without running it."""

import json

import pytest
from snowflake.connector.errors import ProgrammingError


def _explain(cur, sql: str) -> tuple[str, list[str], str | None]:
    quoted = "'" + sql.replace("\\", "\\\\").replace("'", "''") + "'"
    cur.execute(f"SELECT SYSTEM$DWSIM_EXPLAIN({quoted})")
    assert [d[0] for d in cur.description] == ["SQL", "REWRITES", "UNSUPPORTED"]
    duck_sql, rewrites, unsupported = cur.fetchone()
    return duck_sql, json.loads(rewrites), unsupported


@pytest.fixture
def cur(snowflake_conn):
    cur = snowflake_conn.cursor()
    cur.execute(
        "CREATE TABLE T (AMOUNT NUMBER(10,2), CODE VARCHAR, TS TIMESTAMP_NTZ, ID INT PRIMARY KEY)"
    )
    cur.execute("INSERT INTO T VALUES (7, '10', '2024-03-05 10:11:12', 1)")
    return cur


def test_each_rewrite_that_applies_is_named(cur):
    sql, rewrites, unsupported = _explain(
        cur, "select to_char(ts, 'YYYY-MM'), amount / 2, sum(amount) from t where code > 5"
    )
    assert sorted(rewrites) == [
        "NUMBER division (Snowflake's scale)",
        "SUM/AVG of NUMBER kept exact",
        "TO_CHAR date/time format",
        "VARCHAR compared with a number (as numbers)",
    ]
    assert unsupported is None
    assert "STRFTIME(TS, '%Y-%m')" in sql  # the DuckDB SQL the emulator would run
    assert "CAST(CODE AS DOUBLE) > 5" in sql


def test_a_statement_fakesnow_translates_plainly_has_no_rewrites(cur):
    assert _explain(cur, "select id, code from t order by id")[1] == []
    assert _explain(cur, "select amount / 0.5 from t")[1] == ["NUMBER division (Snowflake's scale)"]
    assert _explain(cur, "select amount / id from t")[1] == [
        "division by zero fails",
        "NUMBER division (Snowflake's scale)",
    ]
    assert _explain(cur, "create table k (id int primary key)")[1] == [
        "constraints kept as metadata, not enforced"
    ]


def test_nothing_runs(cur):
    _sql, rewrites, _ = _explain(cur, "delete from t")
    assert rewrites == []
    _explain(cur, "create table made_by_explain (a int)")
    _explain(cur, "set explained_var = 5")
    assert cur.execute("select count(*) from t").fetchone() == (1,)
    cur.execute("show tables like 'MADE_BY_EXPLAIN'")
    assert cur.fetchall() == []
    with pytest.raises(ProgrammingError, match="EXPLAINED_VAR"):
        cur.execute("select $explained_var")


def test_an_emulator_limit_is_reported_not_raised(cur):
    _sql, rewrites, unsupported = _explain(cur, "select to_char(amount, '999.99') from t")
    assert rewrites == []
    assert "an emulator limit, not a Snowflake one" in unsupported
    assert _explain(cur, "copy into 's3://b/out/' from t")[1] == ["unload (run by the emulator)"]
    assert _explain(cur, "copy into t from @st")[1] == ["copy (run by the emulator)"]


def test_anything_but_a_string_literal_is_refused(cur):
    with pytest.raises(ProgrammingError, match="one string literal"):
        cur.execute("SELECT SYSTEM$DWSIM_EXPLAIN(1)")
