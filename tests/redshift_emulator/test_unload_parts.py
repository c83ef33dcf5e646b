"""UNLOAD as production writes it: MAXFILESIZE parts, PARALLEL OFF, FORMAT JSON, PARTITION BY
folders, MANIFEST VERBOSE, EXTENSION, and the option combinations Redshift refuses."""

import io
import json

import pyarrow.parquet as pq
import pytest

from dwsim_redshift.copy import CopyError, run_copy, run_unload

ROLE = "IAM_ROLE 'arn:aws:iam::1:role/x'"
ROWS = 250_000  # ~12 MB of text: three parts of at most 5 MB


@pytest.fixture
def big(session):
    session.execute(
        "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS label, (g % 3) AS grp "
        f"FROM generate_series(1, {ROWS}) AS g"
    )
    return session


def _unload(session, settings, query: str, url: str, options: str):
    return run_unload(f"UNLOAD ('{query}') TO '{url}' {ROLE} {options}", session, settings)


@pytest.mark.parametrize(
    ("options", "limit", "name"),
    [
        ("MAXFILESIZE 5 MB", 5 << 20, "big_0000_part_{:02d}"),
        ("MAXFILESIZE AS 5 PARALLEL OFF", 5 << 20, "big_{:03d}"),
        ("FORMAT CSV MAXFILESIZE 0.005 GB HEADER", int(0.005 * (1 << 30)), "big_0000_part_{:02d}"),
    ],
)
def test_maxfilesize_splits_rows_into_numbered_parts(options, limit, name, big, stage, rs_settings):
    result = _unload(big, rs_settings, "select * from big", stage.url("out/big_"), options)
    keys = stage.keys("out/")
    assert len(keys) >= 2
    assert keys == [f"out/{name.format(i)}" for i in range(len(keys))]
    assert result.rows == ROWS
    total = 0
    for key in keys:
        body = stage.get(key)
        assert limit - 100 <= len(body) <= limit or key == keys[-1]  # full parts, then the rest
        assert body.endswith(b"\n")
        total += body.count(b"\n") - (1 if "HEADER" in options else 0)
        if "HEADER" in options:
            assert body.startswith(b"id,label,grp\n")  # every part has the header
    assert total == ROWS
    if "PARALLEL OFF" in options:
        return
    big.execute("CREATE TABLE back (id int, label text, grp int)")
    copy_options = "CSV IGNOREHEADER 1" if "CSV" in options else ""
    run_copy(f"COPY back FROM '{stage.url('out/big_')}' {ROLE} {copy_options}", big, rs_settings)
    assert big.execute("SELECT count(*), sum(id) FROM back") == [(ROWS, ROWS * (ROWS + 1) // 2)]


def test_parquet_parts_stay_under_maxfilesize(big, stage, rs_settings):
    _unload(big, rs_settings, "select * from big", stage.url("pq/"), "PARQUET MAXFILESIZE 5 MB")
    keys = stage.keys("pq/")
    assert len(keys) >= 2
    assert all(k.endswith(".parquet") for k in keys)
    rows = sum(pq.read_metadata(io.BytesIO(stage.get(k))).num_rows for k in keys)
    assert rows == ROWS
    assert all(len(stage.get(k)) <= 5 << 20 for k in keys)


def test_json_format_writes_one_object_per_line(session, stage, rs_settings):
    session.execute(
        "CREATE TABLE j (id int, name text, amount numeric(6,2), day date, at timestamp, doc jsonb)"
    )
    session.execute(
        "INSERT INTO j VALUES (1, 'a \"q\"', 1.50, '2024-01-02', '2024-01-02 03:04:05', "
        "'{\"k\": [1, 2]}'), (2, NULL, NULL, NULL, NULL, NULL)"
    )
    _unload(
        session,
        rs_settings,
        "select * from j order by id",
        stage.url("j/"),
        "FORMAT JSON PARALLEL OFF",
    )
    lines = stage.get("j/000").decode().splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "id": 1,
            "name": 'a "q"',
            "amount": 1.5,
            "day": "2024-01-02",
            "at": "2024-01-02 03:04:05",
            "doc": {"k": [1, 2]},
        },
        {"id": 2, "name": None, "amount": None, "day": None, "at": None, "doc": None},
    ]
    session.execute("CREATE TABLE j2 (LIKE j)")
    run_copy(f"COPY j2 FROM '{stage.url('j/')}' {ROLE} JSON 'auto'", session, rs_settings)
    assert session.execute("SELECT count(*) FROM j2 WHERE doc = '{\"k\": [1, 2]}'") == [(1,)]


def test_partition_by_writes_hive_folders(session, stage, rs_settings):
    session.execute("CREATE TABLE sales (id int, region text, day date, amount int)")
    session.execute(
        "INSERT INTO sales VALUES (1, 'eu', '2024-01-01', 10), (2, 'eu', '2024-01-02', 20),"
        " (3, 'us/east', '2024-01-01', 30), (4, NULL, '2024-01-01', 40)"
    )
    _unload(
        session,
        rs_settings,
        "select * from sales",
        stage.url("p/sales_"),
        "FORMAT PARQUET PARTITION BY (region, day)",
    )
    assert stage.keys("p/") == [
        "p/region=__HIVE_DEFAULT_PARTITION__/day=2024-01-01/sales_0000_part_00.parquet",
        "p/region=eu/day=2024-01-01/sales_0000_part_00.parquet",
        "p/region=eu/day=2024-01-02/sales_0000_part_00.parquet",
        "p/region=us%2Feast/day=2024-01-01/sales_0000_part_00.parquet",
    ]
    part = pq.read_table(
        io.BytesIO(stage.get("p/region=eu/day=2024-01-02/sales_0000_part_00.parquet"))
    )
    assert part.to_pylist() == [{"id": 2, "amount": 20}]  # partition columns left out


def test_partition_by_include_keeps_the_columns(session, stage, rs_settings):
    session.execute("CREATE TABLE s (id int, grp int)")
    session.execute("INSERT INTO s VALUES (1, 7), (2, 7)")
    _unload(
        session,
        rs_settings,
        "select * from s",
        stage.url("i/"),
        "CSV PARTITION BY (grp) INCLUDE PARALLEL OFF",
    )
    assert stage.keys("i/") == ["i/grp=7/000"]
    assert sorted(stage.get("i/grp=7/000").decode().splitlines()) == ["1,7", "2,7"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("PARTITION BY (nope)", "Partition column 'nope' is not a column"),
        ("PARTITION BY (id)", "at least one column that is not a partition column"),
        ("PARQUET HEADER", "HEADER option cannot be used with PARQUET format"),
        ("FORMAT JSON DELIMITER ','", "DELIMITER option cannot be used with JSON format"),
        ("VERBOSE", "VERBOSE can only be used with MANIFEST"),
        ("MAXFILESIZE 1 MB", "MAXFILESIZE must be between 5 MB and 6.2 GB"),
        ("FIXEDWIDTH 'a:1'", "UNLOAD FIXEDWIDTH is not supported by the dw-sim Redshift emulator"),
    ],
)
def test_refused_unload_options_say_why(options, message, session, stage, rs_settings):
    session.execute("CREATE TABLE s (id int)")
    with pytest.raises(CopyError, match=message):
        _unload(session, rs_settings, "select id from s", stage.url("x/"), options)
    assert stage.keys("x/") == []


def test_manifest_verbose_lists_rows_schema_and_author(session, stage, rs_settings):
    session.execute("CREATE TABLE s (id int, name varchar(10))")
    session.execute("INSERT INTO s VALUES (1, 'a'), (2, 'b')")
    _unload(
        session,
        rs_settings,
        "select * from s",
        stage.url("m/s_"),
        "MANIFEST VERBOSE EXTENSION 'txt' GZIP",
    )
    assert stage.keys("m/") == ["m/s_0000_part_00.txt.gz", "m/s_manifest"]
    manifest = json.loads(stage.get("m/s_manifest"))
    size = len(stage.get("m/s_0000_part_00.txt.gz"))
    assert manifest == {
        "entries": [
            {
                "url": stage.url("m/s_0000_part_00.txt.gz"),
                "meta": {"content_length": size, "record_count": 2},
            }
        ],
        "schema": {
            "elements": [
                {"name": "id", "type": {"base": "integer"}},
                {"name": "name", "type": {"base": "character varying"}},
            ]
        },
        "meta": {"content_length": size, "record_count": 2},
        "author": {"name": "Amazon Redshift", "version": "1.0.0"},
    }
