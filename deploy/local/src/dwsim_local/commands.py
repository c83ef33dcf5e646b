"""``dwsim up``: run the local stack in the foreground (what ``make up`` runs)."""

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "up",
        help="run the local stack in the foreground (S3 server, Snowflake and Redshift emulators)",
        description="Start the S3 server, the PostgreSQL under the Redshift emulator if none "
        "answers at DWSIM_POSTGRES_URL, and the emulators, with merged logs. Ports and URLs "
        "come from DWSIM_* settings. Ctrl-C (SIGINT/SIGTERM) stops them all.",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from dwsim_local.services import plan
    from dwsim_local.supervisor import Supervisor
    from dwsim_shared.settings import DwsimSettings

    return Supervisor(plan(DwsimSettings())).run()
