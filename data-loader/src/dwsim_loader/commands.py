"""``dwsim load RUN_DIR``: a run folder from ``dwsim generate`` into a warehouse, for scripts.

The same service code as the loader worker, with no metadata service or Redis: the run folder
is staged in S3, the tables are created in the warehouse's own DDL, and each table is loaded
with COPY / COPY INTO, parents first. Rows and seconds per table go to standard output.
"""

import argparse
import sys
import time
from pathlib import Path

from dwsim_loader.config import get_settings
from dwsim_loader.local_run import read_run, stage
from dwsim_loader.service import LoaderService, TableLoad
from dwsim_shared.contracts.enums import Dialect, Warehouse
from dwsim_shared.warehouses import connection_from_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "load",
        help="load a dwsim generate output folder into Redshift, Snowflake or SQLite",
        description="Stages RUN_DIR in S3 (DWSIM_S3_*) under experiments/NAME/runs/RUN_ID/, "
        "creates the experiment's tables in the warehouse's own DDL (replacing them) and loads "
        "every table with COPY / COPY INTO, parents first, each in one transaction. Loading "
        "the same run again replaces the rows, never duplicates them. The warehouse is the one "
        "DWSIM_REDSHIFT_* / DWSIM_SNOWFLAKE_* / DWSIM_DATA_DIR describe.",
    )
    parser.add_argument("run_dir", type=Path, metavar="RUN_DIR",
                        help="folder written by dwsim generate --out")  # fmt: skip
    parser.add_argument("--warehouse", required=True, choices=[w.value for w in Warehouse],
                        help="where to load (overrides the experiment's own warehouse)")  # fmt: skip
    parser.add_argument("--experiment", metavar="NAME", default=None,
                        help="experiment name: its schema, database or SQLite file "
                        "(default: the schema's name)")  # fmt: skip
    parser.add_argument("--schema", type=Path, metavar="FILE", default=None,
                        help="experiment JSON, or DDL with --dialect (default: "
                        "RUN_DIR/experiment.json)")  # fmt: skip
    parser.add_argument("--dialect", choices=[d.value for d in Dialect], default=None,
                        help="read --schema as CREATE TABLE DDL in this dialect")  # fmt: skip
    parser.add_argument("--run-id", metavar="ID", default=None,
                        help="run id to stage under (default: the one in manifest.json)")  # fmt: skip
    parser.add_argument("--no-create", action="store_true",
                        help="load into the tables as they are instead of creating them anew")  # fmt: skip
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    warehouse = Warehouse(args.warehouse)
    run, warnings = read_run(
        args.run_dir,
        warehouse,
        name=args.experiment,
        schema=args.schema,
        dialect=Dialect(args.dialect) if args.dialect else None,
        run_id=args.run_id,
    )
    for warning in warnings:
        print(f"dwsim load: warning: {warning}", file=sys.stderr)
    experiment, layout = run.experiment, run.layout
    service = LoaderService(settings)
    address = connection_from_settings(warehouse, settings).url
    _say(f"run {layout.run_id} -> experiment {experiment.name} in {warehouse} ({address})")
    if not args.no_create:
        started = time.monotonic()
        service.materialize(experiment)
        _say(f"created {len(experiment.tables)} tables in {_secs(started)}")
    started = time.monotonic()
    stage(service, run)
    _say(f"staged {run.files} files ({run.bytes:,} bytes) at "
         f"s3://{service.bucket}/{layout.prefix} in {_secs(started)}")  # fmt: skip
    width = max(len(t.name) for t in experiment.tables)
    started = time.monotonic()

    def loaded(load: TableLoad) -> None:
        _say(f"  {load.table:<{width}}  {load.rows:>12,} rows  {load.seconds:>8.2f} s")

    loads = service.load_run(experiment, layout.run_id, on_table=loaded, manifest=run.manifest)
    total = sum(load.rows for load in loads)
    _say(f"loaded {total:,} rows into {len(loads)} tables in {_secs(started)}")
    return 0


def _say(line: str) -> None:
    print(line, flush=True)


def _secs(started: float) -> str:
    return f"{time.monotonic() - started:.2f} s"
