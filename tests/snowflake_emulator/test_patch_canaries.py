"""Canaries for the emulator's patches to fakesnow (dwsim_snowflake.patches).

Each patch exists because fakesnow, as pinned, gets something wrong. The tests below run that
thing on fakesnow *without* the patches (this process never installs them: the emulator runs as
a subprocess) and assert the bug is still there. When an upgrade fixes it upstream, the canary
fails: delete the patch (and its canary). The tests at the top fail when a patch no longer
applies (a name it replaces is gone) or replaces a name the registry does not declare.
"""

import importlib.metadata
import inspect
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import fakesnow.arrow as fs_arrow
import fakesnow.server as fs_server
import fakesnow.transforms.stage as fs_stage
import pyarrow as pa
import pytest
from fakesnow.cursor import FakeSnowflakeCursor
from fakesnow.instance import FakeSnow
from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake import patches

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def fakesnow_is_unpatched():
    """The canaries mean nothing if this process installed the patches."""
    assert FakeSnowflakeCursor.execute.__module__ == "fakesnow.cursor"
    assert FakeSnowflakeCursor._transform.__module__ == "fakesnow.cursor"


@pytest.fixture
def cur():
    return FakeSnow().connect("DB", "PUBLIC").cursor()


def _fails(cur, sql: str) -> str:
    with pytest.raises(Exception) as info:  # noqa: PT011 - the canary is that it fails at all
        cur.execute(sql)
    return str(info.value)


# --- the patches still apply -----------------------------------------------------------------


def test_fakesnow_is_the_version_the_patches_were_written_for():
    assert importlib.metadata.version("fakesnow") == patches.FAKESNOW_VERSION


def test_every_name_a_patch_replaces_or_uses_exists():
    assert patches.problems() == []


def test_a_missing_name_is_refused_naming_the_patch(monkeypatch):
    monkeypatch.delattr(fs_arrow, "timestamp_to_sf_struct")
    found = patches.problems()
    assert len(found) == 1
    assert "patch 'results'" in found[0]
    assert "fakesnow.arrow:timestamp_to_sf_struct" in found[0]
    with pytest.raises(patches.DwsimError, match=r"patch 'results'.*timestamp_to_sf_struct"):
        patches.check()


_SNAPSHOT = """
import json, sys, types, tempfile
from pathlib import Path

def snapshot():
    seen = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("fakesnow") or not isinstance(module, types.ModuleType):
            continue
        for attr, value in list(vars(module).items()):
            seen[f"{name}:{attr}"] = id(value)
            if isinstance(value, type) and value.__module__ == name:
                for member, inner in list(vars(value).items()):
                    seen[f"{name}:{attr}.{member}"] = id(inner)
    return seen

import fakesnow.server  # what the launcher imports before patching
from dwsim_snowflake import patches
for patch in patches.PATCHES:
    for target in (*patch.replaces, *patch.uses):
        __import__(target.partition(":")[0])
before = snapshot()
from dwsim_snowflake.launcher import EmulatorConfig, build_app
build_app(EmulatorConfig("127.0.0.1", 0, Path(tempfile.mkdtemp()), "http://127.0.0.1:9",
                         "k", "s", "us-east-1"))
after = snapshot()
print(json.dumps(sorted(k for k in before if after.get(k) != before[k])))
"""


def test_the_registry_declares_every_name_the_patches_replace():
    """Start the emulator's app in a fresh process and diff fakesnow's names before and after."""
    done = subprocess.run(
        [sys.executable, "-c", _SNAPSHOT], capture_output=True, text=True, cwd=REPO, check=True
    )
    replaced = set(json.loads(done.stdout.strip().splitlines()[-1]))
    declared = {target for patch in patches.PATCHES for target in patch.replaces}
    assert replaced == declared


# --- the patches are still needed ------------------------------------------------------------


def test_aggregates_fakesnow_still_sums_numbers_as_floats(cur):
    cur.execute("CREATE TABLE p (amount NUMBER(12,2))")
    cur.execute("INSERT INTO p VALUES (0.1), (0.2), (0.7)")
    (total,) = cur.execute("SELECT SUM(amount) FROM p").fetchone()
    assert isinstance(total, float)
    assert not isinstance(total, Decimal)


def test_show_fakesnow_still_gives_terse_schemas_and_tables_without_rows(cur):
    cur.execute("SHOW SCHEMAS")
    assert [d[0] for d in cur.description] == [
        "created_on", "name", "kind", "database_name", "schema_name",
    ]  # fmt: skip
    assert "information_schema" in {row[1] for row in cur.fetchall()}
    cur.execute("CREATE TABLE r (x INT)")
    cur.execute("INSERT INTO r VALUES (1), (2)")
    cur.execute("SHOW TABLES LIKE 'R'")
    names = [d[0] for d in cur.description]
    assert cur.fetchone()[names.index("rows")] == 0


def test_constraints_fakesnow_still_enforces_primary_keys(cur):
    cur.execute("CREATE TABLE k (id INT PRIMARY KEY)")
    cur.execute("INSERT INTO k VALUES (1)")
    assert "Duplicate key" in _fails(cur, "INSERT INTO k VALUES (1)")


def test_info_schema_fakesnow_tables_view_still_lacks_views(cur):
    cur.execute("CREATE VIEW v1 AS SELECT 1 AS x")
    cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC'")
    assert cur.fetchall() == []


def test_temp_tables_fakesnow_still_refuses_qualified_temporary_tables(cur):
    assert "temp" in _fails(cur, "CREATE TEMPORARY TABLE DB.PUBLIC.tmp1 (x INT)")


def test_merge_fakesnow_still_finds_unqualified_insert_values_ambiguous(cur):
    cur.execute("CREATE TABLE tgt (a INT, b INT)")
    cur.execute("CREATE TABLE src (a INT, b INT)")
    sql = "MERGE INTO tgt USING src ON tgt.a = src.a WHEN NOT MATCHED THEN INSERT (a, b) VALUES (a, b)"
    assert "Ambiguous" in _fails(cur, sql)


def test_cursor_fakesnow_still_cannot_drop_a_database_nor_list_an_s3_stage(cur):
    cur.execute("CREATE DATABASE dbx")
    assert "DATABASE" in _fails(cur, "DROP DATABASE dbx")
    cur.execute("CREATE STAGE s1 URL='s3://bucket/x/'")
    assert cur.execute("LIST @s1").fetchall() == []


def test_cursor_fakesnow_create_database_still_leaves_the_session_where_it_was(cur):
    cur.execute("CREATE DATABASE made")
    assert cur.execute("SELECT CURRENT_DATABASE()").fetchall() == [("DB",)]


def test_column_comments_fakesnow_still_drops_them(cur):
    cur.execute("CREATE TABLE cc (a INT COMMENT 'inline', b INT)")
    cur.execute("ALTER TABLE cc ALTER COLUMN b COMMENT 'altered'")
    cur.execute("SELECT comment FROM information_schema.columns WHERE table_name = 'CC'")
    assert cur.fetchall() == [(None,), (None,)]


def test_column_comments_fakesnow_still_fails_to_describe_comment_on_column(cur):
    """It runs, but describing its result for the client ("DESCRIBE COMMENT ON ...", as the
    server does for every statement) fails."""
    cur.execute("CREATE TABLE cd (a INT)")
    cur.execute("COMMENT ON COLUMN cd.a IS 'x'")
    with pytest.raises(ProgrammingError, match="syntax error"):
        _ = cur.description


def test_table_comments_fakesnow_still_keeps_them_by_table_name(cur):
    cur.execute("CREATE TABLE tc (a INT) COMMENT = 'old'")
    cur.execute("DROP TABLE tc")
    cur.execute("CREATE TABLE tc (a INT)")
    cur.execute("SELECT comment FROM information_schema.tables WHERE table_name = 'TC'")
    assert cur.fetchall() == [("old",)]
    cur.execute("COMMENT ON TABLE no_such_table IS 'x'")  # answered, kept for a later table


def test_cursor_fakesnow_still_lets_duckdb_errors_escape(cur):
    """The server answers these with HTTP 500, which the connector retries for minutes."""
    with pytest.raises(Exception) as info:  # noqa: PT011
        cur.execute("SELECT * FROM read_parquet('/no/such/file.parquet')")
    assert not isinstance(info.value, ProgrammingError)


def test_copy_into_fakesnow_still_loads_part_of_a_failed_copy_and_rejects_pattern(cur, tmp_path):
    (tmp_path / "a.csv").write_text("1\n2\n")
    (tmp_path / "b.csv").write_text("3\nx\n")
    cur.execute("CREATE TABLE c (id INT)")
    _fails(cur, f"COPY INTO c FROM 'file://{tmp_path}/'")
    assert cur.execute("SELECT count(*) FROM c").fetchall() == [(2,)]
    assert "PATTERN" in _fails(cur, f"COPY INTO c FROM 'file://{tmp_path}/' PATTERN='.*a.csv'")


def test_host_files_fakesnow_still_reads_host_files(cur, tmp_path):
    (tmp_path / "host.csv").write_text("41\n42\n")
    cur.execute(f"SELECT * FROM read_csv('{tmp_path / 'host.csv'}')")
    assert cur.fetchall() == [(41,), (42,)]


def test_results_fakesnow_still_sends_null_timestamps_as_values():
    struct = fs_arrow.timestamp_to_sf_struct(pa.array([None, 1], pa.timestamp("ns")))
    assert struct.null_count == 0


def test_results_fakesnow_still_sends_variants_compact():
    table = pa.table({"V": pa.array(['{"a":1}'])})
    rowtype = [{"name": "V", "type": "variant", "precision": None, "scale": None, "length": None}]
    assert fs_server.to_sf(table, rowtype).column(0).to_pylist() == ['{"a":1}']
    with pytest.raises(NotImplementedError):  # the server answers SELECT [1, 2] with HTTP 500
        fs_server.describe_as_rowtype([("L", "INTEGER[]", "YES", None, None, None)])


def test_persistence_fakesnow_still_keeps_internal_stages_in_a_temporary_folder():
    assert Path(fs_stage.LOCAL_BUCKET_PATH).name.startswith("fakesnow_bucket_")


def test_cancel_fakesnow_still_ignores_the_abort_request():
    (route,) = [r for r in fs_server.routes if r.path == "/queries/v1/abort-request"]
    assert route.endpoint.__name__ == "<lambda>"
    assert "interrupt" not in inspect.getsource(route.endpoint)


def test_semantics_fakesnow_still_drops_formats_divides_by_zero_and_ignores_outer(cur):
    cur.execute("CREATE TABLE f (ts TIMESTAMP_NTZ, tags ARRAY)")
    cur.execute("INSERT INTO f SELECT '2024-03-05 10:11:12', ARRAY_CONSTRUCT()")
    assert cur.execute("SELECT TO_CHAR(ts, 'YYYY-MM') FROM f").fetchall() != [("2024-03",)]
    assert cur.execute("SELECT 1/0").fetchall() == [(float("inf"),)]
    outer = "SELECT v.value FROM f, LATERAL FLATTEN(input => f.tags, OUTER => TRUE) v"
    assert cur.execute(outer).fetchall() == []
    assert "ratio_to_report" in _fails(cur, "SELECT RATIO_TO_REPORT(1) OVER ()").lower()


def test_stage_formats_fakesnow_still_ignores_a_stages_file_format(cur):
    cur.execute("CREATE STAGE s FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)")
    folder = Path(fs_stage.internal_dir("DB.PUBLIC.S"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rows.csv").write_text("id\n1\n")
    cur.execute("CREATE TABLE t (id INT)")
    assert "id" in _fails(cur, "COPY INTO t FROM @s")  # the header was read as a row


def test_syntax_errors_fakesnow_still_passes_sqlglots_words(cur):
    assert "Line 1, Col:" in _fails(cur, "SELEC 1")


def test_session_fakesnow_still_drops_the_connections_warehouse():
    assert "warehouse" not in inspect.getsource(fs_server.login_request)
    assert (
        "current_warehouse"
        in _fails(FakeSnow().connect("DB", "PUBLIC").cursor(), "SELECT CURRENT_WAREHOUSE()").lower()
    )


def test_show_fakesnow_still_says_nullable_and_0_bytes_whatever_was_declared(cur):
    cur.execute("CREATE TABLE n (x INT NOT NULL)")
    cur.execute("INSERT INTO n VALUES (1)")
    cur.execute("SHOW COLUMNS IN TABLE n")
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    assert (row[names.index("null?")], '"nullable":true' in row[names.index("data_type")]) == (
        "false",
        True,
    )
    cur.execute("SHOW TABLES LIKE 'N'")
    names = [d[0] for d in cur.description]
    assert cur.fetchone()[names.index("bytes")] == 0


def test_catalog_writes_fakesnow_still_loses_char_lengths_and_fails_inside_begin(cur):
    cur.execute("CREATE TABLE c (code CHAR(5))")
    assert cur.execute("DESCRIBE TABLE c").fetchall()[0][1] == "VARCHAR(16777216)"
    cur.execute("BEGIN")
    assert "_fs_global" in _fails(cur, "CREATE TABLE v (label VARCHAR(10))")


def test_variables_fakesnow_still_reads_dollars_in_comments_and_strings(cur):
    assert "does not exist" in _fails(cur, "SELECT 1 -- costs $usd")
    assert "does not exist" in _fails(cur, "SELECT 'in $usd'")


def test_semantics_fakesnow_still_lacks_last_query_id_and_ignores_clauses_over_result_scan(cur):
    assert "last_query_id" in _fails(cur, "SELECT LAST_QUERY_ID()").lower()
    cur.execute("SELECT 1 AS x UNION ALL SELECT 2")
    scanned = f"SELECT * FROM TABLE(RESULT_SCAN('{cur.sfqid}')) WHERE x > 5"
    assert len(cur.execute(scanned).fetchall()) == 2
    no_database = FakeSnow().connect().cursor()
    assert no_database.execute("SELECT CURRENT_DATABASE()").fetchall() == [("memory",)]


def test_result_cache_fakesnow_still_keeps_every_result_for_good():
    instance = FakeSnow()
    cur = instance.connect("DB", "PUBLIC").cursor()
    for n in range(5):
        cur.execute(f"SELECT {n}")
    assert type(instance.results_cache) is dict
    assert len(instance.results_cache) == 5


def test_describe_fakesnow_still_reads_only_the_current_databases_columns():
    instance = FakeSnow()
    instance.connect("DB", "PUBLIC").cursor().execute("CREATE TABLE d (x INT)")
    other = instance.connect("OTHER", "PUBLIC").cursor()
    assert other.execute("DESCRIBE TABLE DB.PUBLIC.D").fetchall() == []  # silently no columns
    assert "_fs_columns" in _fails(instance.connect().cursor(), "DESCRIBE TABLE DB.PUBLIC.D")


def test_session_fakesnow_still_upper_cases_quoted_names_and_leaves_no_schema():
    instance = FakeSnow()
    instance.connect("DB", "PUBLIC")
    assert instance.connect("lower_db").database == "LOWER_DB"  # the login stripped the quotes
    database_only = instance.connect("DB")
    assert (database_only.schema, database_only.schema_set) == (None, False)
    used = instance.connect()
    used.cursor().execute("USE DATABASE DB")
    assert used.schema_set is False
    assert "USE" in _fails(instance.connect().cursor(), "USE DB")
    assert "USE" in _fails(instance.connect().cursor(), "-- a comment\nUSE DB")


def test_bad_requests_fakesnow_still_answers_a_malformed_body_with_a_traceback():
    from starlette.testclient import TestClient

    client = TestClient(fs_server.app, raise_server_exceptions=False)
    answer = client.post("/session/v1/login-request", content=b"{not json")
    assert answer.status_code == 500
    assert "Traceback" in answer.text


def test_idle_sessions_fakesnow_still_drops_a_session_only_at_logout():
    source = inspect.getsource(fs_server)
    assert source.count("del sessions[") == 1
    assert "del sessions[" in inspect.getsource(fs_server.session)  # the logout route


def test_locks_fakesnow_still_fails_a_delete_blocked_by_another_transaction_at_once():
    instance = FakeSnow()
    holder = instance.connect("DB", "PUBLIC").cursor()
    holder.execute("CREATE TABLE l AS SELECT range AS id FROM range(3)")
    holder.execute("BEGIN")
    holder.execute("DELETE FROM l")
    waiter = instance.connect("DB", "PUBLIC").cursor()
    assert "Conflict on tuple deletion" in _fails(waiter, "DELETE FROM l")


def test_locks_fakesnow_still_lacks_show_locks_show_transactions_and_abort_transaction(cur):
    assert "LOCKS does not exist" in _fails(cur, "SHOW LOCKS")
    assert "syntax error" in _fails(cur, "SHOW TRANSACTIONS IN ACCOUNT")
    failed = _fails(cur, "SELECT SYSTEM$ABORT_TRANSACTION(1)")
    assert "system$abort_transaction does not exist" in failed.lower()
    assert "NAME" in _fails(cur, "BEGIN TRANSACTION NAME nightly_load")  # DuckDB has no names


def test_idle_sessions_fakesnow_still_answers_an_unknown_session_with_401():
    """The connector, sending a statement without retries, turns it into KeyError: 'success'."""
    from starlette.testclient import TestClient

    client = TestClient(fs_server.app, raise_server_exceptions=False)
    answer = client.post(
        "/queries/v1/query-request",
        headers={"Authorization": 'Snowflake Token="gone"'},
        json={"sqlText": "SELECT 1"},
    )
    assert (answer.status_code, answer.json()["code"]) == (401, "390104")
