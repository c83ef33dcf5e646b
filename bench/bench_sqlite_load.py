"""SQLite warehouse load throughput: a staged run (Parquet on S3) -> the SQLite adapter.

Stages N rows x 8 columns of Parquet (``--files`` parts, laid out by RunLayout with a
RunManifest) on a moto S3 server started here on a free port, then times
``SqliteAdapter.load_table`` (S3 GET, pyarrow decode per record batch, ``executemany`` in one
transaction, count check). Baseline measured in the same run: a naive row-at-a-time
autocommit ``INSERT`` of the first ``--baseline-rows`` rows of the same data into the same
table, as a hand-written loader would do it. Prints both figures and their ratio.

    .venv/bin/python bench/bench_sqlite_load.py [--rows 1500000] [--files 6]
        [--baseline-rows 20000]
"""

import argparse
import datetime as dt
import io
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from common import make_chunk, moto_s3

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.jobs import ManifestFile, RunManifest, TableManifest
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.warehouses import S3Access, SqliteConnection, get_adapter

BUCKET = "dwsim-bench"
EXPERIMENT = {
    "name": "bench_sqlite",
    "warehouse": "sqlite",
    "tables": [
        {
            "name": "orders",
            "columns": [
                {"name": "order_id", "type": "BIGINT", "nullable": False},
                {"name": "customer_id", "type": "INTEGER"},
                {"name": "quantity", "type": "SMALLINT"},
                {"name": "price", "type": "DOUBLE PRECISION"},
                {"name": "amount", "type": "DECIMAL(12,2)"},
                {"name": "order_date", "type": "DATE"},
                {"name": "created_at", "type": "TIMESTAMP"},
                {"name": "status", "type": "VARCHAR(16)"},
            ],
            "primary_key": ["order_id"],
        }
    ],
}


def stage(s3: S3Access, rows: int, files: int) -> tuple[RunLayout, RunManifest, pa.Table]:
    client = s3.client()
    client.create_bucket(Bucket=BUCKET)
    layout = RunLayout("bench_sqlite", "run1")
    per_file = -(-rows // files)
    parts: list[ManifestFile] = []
    first = None
    for chunk, start in enumerate(range(0, rows, per_file)):
        data = make_chunk(start, min(per_file, rows - start), seed=chunk)
        first = data if first is None else first
        sink = io.BytesIO()
        pq.write_table(data, sink)
        body = sink.getvalue()
        client.put_object(Bucket=BUCKET, Key=layout.part_key("orders", chunk), Body=body)
        parts.append(
            ManifestFile(
                key=layout.relative_part("orders", chunk), rows=data.num_rows, bytes=len(body)
            )
        )
    manifest = RunManifest(
        experiment="bench_sqlite",
        run_id="run1",
        seed=0,
        schema_hash="bench",
        chunk_rows=per_file,
        created_at=dt.datetime.now(dt.UTC),
        tables={"orders": TableManifest(rows=rows, files=parts)},
    )
    return layout, manifest, first


def naive_insert(path: Path, sample: pa.Table, n: int) -> float:
    """Rows/s of one autocommit INSERT per row (Python values from the same Parquet data)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("DELETE FROM orders")
    columns = [sample.column(i).to_pylist()[:n] for i in range(sample.num_columns)]
    rows = [
        (a, b, c, d, str(e), f.isoformat(), g.isoformat(sep=" "), h)
        for a, b, c, d, e, f, g, h in zip(*columns, strict=True)
    ]
    start = time.perf_counter()
    for row in rows:
        conn.execute("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
    elapsed = time.perf_counter() - start
    conn.close()
    return len(rows) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--files", type=int, default=6)
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="dwsim-bench-sqlite-"))
    try:
        with moto_s3() as endpoint:
            s3 = S3Access(endpoint_url=endpoint)
            t0 = time.perf_counter()
            layout, manifest, first = stage(s3, args.rows, args.files)
            print(f"staged {args.rows:,} rows x 8 columns in {args.files} Parquet files "
                  f"({time.perf_counter() - t0:.1f} s)")  # fmt: skip
            experiment = Experiment.model_validate(EXPERIMENT)
            adapter = get_adapter(
                Warehouse.SQLITE, connection=SqliteConnection(data_dir=str(data_dir), s3=s3)
            )
            adapter.materialize(experiment)
            start = time.perf_counter()
            loaded = adapter.load_table(experiment, "orders", manifest, layout, BUCKET)
            elapsed = time.perf_counter() - start
            assert loaded == args.rows == adapter.count_rows(experiment, "orders")
            path = adapter.path(experiment)
            adapter.close()
            rate = loaded / elapsed
            print(
                f"SqliteAdapter.load_table: {loaded:,} rows in {elapsed:.2f} s = {rate:,.0f} rows/s"
            )
            base = naive_insert(path, first, args.baseline_rows)
            print(f"baseline, row-at-a-time autocommit INSERT ({args.baseline_rows:,} rows): "
                  f"{base:,.0f} rows/s")  # fmt: skip
            print(f"ratio load_table / baseline: {rate / base:.1f}x")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
