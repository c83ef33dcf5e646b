"""Failed loads: Redshift's message, one stl_load_errors row naming file, line, column and
value, and the table left as it was; plus loads inside transactions."""

import pyarrow as pa
import pytest

from dwsim_redshift.copy import CopyError, run_copy
from tests.redshift_emulator.copy_helpers import load_errors

FAILED = "Load into table 't' failed.  Check 'stl_load_errors' system table for details."


@pytest.mark.parametrize(
    ("ddl", "text", "options", "expected"),
    [
        pytest.param(
            "a int, b int",
            "1,2\n3,x7\n",
            "CSV",
            (2, "b", "int4", "x7", 1207, "Invalid digit, Value 'x', Pos 0, Type: Integer"),
            id="invalid-digit",
        ),
        pytest.param(
            "a int, b varchar(3)",
            "1,abc\n2,abcd\n",
            "CSV",
            (2, "b", "varchar", "abcd", 1204, "String length exceeds DDL length"),
            id="varchar-too-long",
        ),
        pytest.param(
            "a int, b varchar(3)",
            "1,é\n2,éé\n",
            "CSV",
            (2, "b", "varchar", "éé", 1204, "String length exceeds DDL length"),
            id="varchar-counts-bytes",
        ),
        pytest.param(
            "a int, b date",
            "h\n1,2024-01-01\n2,2024-13-01\n",
            "CSV IGNOREHEADER 1",
            (3, "b", "date", "2024-13-01", 1205, "Invalid Date Format [YYYY-MM-DD]"),
            id="bad-date-line-counts-header",
        ),
        pytest.param(
            "a int, b date",
            "1,29/02/2024\n2,30/02/2024\n",
            "CSV DATEFORMAT 'DD/MM/YYYY'",
            (2, "b", "date", "30/02/2024", 1205, "Invalid Date Format [DD/MM/YYYY]"),
            id="impossible-day",
        ),
        pytest.param(
            "a int, b smallint",
            "1,40000\n",
            "CSV",
            (1, "b", "int2", "40000", 1222, "Overflow, Value '40000', Pos 0, Type: Short"),
            id="smallint-overflow",
        ),
        pytest.param(
            "a int, b numeric(5,2)",
            "1,1234.5\n",
            "CSV",
            (1, "b", "numeric", "1234.5", 1204, "Numeric data overflow (result precision)"),
            id="numeric-overflow",
        ),
        pytest.param(
            "a int, b timestamp",
            "1,yesterday\n",
            "CSV",
            (
                1,
                "b",
                "timestamp",
                "yesterday",
                1206,
                "Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]",
            ),
            id="bad-timestamp",
        ),
        pytest.param(
            "a int not null, b int",
            "1,2\n,3\n",
            "CSV",
            (2, "a", "int4", "", 1213, "Missing data for not-null field"),
            id="not-null",
        ),
        pytest.param(
            "a int, b bool",
            "1|maybe\n",
            "",
            (1, "b", "bool", "maybe", 1210, "Invalid Boolean value"),
            id="bad-boolean-text-format",
        ),
        pytest.param(
            "a int, b jsonb",
            "1|{oops\n",
            "",
            (1, "b", "jsonb", "{oops", 1224, "Invalid JSON"),
            id="bad-json",
        ),
        pytest.param(
            "a int, b int",
            "1,2\n3,4,5\n",
            "CSV",
            (2, "", "", "", 1202, "Extra column(s) found (expected 2 columns, found 3)"),
            id="too-many-columns",
        ),
    ],
)
def test_bad_value_fails_the_load_and_is_recorded(
    ddl, text, options, expected, session, stage, rs_settings
):
    session.execute(f"CREATE TABLE t ({ddl})")
    session.execute("INSERT INTO t (a) VALUES (100)")
    url = stage.put("in/part-1.csv", text)
    with pytest.raises(CopyError) as info:
        run_copy(f"COPY t FROM '{stage.url('in/')}' IAM_ROLE 'x' {options}", session, rs_settings)
    assert str(info.value) == FAILED
    assert f"code:      {expected[4]}" in info.value.detail
    assert session.execute("SELECT a FROM t") == [(100,)]  # nothing of the load is left
    err = load_errors(session, "t")[0]
    line, column, typ, value, code, reason = expected
    assert (
        err["filename"],
        err["line"],
        err["column"],
        err["type"],
        err["value"],
        err["code"],
    ) == (url, line, column, typ, value, code)
    assert err["reason"] == reason


def test_parquet_value_that_does_not_fit_names_its_row(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int, b varchar(2))")
    stage.put_parquet(
        "p/1.parquet", pa.table({"a": pa.array([1, 2**40, 3], pa.int64()), "b": ["x", "y", "z"]})
    )
    with pytest.raises(CopyError, match="Load into table 't' failed"):
        run_copy(f"COPY t FROM '{stage.url('p/')}' FORMAT AS PARQUET", session, rs_settings)
    err = load_errors(session, "t")[0]
    assert (err["line"], err["column"], err["value"], err["code"]) == (2, "a", str(2**40), 1222)


def test_maxerror_skips_bad_rows_and_still_records_them(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int, b date)")
    stage.put("in/1.csv", "1,2024-01-01\nx,2024-01-02\n3,notadate\n4,2024-01-04\n")
    result = run_copy(f"COPY t FROM '{stage.url('in/')}' CSV MAXERROR 2", session, rs_settings)
    assert result.rows == 2
    assert session.execute("SELECT a FROM t ORDER BY a") == [(1,), (4,)]
    assert sorted((e["line"], e["column"]) for e in load_errors(session, "t")) == [
        (2, "a"),
        (3, "b"),
    ]
    with pytest.raises(CopyError, match="failed"):
        run_copy(f"COPY t FROM '{stage.url('in/')}' CSV MAXERROR 1", session, rs_settings)


def test_sys_load_error_detail_shows_the_same_error(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    stage.put("in/1.csv", "1\nten\n")
    with pytest.raises(CopyError):
        run_copy(f"COPY t FROM '{stage.url('in/')}' CSV", session, rs_settings)
    rows = session.execute(
        "SELECT file_name, line_number, column_name, error_code, raw_field_value "
        "FROM dwsim_rs.sys_load_error_detail WHERE table_id = 't'::regclass::oid"
    )
    assert rows == [(stage.url("in/1.csv"), 2, "a", 1207, "ten")]


@pytest.mark.parametrize(
    ("setup", "sql", "message"),
    [
        pytest.param(
            "", "COPY nope FROM '{url}' CSV", 'relation "nope" does not exist', id="no-table"
        ),
        pytest.param(
            "CREATE TABLE t (a int)",
            "COPY t (a, zz) FROM '{url}' CSV",
            'column "zz" of relation "t" does not exist',
            id="no-column",
        ),
        pytest.param(
            "CREATE TABLE t (a int)",
            "COPY t FROM '{missing}' CSV",
            "The specified S3 prefix 'nothing/here' does not exist",
            id="empty-prefix",
        ),
        pytest.param(
            "CREATE TABLE t (a int)",
            "COPY t FROM 's3://no-such-bucket-dwsim/x' CSV",
            "The specified bucket does not exist",
            id="no-bucket",
        ),
        pytest.param(
            "CREATE TABLE t (a int, b int, c int)",
            "COPY t FROM '{parquet}' PARQUET",
            "Unmatched number of columns between table and file. Table columns: 3, Data columns: 2",
            id="parquet-column-count",
        ),
        pytest.param(
            "CREATE TABLE t (a int)",
            "COPY t FROM '{manifest}' CSV MANIFEST",
            "has a mandatory entry '.*gone.csv' that does not exist",
            id="manifest-missing-mandatory",
        ),
        pytest.param(
            "CREATE TABLE t (a int)",
            "COPY t FROM '{missing}' CSV MANIFEST",
            "Problem reading manifest file",
            id="manifest-not-found",
        ),
    ],
)
def test_load_that_cannot_start_says_why(setup, sql, message, session, stage, rs_settings):
    if setup:
        session.execute(setup)
    stage.put("in/1.csv", "1\n")
    stage.put_parquet("pq/1.parquet", pa.table({"a": [1], "b": [2]}))
    stage.put(
        "m.manifest", f'{{"entries": [{{"url": "{stage.url("gone.csv")}", "mandatory": true}}]}}'
    )
    urls = {
        "url": stage.url("in/"),
        "missing": stage.url("nothing/here"),
        "parquet": stage.url("pq/"),
        "manifest": stage.url("m.manifest"),
    }
    with pytest.raises(CopyError, match=message):
        run_copy(sql.format(**urls), session, rs_settings)


def test_copy_rolls_back_with_its_transaction(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    stage.put("in/1.csv", "1\n2\n")
    session.execute("BEGIN")
    result = run_copy(f"COPY t FROM '{stage.url('in/')}' CSV", session, rs_settings)
    assert result.rows == 2
    assert session.execute("SELECT count(*) FROM t") == [(2,)]
    session.execute("ROLLBACK")
    assert session.execute("SELECT count(*) FROM t") == [(0,)]


def test_copy_in_the_middle_of_a_transaction_then_more_statements(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    session.execute("CREATE TABLE audit (n bigint)")
    stage.put("in/1.csv", "1\n2\n3\n")
    session.execute("BEGIN")
    session.execute("INSERT INTO t VALUES (0)")
    run_copy(f"COPY t FROM '{stage.url('in/')}' CSV", session, rs_settings)
    session.execute("INSERT INTO audit SELECT count(*) FROM t")
    session.execute("COMMIT")
    assert session.execute("SELECT n FROM audit") == [(4,)]
    assert session.execute("SELECT count(*) FROM t") == [(4,)]


def test_failed_copy_inside_a_transaction_keeps_its_error_row(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    stage.put("in/1.csv", "1\nbad\n")
    session.execute("BEGIN")
    with pytest.raises(CopyError):
        run_copy(f"COPY t FROM '{stage.url('in/')}' CSV", session, rs_settings)
    session.execute("ROLLBACK")
    assert [e["value"] for e in load_errors(session, "t")] == ["bad"]


def test_invalid_utf8_fails_unless_acceptinvchars(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int, b varchar(10))")
    stage.put("in/1.csv", b"1,ok\n2,bad\xff\n")
    with pytest.raises(CopyError, match="Load into table 't' failed"):
        run_copy(f"COPY t FROM '{stage.url('in/')}' CSV", session, rs_settings)
    err = load_errors(session, "t")[0]
    assert (err["line"], err["column"], err["code"]) == (2, "b", 1220)
    run_copy(f"COPY t FROM '{stage.url('in/')}' CSV ACCEPTINVCHARS AS '^'", session, rs_settings)
    assert session.execute("SELECT b FROM t ORDER BY a") == [("ok",), ("bad^",)]


def test_noload_checks_the_files_without_loading(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    stage.put("ok/1.csv", "1\n2\n")
    stage.put("bad/1.csv", "1\nzz\n")
    assert run_copy(f"COPY t FROM '{stage.url('ok/')}' CSV NOLOAD", session, rs_settings).rows == 0
    with pytest.raises(CopyError, match="Load into table 't' failed"):
        run_copy(f"COPY t FROM '{stage.url('bad/')}' CSV NOLOAD", session, rs_settings)
    assert session.execute("SELECT count(*) FROM t") == [(0,)]
    assert [e["value"] for e in load_errors(session, "t")] == ["zz"]


def test_maxerror_with_many_bad_rows_records_each(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int, b varchar(3))")
    lines = [f"{i},{'long' if i % 5 == 0 else 'ok'}" for i in range(1, 5001)]
    stage.put("many/1.csv", "\n".join(lines) + "\n")
    result = run_copy(f"COPY t FROM '{stage.url('many/')}' CSV MAXERROR 1000", session, rs_settings)
    assert result.rows == 4000
    errors = load_errors(session, "t")
    assert len(errors) == 1000
    assert {(e["code"], e["column"], e["value"]) for e in errors} == {(1204, "b", "long")}
    assert sorted(e["line"] for e in errors)[:3] == [5, 10, 15]
