"""Generated parts load with the warehouses' own COPY: Redshift FORMAT AS PARQUET (by position,
also through the generated manifest) and Snowflake COPY INTO ... MATCH_BY_COLUMN_NAME."""

import json
from decimal import Decimal
from pathlib import Path

import psycopg2
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from dwsim_cli.main import main
from dwsim_shared.contracts.s3layout import RunLayout
from tests.generator.helpers import col, experiment, table

REDSHIFT_TYPES = [
    ("id", "INTEGER"), ("small", "SMALLINT"), ("big", "BIGINT"), ("amount", "DECIMAL(12,3)"),
    ("ratio", "REAL"), ("score", "DOUBLE PRECISION"), ("code", "CHAR(3)"), ("label", "VARCHAR(7)"),
    ("day", "DATE"), ("at_time", "TIME"), ("stamp", "TIMESTAMP"), ("stamp_tz", "TIMESTAMPTZ"),
    ("flag", "BOOLEAN"), ("doc", "SUPER"), ("raw", "VARBYTE(8)"),
]  # fmt: skip
SNOWFLAKE_TYPES = [
    ("id", "NUMBER(10,0)"), ("amount", "NUMBER(12,3)"), ("score", "FLOAT"), ("label", "VARCHAR(7)"),
    ("day", "DATE"), ("at_time", "TIME"), ("stamp", "TIMESTAMP_NTZ"), ("stamp_tz", "TIMESTAMP_TZ"),
    ("flag", "BOOLEAN"), ("doc", "VARIANT"), ("obj", "OBJECT"), ("arr", "ARRAY"),
]  # fmt: skip
EXTRA = [("country", "VARCHAR(2)"), ("name", "VARCHAR(20)")]  # pool-drawn: Parquet dictionaries
ROWS = 3000


def _generate(
    tmp_path: Path, types, warehouse: str, bucket: str, monkeypatch
) -> tuple[Path, RunLayout]:
    columns = [col(n, t, nullable=n != "id") for n, t in types]
    columns[1]["rule"] = {"kind": "range", "min": -5, "max": 5, "null_ratio": 0.1}
    columns.append(col("country", "VARCHAR(2)", {"kind": "categorical", "values": ["US", "DE"]}))
    columns.append(col("name", "VARCHAR(20)", {"kind": "faker", "provider": "first_name"}))
    exp = experiment(table("t", ROWS, columns, primary_key=["id"]), warehouse=warehouse)
    schema = tmp_path / "schema.json"
    schema.write_text(exp.model_dump_json())
    monkeypatch.setenv("DWSIM_S3_BUCKET", bucket)
    out = tmp_path / "run"
    assert main(["generate", str(schema), "--out", str(out), "--chunk-rows", "1000",
                 "--run-id", "r1", "--seed", "4"]) == 0  # fmt: skip
    return out, RunLayout("t", "r1")


def _upload(s3_server, bucket: str, out: Path, layout: RunLayout) -> None:
    client = s3_server.client()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        client.upload_file(str(path), bucket, layout.prefix + str(path.relative_to(out)))


@pytest.mark.slow
def test_redshift_copy_loads_parts_by_position_and_by_manifest(
    tmp_path, monkeypatch, s3_server, s3_bucket, redshift_emulator
):
    out, layout = _generate(tmp_path, REDSHIFT_TYPES, "redshift", s3_bucket, monkeypatch)
    _upload(s3_server, s3_bucket, out, layout)
    ddl = ", ".join(f"{n} {t}" for n, t in [*REDSHIFT_TYPES, *EXTRA])
    local = pq.read_table(out / "t")
    with psycopg2.connect(redshift_emulator.dsn) as conn, conn.cursor() as cur:
        for name, source in [
            ("by_prefix", f"'s3://{s3_bucket}/{layout.table_prefix('t')}'"),
            ("by_manifest", f"'s3://{s3_bucket}/{layout.redshift_manifest_key('t')}' MANIFEST"),
        ]:
            cur.execute(f"CREATE TABLE {name} ({ddl})")
            cur.execute(
                f"COPY {name} FROM {source} IAM_ROLE 'arn:aws:iam::1:role/x' FORMAT AS PARQUET"
            )
            cur.execute(f"SELECT count(*), count(DISTINCT id), sum(big), sum(amount), "
                        f"count(small), max(length(label)) FROM {name}")  # fmt: skip
            count, distinct, big, amount, small, longest = cur.fetchone()
            assert (count, distinct) == (ROWS, ROWS)
            assert big == pc.sum(local.column("big")).as_py()
            assert Decimal(amount) == pc.sum(local.column("amount")).as_py()
            assert small == ROWS - local.column("small").null_count
            assert longest <= 7
        cur.execute(
            "SELECT id, stamp_tz, day, flag, country, name FROM by_prefix ORDER BY id LIMIT 1"
        )
        first = cur.fetchone()
        row = local.sort_by("id").slice(0, 1).to_pylist()[0]
        assert first == tuple(row[k] for k in ("id", "stamp_tz", "day", "flag", "country", "name"))


@pytest.mark.slow
def test_snowflake_copy_into_matches_columns_by_name(
    tmp_path, monkeypatch, s3_server, s3_bucket, snowflake_conn
):
    out, layout = _generate(tmp_path, SNOWFLAKE_TYPES, "snowflake", s3_bucket, monkeypatch)
    _upload(s3_server, s3_bucket, out, layout)
    local = pq.read_table(out / "t")
    cur = snowflake_conn.cursor()
    cur.execute(f"CREATE TABLE t ({', '.join(f'{n} {t}' for n, t in [*SNOWFLAKE_TYPES, *EXTRA])})")
    cur.execute(
        f"COPY INTO t FROM 's3://{s3_bucket}/{layout.table_prefix('t')}' "
        "CREDENTIALS=(AWS_KEY_ID='test' AWS_SECRET_KEY='test') "
        "FILE_FORMAT=(TYPE=PARQUET) MATCH_BY_COLUMN_NAME=CASE_INSENSITIVE"
    )
    cur.execute("SELECT count(*), count(DISTINCT id), sum(amount), max(length(label)), "
                "count(DISTINCT country), min(length(name)) FROM t")  # fmt: skip
    count, distinct, amount, longest, countries, shortest = cur.fetchone()
    assert (countries, shortest > 0) == (2, True)
    assert (count, distinct) == (ROWS, ROWS)
    assert float(amount) == pytest.approx(float(pc.sum(local.column("amount")).as_py()))
    assert longest <= 7
    cur.execute("SELECT amount FROM t WHERE amount IS NOT NULL ORDER BY id LIMIT 1")
    assert (
        Decimal(str(cur.fetchone()[0]))
        == local.sort_by("id").column("amount").drop_null()[0].as_py()
    )
    cur.execute("SELECT doc, obj, arr FROM t WHERE doc IS NOT NULL LIMIT 5")
    shapes = [tuple(type(json.loads(v)) for v in row) for row in cur.fetchall()]
    assert shapes == [(dict, dict, list)] * 5
