"""``dwsim status``: the gateway's ``GET /health``, each dependency with its state."""

import argparse

from dwsim_cli.api_client import ApiClient
from dwsim_cli.api_errors import ExitCode
from dwsim_cli.remote import api_options, json_option, remote
from dwsim_cli.render import add_row, console, print_json, table
from dwsim_shared.contracts.api import Health
from dwsim_shared.contracts.enums import HealthStatus


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "status",
        parents=[api_options()],
        help="is the stack up? each service behind the gateway with its state; exit 5 if one "
        "is down",
    )
    json_option(parser)
    parser.set_defaults(func=remote(_status))


def _status(client: ApiClient, args: argparse.Namespace) -> int:
    health = Health.model_validate(client.health())
    if args.json:
        print_json(health.model_dump(mode="json"))
    else:
        out = console()
        grid = table("service", "state", "address", "detail", whole=("service", "address"))
        for dep in health.dependencies:
            add_row(grid, dep.name, dep.status.value, dep.address, dep.detail or "")
        out.print(grid)
        down = [d.name for d in health.dependencies if d.status != HealthStatus.OK]
        out.print(f"down: {', '.join(down)}" if down else "all services up", markup=False)
    return ExitCode.OK if health.status == HealthStatus.OK else ExitCode.UNAVAILABLE
