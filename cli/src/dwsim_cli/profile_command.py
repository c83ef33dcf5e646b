"""``dwsim profile``: an experiment whose rules follow a database's own statistics."""

import argparse
import sys
from pathlib import Path

from dwsim_shared.contracts.enums import Dialect, Warehouse


def register(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser(
        "profile",
        help="read a PostgreSQL database's statistics (pg_stats, row counts, foreign-key "
        "fan-out) into an experiment's rules; no table row leaves the database",
    )
    cmd.add_argument("dsn", help="libpq DSN or postgresql:// URL (also the Redshift emulator's)")
    cmd.add_argument("--schema", default=None, help="schema to read (default: current schema)")
    cmd.add_argument("--tables", default=None, help="comma-separated tables (default: all)")
    cmd.add_argument(
        "--experiment",
        type=Path,
        default=None,
        help="start from this experiment JSON (or DDL, with --dialect) and override its rules",
    )
    cmd.add_argument("--dialect", choices=[d.value for d in Dialect], default=None,
                     help="the --experiment file is DDL in this dialect")  # fmt: skip
    cmd.add_argument("--name", default=None, help="experiment name (default: the schema's)")
    cmd.add_argument("--warehouse", choices=[w.value for w in Warehouse], default=None,
                     help="target warehouse (default: redshift, or the experiment's)")  # fmt: skip
    cmd.add_argument("--estimate-rows", action="store_true",
                     help="row counts from pg_class.reltuples instead of count(*)")  # fmt: skip
    cmd.add_argument("-o", "--output", default="-", help="where to write the experiment JSON")
    cmd.set_defaults(func=_profile)


def _base(args: argparse.Namespace):
    from dwsim_shared.contracts.schema import Experiment
    from dwsim_shared.ddl import import_ddl

    if args.experiment is None:
        if args.dialect:
            raise ValueError("--dialect goes with --experiment (a DDL file)")
        return None
    text = args.experiment.read_text()
    if args.dialect:
        return import_ddl(text, dialect=Dialect(args.dialect), name=args.experiment.stem,
                          warehouse=Warehouse(args.warehouse) if args.warehouse else None)  # fmt: skip
    return Experiment.model_validate_json(text)


def _profile(args: argparse.Namespace) -> int:
    from dwsim_shared.profile import profile_database

    tables = [t.strip() for t in args.tables.split(",") if t.strip()] if args.tables else None
    result = profile_database(
        args.dsn,
        schema=args.schema,
        tables=tables,
        base=_base(args),
        name=args.name,
        warehouse=Warehouse(args.warehouse) if args.warehouse else None,
        estimate_rows=args.estimate_rows,
    )
    text = result.experiment.model_dump_json(indent=2, exclude_none=True) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text)
    for warning in result.experiment.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    sizes = ", ".join(f"{t} {n:,}" for t, n in result.rows.items())
    print(f"profiled {len(result.rows)} tables ({sizes}); {result.columns} column rules from "
          f"statistics", file=sys.stderr)  # fmt: skip
    return 0
