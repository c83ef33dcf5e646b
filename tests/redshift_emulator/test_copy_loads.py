"""COPY as production writes it: JSONPaths files, JSON 'noshred', ORC, FIXEDWIDTH, TRIMBLANKS,
and what a load leaves behind (stl_load_commits, pg_last_copy_id(), svv_table_info), from moto
S3 into real PostgreSQL."""

import io
import json

import pyarrow as pa
import pyarrow.orc as orc
import pytest

from dwsim_redshift.copy import CopyError, run_copy
from tests.redshift_emulator.copy_helpers import load_errors

ROLE = "IAM_ROLE 'arn:aws:iam::1:role/x'"


def _copy(session, settings, table: str, url: str, options: str):
    return run_copy(f"COPY {table} FROM '{url}' {ROLE} {options}", session, settings)


def test_jsonpaths_file_maps_paths_to_columns_in_order(session, stage, rs_settings):
    session.execute("CREATE TABLE t (id int, city varchar(20), first_tag varchar(5), extra jsonb)")
    paths = stage.put(
        "meta/paths.json",
        json.dumps({"jsonpaths": ["$['id']", "$.address.city", "$.tags[0]", "$.extra"]}),
    )
    url = stage.put(
        "d/1.json",
        '{"id": 1, "address": {"city": "Oslo"}, "tags": ["a", "b"], "extra": {"k": 1}}\n'
        '{"id": 2, "address": {}, "tags": [], "extra": "text"}\n'
        '{"id": 3,\n "address": {"city": "Lima"},\n "extra": null}',
    )
    result = _copy(session, rs_settings, "t", url, f"FORMAT AS JSON '{paths}'")
    assert result.rows == 3
    assert session.execute("SELECT * FROM t ORDER BY id") == [
        (1, "Oslo", "a", {"k": 1}),
        (2, None, None, "text"),  # a JSON string loads into SUPER as a string
        (3, "Lima", None, None),
    ]


def test_jsonpaths_read_json_arrays_by_index(session, stage, rs_settings):
    session.execute("CREATE TABLE t (id int, name text)")
    paths = stage.put("meta/p.json", '{"jsonpaths": ["$[0]", "$[1]"]}')
    url = stage.put("d/1.json", '[1, "one"]\n[2, "two"]\n')
    _copy(session, rs_settings, "t", url, f"JSON '{paths}'")
    assert session.execute("SELECT * FROM t ORDER BY id") == [(1, "one"), (2, "two")]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '{"jsonpaths": ["$.a"]}',
            "JSONPath size: 1, Number of columns in table or column list: 2",
        ),
        ('{"paths": ["$.a", "$.b"]}', 'expected an object with a "jsonpaths" array'),
        ('{"jsonpaths": ["$.a", "$.b[*]"]}', "wildcards and filters are not supported"),
    ],
)
def test_bad_jsonpaths_file_says_what_is_wrong(body, message, session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int, b int)")
    paths = stage.put("meta/p.json", body)
    url = stage.put("d/1.json", '{"a": 1, "b": 2}')
    with pytest.raises(CopyError, match=message.replace("[", r"\[").replace("*", r"\*")):
        _copy(session, rs_settings, "t", url, f"JSON '{paths}'")


def test_json_auto_loads_a_string_into_super_as_a_string(session, stage, rs_settings):
    session.execute("CREATE TABLE t (id int, v jsonb)")
    url = stage.put("d/1.json", '{"id": 1, "v": "plain"}\n{"id": 2, "v": [1, {"x": true}]}\n')
    _copy(session, rs_settings, "t", url, "JSON 'auto'")
    assert session.execute("SELECT id, v FROM t ORDER BY id") == [
        (1, "plain"),
        (2, [1, {"x": True}]),
    ]


def test_json_noshred_loads_each_document_whole(session, stage, rs_settings):
    session.execute("CREATE TABLE t (doc jsonb)")
    url = stage.put("d/1.json", '{"a": 1, "b": [2]}\n{"c": null}')
    _copy(session, rs_settings, "t", url, "FORMAT JSON 'noshred'")
    assert session.execute("SELECT doc FROM t ORDER BY doc::text") == [
        ({"a": 1, "b": [2]},),
        ({"c": None},),
    ]
    session.execute("CREATE TABLE two (a int, b jsonb)")
    with pytest.raises(CopyError, match="one SUPER column"):
        _copy(session, rs_settings, "two", url, "FORMAT JSON 'noshred'")


def test_orc_maps_columns_by_position(session, stage, rs_settings):
    session.execute("CREATE TABLE t (id bigint, name varchar(10), amount numeric(8,2), tags jsonb)")
    table = pa.table(
        {
            "x": pa.array([1, 2], pa.int64()),
            "y": ["a", None],
            "z": pa.array([1.5, -2.25]),
            "w": pa.array([[1, 2], []], pa.list_(pa.int64())),
        }
    )
    sink = io.BytesIO()
    orc.write_table(table, sink)
    url = stage.put("d/part.orc", sink.getvalue())
    result = _copy(session, rs_settings, "t", url, "FORMAT AS ORC SERIALIZETOJSON")
    assert result.rows == 2
    rows = session.execute("SELECT id, name, amount::text, tags FROM t ORDER BY id")
    assert rows == [(1, "a", "1.50", [1, 2]), (2, None, "-2.25", [])]


def test_orc_with_the_wrong_column_count_names_the_file(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    sink = io.BytesIO()
    orc.write_table(pa.table({"a": [1], "b": [2]}), sink)
    url = stage.put("d/part.orc", sink.getvalue())
    with pytest.raises(CopyError, match="Table columns: 1, Data columns: 2"):
        _copy(session, rs_settings, "t", url, "ORC")


def test_fixedwidth_cuts_fields_by_width(session, stage, rs_settings):
    session.execute("CREATE TABLE venue (id int, name varchar(25), state char(2), seats int)")
    text = (
        "header line is skipped......................\n"
        "  1Toyota Park              IL00000\n"
        "002Gillette Stadium         MA68756\n"
    )
    url = stage.put("d/venue.txt", text)
    spec = "venueid:3,venuename:25,venuestate:2,venueseats:5"
    result = _copy(session, rs_settings, "venue", url, f"FIXEDWIDTH '{spec}' IGNOREHEADER 1")
    assert result.rows == 2
    assert session.execute("SELECT id, name, state, seats FROM venue ORDER BY id") == [
        (1, "Toyota Park              ", "IL", 0),  # VARCHAR keeps its padding...
        (2, "Gillette Stadium         ", "MA", 68756),
    ]
    session.execute("TRUNCATE venue")
    _copy(session, rs_settings, "venue", url, f"FIXEDWIDTH AS '{spec}' IGNOREHEADER 1 TRIMBLANKS")
    names = session.execute("SELECT name FROM venue ORDER BY id")
    assert names == [("Toyota Park",), ("Gillette Stadium",)]  # ...unless TRIMBLANKS


def test_fixedwidth_line_of_the_wrong_length_is_a_load_error(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int, b varchar(3))")
    url = stage.put("d/1.txt", "01abc\n02ab\n")
    with pytest.raises(CopyError, match="stl_load_errors"):
        _copy(session, rs_settings, "t", url, "FIXEDWIDTH 'a:2,b:3'")
    err = load_errors(session, "t")[0]
    assert (err["line"], err["code"]) == (2, 1203)
    assert "does not match the fixedwidth_spec (5 characters)" in err["reason"]
    _copy(session, rs_settings, "t", url, "FIXEDWIDTH 'a:2,b:3' FILLRECORD")
    assert session.execute("SELECT * FROM t ORDER BY a") == [(1, "abc"), (2, "ab")]


def test_bad_fixedwidth_spec_is_refused_before_loading(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    url = stage.put("d/1.txt", "1\n")
    with pytest.raises(CopyError, match="Invalid fixedwidth_spec 'a:x'"):
        _copy(session, rs_settings, "t", url, "FIXEDWIDTH 'a:x'")


@pytest.mark.parametrize(
    ("options", "word"),
    [("FORMAT AS AVRO 'auto'", "FORMAT AVRO"), ("LZOP", "LZOP"), ("SHAPEFILE", "FORMAT SHAPEFILE")],
)
def test_what_the_emulator_cannot_read_is_refused_as_an_emulator_limit(
    options, word, session, stage, rs_settings
):
    session.execute("CREATE TABLE t (a int)")
    url = stage.put("d/1", "1\n")
    with pytest.raises(CopyError) as info:
        _copy(session, rs_settings, "t", url, options)
    assert str(info.value).startswith(f"{word} is not supported by the dw-sim Redshift emulator")
    assert "emulator limit" in str(info.value)
    assert info.value.sqlstate == "0A000"


def test_compupdate_and_statupdate_are_accepted(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    url = stage.put("d/1.csv", "1\n2\n")
    _copy(session, rs_settings, "t", url, "CSV COMPUPDATE OFF STATUPDATE ON")
    _copy(session, rs_settings, "t", url, "CSV COMPUPDATE PRESET STATUPDATE")
    assert session.execute("SELECT count(*) FROM t") == [(4,)]


def test_a_load_is_in_stl_load_commits_and_svv_table_info_at_once(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    first = stage.put("d/1.csv", "1\n2\n3\n")
    second = stage.put("d/2.csv", "4\nx\n")
    _copy(session, rs_settings, "t", stage.url("d/"), "CSV MAXERROR 1")
    query = session.execute("SELECT dwsim_rs.pg_last_copy_id()")[0][0]
    commits = session.execute(
        "SELECT rtrim(filename), lines_scanned, errors, rtrim(name) FROM dwsim_rs.stl_load_commits"
        f" WHERE query = {query} ORDER BY filename"
    )
    assert commits == [(first, 3, 0, "t"), (second, 2, 1, "t")]
    errors = session.execute(
        f"SELECT line_number FROM dwsim_rs.stl_load_errors WHERE query = {query}"
    )
    assert errors == [(2,)]  # the skipped row, under the same query id
    info = session.execute(
        "SELECT tbl_rows, estimated_visible_rows FROM dwsim_rs.svv_table_info WHERE table_id = "
        "'t'::regclass::oid"
    )
    assert info == [(4, 4)]  # no ANALYZE needed


def test_a_rolled_back_load_leaves_no_commit_row(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    url = stage.put("d/1.csv", "1\n")
    session.execute("BEGIN")
    _copy(session, rs_settings, "t", url, "CSV")
    query = session.execute("SELECT dwsim_rs.pg_last_copy_id()")[0][0]
    session.execute("ROLLBACK")
    rows = session.execute(f"SELECT count(*) FROM dwsim_rs.stl_load_commits WHERE query = {query}")
    assert rows == [(0,)]
