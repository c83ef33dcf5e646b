"""``dwsim experiment profile NAME TABLE``: what a loaded table's data looks like, per column
(rows, NULLs, distinct values, min/max, a histogram or the most frequent values), computed by
the warehouse over the whole table."""

import argparse

from dwsim_cli.api_client import ApiClient
from dwsim_cli.api_errors import ExitCode, UsageError
from dwsim_cli.remote import json_option, remote
from dwsim_cli.render import console, print_json
from dwsim_cli.table_profile_views import show_profile
from dwsim_shared.contracts.api import TableProfile
from dwsim_shared.contracts.query import (
    DEFAULT_PROFILE_BINS,
    DEFAULT_PROFILE_TOP,
    MAX_PROFILE_BINS,
    MAX_PROFILE_TOP,
)


def register(actions: argparse._SubParsersAction, common: list[argparse.ArgumentParser]) -> None:
    cmd = actions.add_parser(
        "profile",
        parents=common,
        help="a loaded table's columns: NULLs, distinct values, min/max, histogram or top values",
    )
    cmd.add_argument("name", metavar="NAME", help="the experiment")
    cmd.add_argument("table", metavar="TABLE")
    cmd.add_argument(
        "--columns", metavar="A,B", help="comma-separated columns (default: every column)"
    )
    cmd.add_argument(
        "--bins",
        type=int,
        metavar="N",
        help=f"histogram bins, 1-{MAX_PROFILE_BINS} (default {DEFAULT_PROFILE_BINS})",
    )
    cmd.add_argument(
        "--top",
        type=int,
        metavar="N",
        help=f"most frequent values, 1-{MAX_PROFILE_TOP} (default {DEFAULT_PROFILE_TOP})",
    )
    json_option(cmd)
    cmd.set_defaults(func=remote(_profile))


def _profile(client: ApiClient, args: argparse.Namespace) -> int:
    columns = None
    if args.columns is not None:
        columns = [c.strip() for c in args.columns.split(",") if c.strip()]
        if not columns:
            raise UsageError("--columns names no column")
    for option, value, most in (("--bins", args.bins, MAX_PROFILE_BINS),
                                ("--top", args.top, MAX_PROFILE_TOP)):  # fmt: skip
        if value is not None and not 1 <= value <= most:
            raise UsageError(f"{option} must be between 1 and {most}, not {value}")
    data = client.profile_table(args.name, args.table, columns, args.bins, args.top)
    if args.json:
        print_json(data)
    else:
        show_profile(console(), TableProfile.model_validate(data))
    return ExitCode.OK
