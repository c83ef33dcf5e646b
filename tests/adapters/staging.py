"""A small experiment that holds every column type, and runs of it staged in S3 as Parquet
exactly as the generator lays them out (RunLayout + RunManifest + Redshift manifests)."""

import datetime as dt
import decimal
import io
import json
import uuid
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from dwsim_generator.engine.arrow_types import arrow_type
from dwsim_shared.contracts.enums import Dialect, TypeKind, Warehouse
from dwsim_shared.contracts.jobs import ManifestFile, RunManifest, TableManifest
from dwsim_shared.contracts.s3layout import RunLayout, redshift_manifest
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.types import ColumnType

# (kind, Redshift text, Snowflake text, extra ColumnType fields)
TYPES: list[tuple[TypeKind, str, str, dict]] = [
    (TypeKind.SMALLINT, "SMALLINT", "SMALLINT", {}),
    (TypeKind.INTEGER, "INTEGER", "INT", {}),
    (TypeKind.BIGINT, "BIGINT", "BIGINT", {}),
    (TypeKind.DECIMAL, "DECIMAL(12,2)", "NUMBER(12,2)", {"precision": 12, "scale": 2}),
    (TypeKind.REAL, "REAL", "FLOAT4", {}),
    (TypeKind.DOUBLE, "DOUBLE PRECISION", "DOUBLE", {}),
    (TypeKind.CHAR, "CHAR(3)", "CHAR(3)", {"length": 3}),
    (TypeKind.VARCHAR, "VARCHAR(40)", "VARCHAR(40)", {"length": 40}),
    (TypeKind.TEXT, "VARCHAR(MAX)", "STRING", {}),
    (TypeKind.DATE, "DATE", "DATE", {}),
    (TypeKind.TIME, "TIME", "TIME", {}),
    (TypeKind.TIMESTAMP, "TIMESTAMP", "TIMESTAMP_NTZ", {}),
    (TypeKind.TIMESTAMPTZ, "TIMESTAMPTZ", "TIMESTAMP_TZ", {}),
    (TypeKind.BOOLEAN, "BOOLEAN", "BOOLEAN", {}),
    (TypeKind.UUID, "UUID", "UUID", {}),
    (TypeKind.JSON, "SUPER", "VARIANT", {}),
    (TypeKind.OBJECT, "SUPER", "OBJECT", {}),
    (TypeKind.ARRAY, "SUPER", "ARRAY", {}),
    (TypeKind.BINARY, "VARBYTE(16)", "BINARY(16)", {"length": 16}),
]


def column_type(kind: TypeKind, dialect: Dialect | None) -> ColumnType:
    for k, redshift, snowflake, extra in TYPES:
        if k == kind:
            raw = snowflake if dialect == Dialect.SNOWFLAKE else redshift
            if kind == TypeKind.TEXT and dialect == Dialect.REDSHIFT:
                extra = {"length": 65535}
                kind = TypeKind.VARCHAR
            elif kind == TypeKind.TEXT and dialect == Dialect.SNOWFLAKE:
                extra = {"length": 16777216}
                kind = TypeKind.VARCHAR
            return ColumnType(kind=kind, raw=raw, **extra)
    raise KeyError(kind)


def experiment(name: str, warehouse: Warehouse, dialect: Dialect | None = None) -> Experiment:
    """customers (composite PK) <- orders (composite FK, dist/sort keys, identity) <- all_types
    (one column of every kind), plus employees with a self-referencing foreign key."""

    def col(name: str, kind: TypeKind, **kw) -> dict:
        return {"name": name, "type": column_type(kind, dialect), **kw}

    all_types = [col("id", TypeKind.INTEGER, nullable=False)]
    all_types += [col(f"c_{k.value}", k) for k, *_ in TYPES]
    all_types.append(col("order_id", TypeKind.BIGINT))
    return Experiment.model_validate(
        {
            "name": name,
            "warehouse": warehouse,
            "dialect": dialect,
            "tables": [
                {
                    "name": "all_types",
                    "columns": all_types,
                    "primary_key": ["id"],
                    "foreign_keys": [
                        {
                            "columns": ["order_id"],
                            "references_table": "orders",
                            "references_columns": ["order_id"],
                        }
                    ],
                },
                {
                    "name": "orders",
                    "columns": [
                        col("order_id", TypeKind.BIGINT, nullable=False, encode="az64"),
                        col("region", TypeKind.VARCHAR, nullable=False, encode="zstd"),
                        col("customer_id", TypeKind.INTEGER, nullable=False),
                        col("amount", TypeKind.DECIMAL),
                    ],
                    "primary_key": ["order_id"],
                    "foreign_keys": [
                        {
                            "columns": ["region", "customer_id"],
                            "references_table": "customers",
                            "references_columns": ["region", "customer_id"],
                        }
                    ],
                    "warehouse": {
                        "diststyle": "key",
                        "distkey": "customer_id",
                        "sortkey": ["region", "order_id"],
                        "sortkey_style": "compound",
                        "backup": False,
                        "cluster_by": ["region"],
                    },
                },
                {
                    "name": "customers",
                    "columns": [
                        col("region", TypeKind.VARCHAR, nullable=False),
                        col("customer_id", TypeKind.INTEGER, nullable=False),
                        col("name", TypeKind.VARCHAR),
                    ],
                    "primary_key": ["region", "customer_id"],
                    "unique": [{"columns": ["name"]}],
                    "warehouse": {"diststyle": "all"},
                },
                {
                    "name": "employees",
                    "columns": [
                        col("emp_id", TypeKind.INTEGER, nullable=False),
                        col("manager_id", TypeKind.INTEGER),
                    ],
                    "primary_key": ["emp_id"],
                    "foreign_keys": [
                        {
                            "columns": ["manager_id"],
                            "references_table": "employees",
                            "references_columns": ["emp_id"],
                        }
                    ],
                },
            ],
        }
    )


REGIONS = ["eu", "us", "apac"]


def table_data(exp: Experiment, table: str, rows: int) -> pa.Table:
    """Deterministic rows for one of ``experiment()``'s tables (keys consistent across tables)."""
    customers = max(rows // 2, 1)
    if table == "customers":
        return pa.table(
            {
                "region": [REGIONS[i % 3] for i in range(rows)],
                "customer_id": pa.array(range(rows), pa.int32()),
                "name": [f"customer {i}" for i in range(rows)],
            }
        )
    if table == "orders":
        return pa.table(
            {
                "order_id": pa.array(range(1, rows + 1), pa.int64()),
                "region": [REGIONS[(i % customers) % 3] for i in range(rows)],
                "customer_id": pa.array([i % customers for i in range(rows)], pa.int32()),
                "amount": pa.array(
                    [decimal.Decimal(i) / 4 for i in range(rows)], pa.decimal128(12, 2)
                ),
            }
        )
    if table == "employees":
        return pa.table(
            {
                "emp_id": pa.array(range(rows), pa.int32()),
                "manager_id": pa.array(
                    [None if i == 0 else i // 2 for i in range(rows)], pa.int32()
                ),
            }
        )
    return all_types_data(rows)


def all_types_value(kind: TypeKind, i: int):
    base = dt.datetime(2024, 1, 1, 12, 30, 15)
    values = {
        TypeKind.SMALLINT: i - 5,
        TypeKind.INTEGER: i * 1000,
        TypeKind.BIGINT: 10**12 + i,
        TypeKind.DECIMAL: decimal.Decimal(i * 125) / 100,
        TypeKind.REAL: i / 2,
        TypeKind.DOUBLE: i / 4,
        TypeKind.CHAR: f"c{i % 10:02d}",
        TypeKind.VARCHAR: f"value {i}",
        TypeKind.TEXT: "long text " * (i % 3 + 1),
        TypeKind.DATE: dt.date(2024, 1, 1) + dt.timedelta(days=i),
        TypeKind.TIME: dt.time(10, i % 60, 30),
        TypeKind.TIMESTAMP: base + dt.timedelta(hours=i),
        TypeKind.TIMESTAMPTZ: (base + dt.timedelta(minutes=i)).replace(tzinfo=dt.UTC),
        TypeKind.BOOLEAN: i % 2 == 0,
        TypeKind.UUID: str(uuid.UUID(int=i)),
        TypeKind.JSON: json.dumps({"n": i, "tags": ["a", "b"]}),
        TypeKind.OBJECT: json.dumps({"k": f"v{i}"}),
        TypeKind.ARRAY: json.dumps([i, i + 1]),
        TypeKind.BINARY: bytes([i % 256, 255, 0, 7]),
    }
    return values[kind]


def all_types_data(rows: int) -> pa.Table:
    data: dict[str, pa.Array] = {"id": pa.array(range(rows), pa.int32())}
    for kind, *_ in TYPES:
        values = [None if i == 1 else all_types_value(kind, i) for i in range(rows)]
        data[f"c_{kind.value}"] = pa.array(values, arrow_type(column_type(kind, None)))
    data["order_id"] = pa.array([i + 1 for i in range(rows)], pa.int64())
    return pa.table(data)


@dataclass
class StagedRun:
    layout: RunLayout
    manifest: RunManifest
    bucket: str


def stage_run(
    s3_client,
    bucket: str,
    exp: Experiment,
    rows: dict[str, int],
    *,
    run_id: str = "run1",
    chunk_rows: int = 1000,
    tables: dict[str, pa.Table] | None = None,
) -> StagedRun:
    """Write each table as Parquet parts of ``chunk_rows`` rows, then the run's manifests."""
    layout = RunLayout(exp.name, run_id)
    manifests: dict[str, TableManifest] = {}
    for table in exp.tables:
        n = rows.get(table.name, 0)
        data = (tables or {}).get(table.name)
        if data is None:
            data = table_data(exp, table.name, n)
        files: list[ManifestFile] = []
        for chunk, offset in enumerate(range(0, data.num_rows, chunk_rows)):
            part = data.slice(offset, chunk_rows)
            body = parquet_bytes(part)
            s3_client.put_object(Bucket=bucket, Key=layout.part_key(table.name, chunk), Body=body)
            key = RunLayout.relative_part(table.name, chunk)
            files.append(ManifestFile(key=key, rows=part.num_rows, bytes=len(body)))
        manifests[table.name] = TableManifest(rows=data.num_rows, files=files)
        entries = [(f"s3://{bucket}/{layout.prefix}{f.key}", f.bytes) for f in files]
        s3_client.put_object(
            Bucket=bucket,
            Key=layout.redshift_manifest_key(table.name),
            Body=redshift_manifest(entries).encode(),
        )
    manifest = RunManifest(
        experiment=exp.name,
        run_id=run_id,
        seed=1,
        schema_hash=exp.schema_hash(),
        chunk_rows=chunk_rows,
        created_at=dt.datetime.now(dt.UTC),
        tables=manifests,
    )
    s3_client.put_object(
        Bucket=bucket, Key=layout.manifest_key, Body=manifest.model_dump_json().encode()
    )
    return StagedRun(layout=layout, manifest=manifest, bucket=bucket)


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()
