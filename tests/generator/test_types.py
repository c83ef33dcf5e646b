"""Every column type gets an Arrow/Parquet type that loads back into the declared type."""

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from dwsim_generator.engine.writer import write_part
from tests.generator.helpers import col, experiment, generate, table, values

ALL_TYPES = [
    ("c_smallint", "SMALLINT", pa.int16()),
    ("c_integer", "INTEGER", pa.int32()),
    ("c_bigint", "BIGINT", pa.int64()),
    ("c_decimal", "DECIMAL(12,3)", pa.decimal128(12, 3)),
    ("c_number", "NUMBER(38,0)", pa.decimal128(38, 0)),
    ("c_real", "REAL", pa.float32()),
    ("c_double", "DOUBLE PRECISION", pa.float64()),
    ("c_char", "CHAR(3)", pa.string()),
    ("c_varchar", "VARCHAR(7)", pa.string()),
    ("c_text", "TEXT", pa.string()),
    ("c_date", "DATE", pa.date32()),
    ("c_time", "TIME", pa.time64("us")),
    ("c_ts", "TIMESTAMP", pa.timestamp("us")),
    ("c_tstz", "TIMESTAMPTZ", pa.timestamp("us", tz="UTC")),
    ("c_bool", "BOOLEAN", pa.bool_()),
    ("c_uuid", "UUID", pa.string()),
    ("c_super", "SUPER", pa.string()),
    ("c_variant", "VARIANT", pa.string()),
    ("c_object", "OBJECT", pa.string()),
    ("c_array", "ARRAY", pa.string()),
    ("c_binary", "VARBYTE(8)", pa.binary()),
]


@pytest.fixture(scope="module")
def typed(tmp_path_factory):
    """A table with one column of every type, written to Parquet and read back."""
    exp = experiment(table("t", 5000, [col(n, t) for n, t, _ in ALL_TYPES]))
    data = generate(exp)["t"]
    out = tmp_path_factory.mktemp("typed")
    key, _ = write_part(data, out, "t", 0)
    return pq.read_table(out / key)


@pytest.mark.parametrize(("name", "declared", "arrow"), ALL_TYPES, ids=[t[1] for t in ALL_TYPES])
def test_parquet_type_matches_declared_type(typed, name, declared, arrow):
    assert typed.schema.field(name).type == arrow
    assert typed.column(name).null_count == 0


def test_columns_keep_declared_order_and_names(typed):
    assert typed.column_names == [n for n, _, _ in ALL_TYPES]


def test_varchar_and_char_never_exceed_their_length(typed):
    assert pc.max(pc.utf8_length(typed.column("c_varchar"))).as_py() <= 7
    assert pc.max(pc.utf8_length(typed.column("c_char"))).as_py() <= 3


def test_json_columns_hold_valid_json_of_the_right_shape(typed):
    for name, shape in [("c_super", dict), ("c_variant", dict), ("c_object", dict)]:
        assert all(isinstance(json.loads(v), shape) for v in values(typed, name)[:500])
    assert all(isinstance(json.loads(v), list) for v in values(typed, "c_array")[:500])


def test_uuids_are_valid_version_4(typed):
    parsed = [uuid.UUID(v) for v in values(typed, "c_uuid")]
    assert all(u.version == 4 for u in parsed)
    assert [str(u) for u in parsed] == values(typed, "c_uuid")


def test_binary_has_declared_length_at_most(typed):
    assert all(len(v) <= 8 for v in values(typed, "c_binary"))


def test_defaults_fit_the_types(typed):
    assert all(-(2**15) <= v < 2**15 for v in values(typed, "c_smallint"))
    assert all(
        isinstance(v, Decimal) and v.as_tuple().exponent == -3 for v in values(typed, "c_decimal")
    )


def test_decimal_keeps_precision_and_scale():
    rule = {"kind": "range", "min": "-12.345", "max": "99.999"}
    exp = experiment(table("t", 2000, [col("d", "NUMERIC(5,3)", rule)]))
    got = values(generate(exp)["t"], "d")
    assert min(got) >= Decimal("-12.345")
    assert max(got) <= Decimal("99.999")
    assert len({v.as_tuple().exponent for v in got}) == 1
    assert any(v != v.to_integral_value() for v in got)  # uses the fractional digits


def test_timestamptz_range_is_in_utc():
    rule = {"kind": "range", "min": "2024-03-01T00:00:00+02:00", "max": "2024-03-01T01:00:00+02:00"}
    exp = experiment(table("t", 1000, [col("ts", "TIMESTAMPTZ", rule)]))
    got = values(generate(exp)["t"], "ts")
    assert min(got) >= datetime(2024, 2, 29, 22, 0, tzinfo=UTC)
    assert max(got) <= datetime(2024, 2, 29, 23, 0, tzinfo=UTC)


def test_snowflake_types_map_the_same_way():
    exp = experiment(
        table("t", 100, [col("n", "NUMBER(10,2)"), col("s", "STRING"), col("ts", "TIMESTAMP_NTZ(9)"),
                         col("v", "VARIANT"), col("tz", "TIMESTAMP_TZ")]),
        warehouse="snowflake",
    )  # fmt: skip
    schema = generate(exp)["t"].schema
    assert schema.field("n").type == pa.decimal128(10, 2)
    assert schema.field("ts").type == pa.timestamp("us")
    assert schema.field("tz").type == pa.timestamp("us", tz="UTC")
