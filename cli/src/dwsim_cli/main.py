"""The ``dwsim`` command. Packages add subcommands through the ``dwsim.commands`` entry points.

An entry point's value is a function ``register(subparsers)`` that adds one subcommand whose
parser sets ``func``; ``func(args) -> int`` runs it. This keeps each command with its package
(``schema`` here, ``generate`` in generator-worker, emulators in theirs).
"""

import argparse
import sys
from importlib.metadata import entry_points

from pydantic import ValidationError

from dwsim_cli.api_errors import EXIT_CODES_HELP
from dwsim_shared.errors import DwsimError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dwsim",
        description="dw-sim: synthetic data for your Redshift and Snowflake schemas, locally.",
        epilog="`experiment`, `job` and `query` speak to the gateway's HTTP API (--api-url or "
        "DWSIM_API_URL, --token or DWSIM_API_TOKEN); --json prints its answers for scripts.\n\n"
        + EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for ep in sorted(entry_points(group="dwsim.commands"), key=lambda e: e.name):
        ep.load()(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()  # subcommands read DWSIM_* settings for their defaults
    except ValidationError as exc:
        for err in exc.errors():
            name = "DWSIM_" + "_".join(str(p) for p in err["loc"]).upper()
            print(f"dwsim: error: {name}: {err['msg']}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (DwsimError, ValidationError, ValueError, OSError) as exc:
        print(f"dwsim {args.command}: error: {_message(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"dwsim {args.command}: interrupted", file=sys.stderr)
        return 130


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        lines = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            lines.append(f"{loc}: {err['msg']}" if loc else err["msg"])
        return "invalid schema:\n  " + "\n  ".join(lines)
    return str(exc)


if __name__ == "__main__":
    sys.exit(main())
