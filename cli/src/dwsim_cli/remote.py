"""What every command that speaks to the gateway shares: ``--api-url``, ``--token``, and one
way to turn a refusal into a message on stderr and an exit code."""

import argparse
import os
import sys
from collections.abc import Callable

from dwsim_cli.api_client import ApiClient
from dwsim_cli.api_errors import ApiError, ExitCode, UsageError

API_URL_VARIABLE = "DWSIM_API_URL"
TOKEN_VARIABLE = "DWSIM_API_TOKEN"

Handler = Callable[[ApiClient, argparse.Namespace], int]


def api_options() -> argparse.ArgumentParser:
    """A parent parser: every remote command takes these."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("gateway")
    group.add_argument(
        "--api-url",
        default=None,
        help=f"the gateway (default: ${API_URL_VARIABLE}, else "
        "http://127.0.0.1:$DWSIM_GATEWAY_PORT, port 8000 unless set)",
    )
    group.add_argument(
        "--token",
        default=None,
        help=f"sent as 'Authorization: Bearer TOKEN' (default: ${TOKEN_VARIABLE})",
    )
    return parent


def json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print the API's JSON answer (for scripts)"
    )


def default_api_url() -> str:
    url = os.environ.get(API_URL_VARIABLE)
    if url:
        return url
    from dwsim_shared.settings import DwsimSettings

    return f"http://127.0.0.1:{DwsimSettings().gateway_port}"


def remote(handler: Handler) -> Callable[[argparse.Namespace], int]:
    """``handler(client, args)`` with a client for the chosen gateway; ApiError -> exit code."""

    def run(args: argparse.Namespace) -> int:
        url = args.api_url or default_api_url()
        token = args.token or os.environ.get(TOKEN_VARIABLE) or None
        with ApiClient(url, token) as client:
            try:
                return int(handler(client, args))
            except ApiError as exc:
                fail(args, str(exc))
                return exc.exit_code
            except (UsageError, OSError) as exc:
                fail(args, str(exc))
                return ExitCode.USAGE

    return run


def fail(args: argparse.Namespace, message: str) -> None:
    """``dwsim experiment show: error: ...`` on stderr."""
    print(f"{command_name(args)}: error: {message}", file=sys.stderr)


def command_name(args: argparse.Namespace) -> str:
    parts = ["dwsim", getattr(args, "command", None), getattr(args, "action", None)]
    return " ".join(p for p in parts if p)
