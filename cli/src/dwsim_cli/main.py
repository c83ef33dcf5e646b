"""The ``dwsim`` command. Packages add subcommands through the ``dwsim.commands`` entry points.

An entry point's value is a function ``register(subparsers)`` that adds one subcommand whose
parser sets ``func``; ``func(args) -> int`` runs it. This keeps each command with its package
(``schema`` here, ``generate`` in generator-worker, emulators in theirs).
"""

import argparse
import gc
import sys
from importlib.metadata import entry_points

from pydantic import ValidationError

from dwsim_cli.api_errors import EXIT_CODES_HELP
from dwsim_shared.errors import DwsimError
from dwsim_shared.settings import DwsimSettings


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of ``command`` only when a package provides it (so
    ``dwsim generate`` imports the generator, not the emulators, the API client and check-sql:
    half of its start-up time)."""
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
    commands = sorted(entry_points(group="dwsim.commands"), key=lambda e: e.name)
    for ep in [ep for ep in commands if ep.name == command] or commands:
        ep.load()(subparsers)
    return parser


def _command(argv: list[str]) -> str | None:
    """The subcommand named on the command line (its first argument), if any."""
    return argv[0] if argv and not argv[0].startswith("-") else None


def main(argv: list[str] | None = None) -> int:
    if argv is not None:  # called from Python
        return _main(argv)
    code = _main(sys.argv[1:])
    # The process exits next: objects the collector would walk once more at shutdown (every
    # module's, a run's plan) are frozen out of its way (0.1-0.2 s of a `dwsim generate`).
    gc.freeze()
    return code


def _main(argv: list[str]) -> int:
    try:
        DwsimSettings()  # a bad DWSIM_* variable is named before any command reads it
        parser = build_parser(_command(argv))  # subcommands read DWSIM_* settings for defaults
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
