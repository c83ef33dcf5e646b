"""``python -m dwsim_local up|down|demo``: the stack's commands without loading the others'."""

import argparse
import sys

from pydantic import ValidationError

from dwsim_shared.errors import DwsimError


def main(argv: list[str] | None = None) -> int:
    from dwsim_local.commands import register_down, register_up
    from dwsim_local.demo.command import register as register_demo

    parser = argparse.ArgumentParser(prog="dwsim")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for register in (register_up, register_down, register_demo):
        register(subparsers)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (DwsimError, ValidationError, OSError) as exc:
        print(f"dwsim {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
