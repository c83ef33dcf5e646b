"""``dwsim inspect RUN_DIR``: profiles and relationship checks of a generated run."""

import argparse
from pathlib import Path

from dwsim_generator.inspection import inspect_run
from dwsim_generator.inspection.render import render


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "inspect",
        help="profile a generated run and check its keys and relationships",
        description="Per table and column: rows, NULLs, distinct values, min/max, common values "
        "and a histogram; then checks that every foreign key, primary key, unique constraint, "
        "NOT NULL and manifest row count holds. Exits 1 when a check fails.",
    )
    parser.add_argument("run", type=Path, metavar="RUN_DIR", help="a folder dwsim generate wrote")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--table", nargs="+", default=None, metavar="TABLE",
                        help="only these tables (and the checks on them)")  # fmt: skip
    parser.add_argument("--top", type=int, default=5, metavar="N",
                        help="most common values shown per column (default 5)")  # fmt: skip
    parser.add_argument("--bins", type=int, default=10, metavar="N",
                        help="histogram bins for numbers and dates (default 10)")  # fmt: skip
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    report = inspect_run(args.run, tables=args.table, top=max(args.top, 0),
                         bins=max(args.bins, 1))  # fmt: skip
    print(report.model_dump_json(indent=2) if args.json else render(report))
    return 0 if report.ok else 1
