"""COPY of Parquet and the binary encoder, and how a COPY finds its table, columns and files
(real PostgreSQL and moto S3)."""

import datetime as dt
import uuid
from decimal import Decimal

import pyarrow as pa
import pytest

from dwsim_redshift.copy import run_copy

UTC = dt.UTC


PARQUET_DDL = (
    "i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision, n numeric(18,4), "
    "big numeric(38,6), b boolean, d date, ts timestamp, tz timestamptz, s varchar(10), "
    "t text, j jsonb, u uuid, by bytea"
)


def _parquet_table() -> pa.Table:
    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    return pa.table(
        {
            "a": pa.array([-32768, 32767, None], pa.int16()),
            "b": pa.array([-(2**31), 2**31 - 1, None], pa.int32()),
            "c": pa.array([-(2**63), 2**63 - 1, None], pa.int64()),
            "d": pa.array([1.5, -0.25, None], pa.float32()),
            "e": pa.array([3.141592653589793, -1e300, None], pa.float64()),
            "f": pa.array(
                [Decimal("12345678901234.5678"), Decimal("-0.0001"), None], pa.decimal128(18, 4)
            ),
            "g": pa.array(
                [Decimal("12345678901234567890123456789012.123456"), Decimal("-1.000001"), None],
                pa.decimal128(38, 6),
            ),
            "h": pa.array([True, False, None]),
            "i": pa.array([dt.date(1, 1, 1), dt.date(9999, 12, 31), None], pa.date32()),
            "j": pa.array(
                [dt.datetime(1999, 12, 31, 23, 59, 59, 999999), dt.datetime(2000, 1, 1), None],
                pa.timestamp("us"),
            ),
            "k": pa.array(
                [
                    dt.datetime(2024, 6, 1, 12, 0, tzinfo=UTC),
                    dt.datetime(1970, 1, 1, tzinfo=UTC),
                    None,
                ],
                pa.timestamp("ms", "UTC"),
            ),
            "l": pa.array(["héllo", "", None]),
            "m": pa.array(["x" * 1000, "line\nbreak\ttab", None]),
            "n": pa.array(['{"a": [1, {"b": null}]}', "3", None]),
            "o": pa.array([str(u), "00000000-0000-0000-0000-000000000000", None]),
            "p": pa.array([b"\x00\xff\x10", b"", None]),
        }
    )


def test_copy_parquet_maps_columns_by_position_for_every_common_type(session, stage, rs_settings):
    session.execute(f"CREATE TABLE t ({PARQUET_DDL})")
    table = _parquet_table()
    stage.put_parquet("data/t/part-00000.parquet", table)
    stage.put_parquet("data/t/part-00001.parquet", table)
    result = run_copy(
        f"COPY t FROM '{stage.url('data/t/')}' IAM_ROLE 'x' FORMAT AS PARQUET", session, rs_settings
    )
    assert (result.rows, result.files) == (6, 2)
    rows = session.execute(
        "SELECT i2, i4, i8, f4, f8, n::text, big::text, b, d, ts, tz, s, t, j, u::text,"
        " encode(by, 'hex') FROM t ORDER BY i2 NULLS LAST"
    )
    first, second, nulls = rows[0], rows[2], rows[4]
    assert first == (
        -32768,
        -(2**31),
        -(2**63),
        1.5,
        3.141592653589793,
        "12345678901234.5678",
        "12345678901234567890123456789012.123456",
        True,
        dt.date(1, 1, 1),
        dt.datetime(1999, 12, 31, 23, 59, 59, 999999),
        dt.datetime(2024, 6, 1, 12, tzinfo=UTC),
        "héllo",
        "x" * 1000,
        {"a": [1, {"b": None}]},
        "12345678-1234-5678-1234-567812345678",
        "00ff10",
    )
    assert second == (
        32767,
        2**31 - 1,
        2**63 - 1,
        -0.25,
        -1e300,
        "-0.0001",
        "-1.000001",
        False,
        dt.date(9999, 12, 31),
        dt.datetime(2000, 1, 1),
        dt.datetime(1970, 1, 1, tzinfo=UTC),
        "",
        "line\nbreak\ttab",
        3,
        "00000000-0000-0000-0000-000000000000",
        "",
    )
    assert nulls == (None,) * 16


def test_copy_column_list_maps_file_columns_to_named_columns(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int, b text, c int DEFAULT 7)")
    stage.put_parquet(
        "p/x.parquet", pa.table({"first": ["one", "two"], "second": pa.array([1, 2], pa.int32())})
    )
    run_copy(f"COPY t (b, a) FROM '{stage.url('p/')}' FORMAT AS PARQUET", session, rs_settings)
    assert session.execute("SELECT a, b, c FROM t ORDER BY a") == [(1, "one", 7), (2, "two", 7)]


def test_prefix_matches_every_key_that_starts_with_it(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    stage.put("orders/1.csv", "1\n")
    stage.put("orders_2024/1.csv", "2\n")
    stage.put("other/1.csv", "3\n")
    result = run_copy(f"COPY t FROM '{stage.url('orders')}' CSV", session, rs_settings)
    assert result.files == 2
    assert session.execute("SELECT a FROM t ORDER BY a") == [(1,), (2,)]


def test_manifest_lists_the_files_to_load(session, stage, rs_settings):
    session.execute("CREATE TABLE t (a int)")
    one, two = stage.put("m/1.csv", "1\n"), stage.put("m/2.csv", "2\n")
    stage.put("m/3.csv", "3\n")  # not in the manifest
    missing_optional = stage.url("m/gone.csv")
    stage.put(
        "m.manifest",
        f'{{"entries": [{{"url": "{one}", "mandatory": true}}, {{"url": "{two}", "mandatory": true}}, {{"url": "{missing_optional}", "mandatory": false}}]}}',
    )
    result = run_copy(f"COPY t FROM '{stage.url('m.manifest')}' CSV MANIFEST", session, rs_settings)
    assert result.files == 2
    assert session.execute("SELECT a FROM t ORDER BY a") == [(1,), (2,)]


def test_temp_table_and_search_path_resolve_like_the_clients_sql(session, stage, rs_settings):
    session.execute("CREATE TEMP TABLE staging (a int)")
    stage.put("s/1.csv", "5\n")
    run_copy(f"COPY #staging FROM '{stage.url('s/')}' CSV", session, rs_settings)
    assert session.execute("SELECT a FROM staging") == [(5,)]


def test_identity_column_is_generated_when_the_file_leaves_it_out(session, stage, rs_settings):
    session.execute("CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY, name text)")
    stage.put_parquet("without/x.parquet", pa.table({"name": ["a", "b"]}))
    stage.put_parquet("with/x.parquet", pa.table({"id": [100], "name": ["c"]}))
    run_copy(f"COPY t FROM '{stage.url('without/')}' FORMAT AS PARQUET", session, rs_settings)
    run_copy(
        f"COPY t FROM '{stage.url('with/')}' FORMAT AS PARQUET EXPLICIT_IDS", session, rs_settings
    )
    assert session.execute("SELECT id, name FROM t ORDER BY name") == [
        (1, "a"),
        (2, "b"),
        (100, "c"),
    ]


@pytest.mark.parametrize("extra", ["", ", later interval"], ids=["binary", "csv-path"])
def test_unconstrained_numeric_keeps_the_digits_it_was_given(extra, session, stage, rs_settings):
    session.execute(f"CREATE TABLE t (id int, n numeric, f numeric{extra})")
    stage.put(
        "n/1.csv", "1,1.5,0.1\n2,10,2.25\n3,-0.001,\n".replace("\n", ",\n" if extra else "\n")
    )
    run_copy(f"COPY t FROM '{stage.url('n/1.csv')}' CSV", session, rs_settings)
    table = pa.table({"id": [4], "n": [0.1], "f": [1e-3]})
    if extra:
        table = table.append_column("later", pa.array([None], pa.string()))
    stage.put_parquet("p/1.parquet", table)
    run_copy(f"COPY t FROM '{stage.url('p/')}' PARQUET", session, rs_settings)
    rows = session.execute("SELECT n::text, f::text FROM t ORDER BY id")
    assert rows == [("1.5", "0.1"), ("10", "2.25"), ("-0.001", None), ("0.1", "0.001")]


@pytest.mark.parametrize(
    ("precision", "scale", "values"),
    [
        (4, 0, ["0", "9999", "-9999", "10"]),
        (5, 1, ["0.1", "-0.1", "9999.9", "1000.0", "0.0"]),
        (12, 5, ["1.00001", "-1234567.89012", "0.00001", "10000.00000"]),
        (18, 8, ["1234567890.12345678", "-0.00000001", "99999999.99999999"]),
        (19, 0, ["9223372036854775807", "-9223372036854775808", "1000000000000000000"]),
        (
            38,
            0,
            ["99999999999999999999999999999999999999", "-10000000000000000000000000000000000000"],
        ),
        (
            38,
            37,
            ["9.9999999999999999999999999999999999999", "-0.0000000000000000000000000000000000001"],
        ),
        (30, 3, ["123456789012345678901234567.891", "-100000000000000000000000000.000"]),
    ],
)
def test_binary_numeric_matches_postgresql_for_edge_values(
    precision, scale, values, session, stage, rs_settings
):
    session.execute(f"CREATE TABLE t (i int, n numeric({precision},{scale}))")
    decimals = pa.array([Decimal(v) for v in values], pa.decimal128(precision, scale))
    stage.put_parquet("n/1.parquet", pa.table({"i": list(range(len(values))), "n": decimals}))
    run_copy(f"COPY t FROM '{stage.url('n/')}' PARQUET", session, rs_settings)
    literals = ", ".join(f"'{v}'" for v in values)
    expected = session.execute(
        f"SELECT v::numeric({precision},{scale})::text"
        f" FROM unnest(ARRAY[{literals}]) WITH ORDINALITY AS u(v, i) ORDER BY i"
    )
    assert session.execute("SELECT n::text FROM t ORDER BY i") == expected


def test_a_type_without_binary_encoder_sends_the_whole_load_as_csv(session, stage, rs_settings):
    session.execute(
        "CREATE TABLE t (iv interval, b bytea, tz timestamptz, j jsonb, n numeric(10,2), u uuid, s text)"
    )
    stage.put_parquet(
        "f/1.parquet",
        pa.table(
            {
                "iv": ["1 day 02:00:00", None],
                "b": [b'\x00\x01,"', None],
                "tz": pa.array(
                    [dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC), None],
                    pa.timestamp("us", "UTC"),
                ),
                "j": ['{"k": "v, \\"q\\""}', None],
                "n": pa.array([Decimal("-12.50"), None], pa.decimal128(10, 2)),
                "u": ["0f0e0d0c-0b0a-0908-0706-050403020100", None],
                "s": ['comma, "quote"\nnewline', ""],
            }
        ),
    )
    run_copy(f"COPY t FROM '{stage.url('f/')}' PARQUET", session, rs_settings)
    rows = session.execute(
        "SELECT iv::text, encode(b, 'hex'), tz, j, n::text, u::text, s FROM t ORDER BY iv NULLS LAST"
    )
    assert rows == [
        (
            "1 day 02:00:00",
            "00012c22",
            dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
            {"k": 'v, "q"'},
            "-12.50",
            "0f0e0d0c-0b0a-0908-0706-050403020100",
            'comma, "quote"\nnewline',
        ),
        (None, None, None, None, None, None, ""),
    ]


def test_parquet_values_are_converted_to_the_column_types(session, stage, rs_settings):
    session.execute(
        "CREATE TABLE t (i int, big bigint, d date, ts timestamp, f numeric(6,1), b boolean, s text)"
    )
    ns = pa.timestamp("ns", "America/New_York")
    stage.put_parquet(
        "c/1.parquet",
        pa.table(
            {
                "i": pa.array([Decimal("42")], pa.decimal128(10, 0)),
                "big": pa.array([Decimal("9007199254740993")], pa.decimal128(20, 0)),
                "d": pa.array(
                    [dt.datetime(2024, 1, 1, 23, 30, tzinfo=UTC)], pa.timestamp("ms", "UTC")
                ),
                "ts": pa.array([1_704_067_200_000_000_123], ns),
                "f": pa.array([2.25], pa.float64()),
                "b": pa.array([2], pa.int32()),
                "s": pa.array([1.5], pa.float64()),
            }
        ),
    )
    run_copy(f"COPY t FROM '{stage.url('c/')}' PARQUET", session, rs_settings)
    assert session.execute("SELECT i, big, d, ts, f::text, b, s FROM t") == [
        (
            42,
            9007199254740993,
            dt.date(2024, 1, 1),
            dt.datetime(2024, 1, 1, 0, 0),
            "2.3",
            True,
            "1.5",
        )
    ]
