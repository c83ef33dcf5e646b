"""``python -m dwsim_local.command NAME [ARGS]``: run one ``dwsim`` subcommand, loading only it.

The ``dwsim`` command loads every package's subcommands; the stack starts the emulators this
way so that one package's broken import cannot take down the others.
"""

import argparse
import sys
from importlib.metadata import entry_points


def main(argv: list[str]) -> int:
    name, rest = argv[0], argv[1:]
    (ep,) = [e for e in entry_points(group="dwsim.commands") if e.name == name]
    parser = argparse.ArgumentParser(prog="dwsim")
    subparsers = parser.add_subparsers(dest="command")
    ep.load()(subparsers)
    args = parser.parse_args([name, *rest])
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
