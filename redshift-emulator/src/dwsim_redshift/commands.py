"""``dwsim redshift-emulator``: registered through the dwsim.commands entry point."""

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("redshift-emulator", help="(under construction)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    raise SystemExit("dwsim redshift-emulator: not available yet")
