"""``dwsim schema import``: DDL in, experiment schema JSON out."""

import argparse
import sys
from pathlib import Path

from dwsim_shared.contracts.enums import Dialect, Warehouse


def register(subparsers: argparse._SubParsersAction) -> None:
    schema = subparsers.add_parser("schema", help="work with experiment schemas")
    actions = schema.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    imp = actions.add_parser(
        "import", help="import CREATE TABLE DDL and print the experiment schema as JSON"
    )
    imp.add_argument("file", type=Path, help="DDL file ('-' for standard input)")
    imp.add_argument("--dialect", required=True, choices=[d.value for d in Dialect])
    imp.add_argument(
        "--warehouse",
        choices=[w.value for w in Warehouse],
        default=None,
        help="target warehouse (default: the dialect's own; postgres -> redshift)",
    )
    imp.add_argument("--name", default=None, help="experiment name (default: the file's stem)")
    imp.set_defaults(func=_import)


def _import(args: argparse.Namespace) -> int:
    from dwsim_shared.ddl import import_ddl

    text = sys.stdin.read() if str(args.file) == "-" else args.file.read_text()
    name = args.name or ("stdin" if str(args.file) == "-" else args.file.stem)
    experiment = import_ddl(
        text,
        dialect=Dialect(args.dialect),
        name=name,
        warehouse=Warehouse(args.warehouse) if args.warehouse else None,
    )
    print(experiment.model_dump_json(indent=2, exclude_none=True))
    for warning in experiment.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
