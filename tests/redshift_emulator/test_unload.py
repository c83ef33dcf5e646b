"""UNLOAD to moto S3 from real PostgreSQL: file names, formats, overwrite rules, round trips."""

import datetime as dt
import gzip
import io
import json
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from dwsim_redshift.copy import CopyError, run_copy, run_unload

ROWS = [
    (
        1,
        "plain",
        Decimal("1.50"),
        dt.date(2024, 1, 2),
        dt.datetime(2024, 1, 2, 3, 4, 5, 600000),
        True,
    ),
    (2, 'comma, "quote" | pipe', Decimal("-7.25"), None, None, False),
    (3, None, None, dt.date(1999, 12, 31), dt.datetime(1970, 1, 1), None),
]
DDL = "id int, label varchar(40), amount numeric(10,2), day date, at timestamp, flag boolean"


@pytest.fixture
def source(session):
    session.execute(f"CREATE TABLE src ({DDL})")
    session.execute(f"CREATE TABLE dst ({DDL})")
    session.execute(
        "INSERT INTO src VALUES (1, 'plain', 1.5, '2024-01-02', '2024-01-02 03:04:05.6', true),"
        " (2, 'comma, \"quote\" | pipe', -7.25, NULL, NULL, false),"
        " (3, NULL, NULL, '1999-12-31', '1970-01-01', NULL)"
    )
    return session


@pytest.mark.parametrize(
    ("unload_options", "copy_options", "key"),
    [
        pytest.param(
            "FORMAT AS PARQUET", "FORMAT AS PARQUET", "out/src_0000_part_00.parquet", id="parquet"
        ),
        pytest.param(
            "FORMAT AS CSV HEADER PARALLEL OFF",
            "CSV IGNOREHEADER 1 EMPTYASNULL",
            "out/src_000",
            id="csv-header",
        ),
        pytest.param(
            "FORMAT CSV GZIP", "CSV GZIP EMPTYASNULL", "out/src_0000_part_00.gz", id="csv-gzip"
        ),
        pytest.param(
            "FORMAT AS PARQUET PARALLEL OFF", "PARQUET", "out/src_000.parquet", id="parquet-serial"
        ),
    ],
)
def test_unload_then_copy_round_trip(unload_options, copy_options, key, source, stage, rs_settings):
    result = run_unload(
        f"UNLOAD ('SELECT * FROM src ORDER BY id') TO '{stage.url('out/src_')}' "
        f"IAM_ROLE 'arn:aws:iam::1:role/x' {unload_options}",
        source,
        rs_settings,
    )
    assert result.rows == 3
    assert result.files == [stage.url(key)]
    assert stage.keys("out/") == [key]
    run_copy(f"COPY dst FROM '{stage.url('out/src_')}' {copy_options}", source, rs_settings)
    assert source.execute("SELECT * FROM dst ORDER BY id") == ROWS


def test_unload_text_default_is_pipe_delimited(source, stage, rs_settings):
    run_unload(
        f"UNLOAD ('select id, label from src where id = 1') TO '{stage.url('t/x_')}' IAM_ROLE default PARALLEL OFF",
        source,
        rs_settings,
    )
    assert stage.get("t/x_000") == b"1|plain\n"


def test_unload_query_with_doubled_quotes(source, stage, rs_settings):
    run_unload(
        f"UNLOAD ('select label from src where label = ''plain''') TO '{stage.url('q/x_')}' "
        "IAM_ROLE default FORMAT CSV PARALLEL OFF",
        source,
        rs_settings,
    )
    assert stage.get("q/x_000") == b"plain\n"


def test_unload_parquet_keeps_types(source, stage, rs_settings):
    run_unload(
        f"UNLOAD ('select * from src') TO '{stage.url('p/')}' IAM_ROLE default FORMAT PARQUET",
        source,
        rs_settings,
    )
    table = pq.read_table(io.BytesIO(stage.get("p/0000_part_00.parquet")))
    assert [str(f.type) for f in table.schema] == [
        "int32",
        "string",
        "decimal128(38, 2)",
        "date32[day]",
        "timestamp[us]",
        "bool",
    ]


def test_existing_files_need_allowoverwrite(source, stage, rs_settings):
    sql = f"UNLOAD ('select id from src') TO '{stage.url('o/run_')}' IAM_ROLE default FORMAT CSV"
    run_unload(sql, source, rs_settings)
    with pytest.raises(CopyError, match="Specified unload destination on S3 is not empty"):
        run_unload(sql, source, rs_settings)
    source.execute("DELETE FROM src WHERE id = 1")
    result = run_unload(sql + " ALLOWOVERWRITE", source, rs_settings)
    assert result.rows == 2
    assert stage.get("o/run_0000_part_00") == b"2\n3\n"


def test_cleanpath_removes_what_was_there(source, stage, rs_settings):
    stage.put("c/run_old_file", "stale")
    run_unload(
        f"UNLOAD ('select id from src') TO '{stage.url('c/run_')}' IAM_ROLE default CSV PARALLEL OFF CLEANPATH",
        source,
        rs_settings,
    )
    assert stage.keys("c/") == ["c/run_000"]


def test_manifest_lists_the_files_and_copy_can_use_it(source, stage, rs_settings):
    result = run_unload(
        f"UNLOAD ('select * from src') TO '{stage.url('m/src_')}' IAM_ROLE default FORMAT PARQUET MANIFEST",
        source,
        rs_settings,
    )
    manifest = json.loads(stage.get("m/src_manifest"))
    assert [e["url"] for e in manifest["entries"]] == result.files
    assert manifest["entries"][0]["meta"]["content_length"] == len(
        stage.get("m/src_0000_part_00.parquet")
    )
    run_copy(
        f"COPY dst FROM '{stage.url('m/src_manifest')}' FORMAT AS PARQUET MANIFEST",
        source,
        rs_settings,
    )
    assert source.execute("SELECT count(*) FROM dst") == [(3,)]


def test_unload_gzip_text_is_readable(source, stage, rs_settings):
    run_unload(
        f"UNLOAD ('select id from src order by id') TO '{stage.url('g/')}' IAM_ROLE default GZIP PARALLEL OFF",
        source,
        rs_settings,
    )
    assert gzip.decompress(stage.get("g/000.gz")) == b"1\n2\n3\n"


def test_unload_bad_query_reports_the_backend_error(source, stage, rs_settings):
    with pytest.raises(CopyError, match='relation "nope" does not exist'):
        run_unload(
            f"UNLOAD ('select * from nope') TO '{stage.url('e/')}' IAM_ROLE default",
            source,
            rs_settings,
        )
    assert stage.keys("e/") == []


def test_parquet_unload_streams_in_batches_with_one_numeric_scale(
    session, stage, rs_settings, monkeypatch
):
    from dwsim_redshift.copy import unload_files

    monkeypatch.setattr(unload_files, "CSV_BLOCK", 4096)  # many batches from a small result
    session.execute("CREATE TABLE big (id int, amount numeric, note text)")
    session.execute(
        "INSERT INTO big SELECT g, CASE WHEN g = 3000 THEN 1.23456 ELSE g END, repeat('x', g % 50)"
        " FROM generate_series(1, 3000) g"
    )
    result = run_unload(
        f"UNLOAD ('select * from big') TO '{stage.url('b/')}' IAM_ROLE default PARQUET",
        session,
        rs_settings,
    )
    assert result.rows == 3000
    table = pq.read_table(io.BytesIO(stage.get("b/0000_part_00.parquet")))
    assert str(table.schema.field("amount").type) == "decimal128(38, 5)"
    assert table.column("amount").to_pylist()[-1] == Decimal("1.23456")
    assert table.column("amount").to_pylist()[0] == Decimal("1")


@pytest.mark.parametrize(("option", "suffix"), [("BZIP2", ".bz2"), ("ZSTD", ".zst")])
def test_unload_compressed_then_copy(option, suffix, source, stage, rs_settings):
    run_unload(
        f"UNLOAD ('select * from src') TO '{stage.url('z/')}' IAM_ROLE default CSV {option}",
        source,
        rs_settings,
    )
    assert stage.keys("z/") == [f"z/0000_part_00{suffix}"]
    run_copy(f"COPY dst FROM '{stage.url('z/')}' CSV {option} EMPTYASNULL", source, rs_settings)
    assert source.execute("SELECT * FROM dst ORDER BY id") == ROWS
