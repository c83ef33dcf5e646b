"""``dwsim check-sql FILE|DIR... --warehouse W``: how each statement fares on the emulator.

With ``--experiment NAME`` the running stack's API checks it on that experiment's warehouse
(``check_sql_remote.py``). Otherwise it runs against the emulator itself (``DWSIM_REDSHIFT_*`` / ``DWSIM_SNOWFLAKE_*``, or ``--host``
and ``--port``), each statement in a transaction that is rolled back; prints a table (or the
report as JSON) and exits 1 when a statement is unsupported or an error.
"""

import argparse
import sys
from pathlib import Path

from dwsim_cli.api_errors import ExitCode
from dwsim_cli.check_sql_remote import check_remote
from dwsim_cli.check_sql_views import show_report
from dwsim_cli.remote import api_options, remote
from dwsim_cli.render import console, print_json
from dwsim_shared.compat import (
    CHECKABLE,
    SourceError,
    check_statements,
    read_sources,
    rules_for,
    statements_of,
)
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses import WarehouseError, WarehouseUnavailableError
from dwsim_shared.warehouses.registry import connection_from_settings

NAME = "dwsim check-sql"


def register(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser(
        "check-sql",
        parents=[api_options()],
        help="run each statement of SQL files, a folder (dbt target/compiled) or a query log "
        "on an emulator, rolled back, and say which run faithfully, through rewrites, are "
        "unsupported or fail; exit 1 if any is unsupported or an error",
    )
    cmd.add_argument(
        "paths",
        metavar="FILE|DIR",
        nargs="+",
        type=Path,
        help="a .sql file or query log, or a folder: every .sql file under it ('-': stdin)",
    )
    cmd.add_argument(
        "--warehouse", "-w", choices=[w.value for w in CHECKABLE],
        help="the emulator to check against (or --experiment)",
    )  # fmt: skip
    cmd.add_argument(
        "--experiment", "-e", metavar="NAME",
        help="check through the running stack's API on experiment NAME's warehouse and schema "
        "(--api-url, --token) instead of an emulator's own port",
    )  # fmt: skip
    cmd.add_argument("--host", help="the emulator's host (default: DWSIM_<WAREHOUSE>_HOST)")
    cmd.add_argument("--port", type=int, help="its port (default: DWSIM_<WAREHOUSE>_PORT)")
    cmd.add_argument(
        "--schema",
        metavar="EXPERIMENT",
        help="resolve unqualified names in this experiment's tables (its Redshift schema, or "
        "its schema of the Snowflake database DWSIM)",
    )
    cmd.add_argument(
        "--lines",
        action="store_true",
        help="the files are query logs with one statement per line (default: split on ';')",
    )
    cmd.add_argument(
        "--timeout", type=float, metavar="S",
        help="per statement, in seconds (default: DWSIM_QUERY_TIMEOUT_S, 30)",
    )  # fmt: skip
    cmd.add_argument("--json", action="store_true", help="print the full report as JSON")
    cmd.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    if (args.warehouse is None) == (args.experiment is None):
        return _fail("give --warehouse (an emulator) or --experiment (through the API)",
                     ExitCode.USAGE)  # fmt: skip
    if args.timeout is not None and args.timeout <= 0:
        return _fail("--timeout must be positive", ExitCode.USAGE)
    try:
        sources = [s for path in args.paths for s in _read(path)]
    except SourceError as exc:
        return _fail(str(exc), ExitCode.USAGE)
    if args.experiment is not None:
        return remote(lambda client, args: check_remote(client, args, sources))(args)
    warehouse = Warehouse(args.warehouse)
    settings = DwsimSettings()
    statements = statements_of(sources, rules_for(warehouse).dialect, per_line=args.lines)
    if not statements:
        where = ", ".join(str(p) for p in args.paths)
        return _fail(f"no SQL statement in {where}", ExitCode.USAGE)
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    connection = connection_from_settings(warehouse, settings).model_copy(update=overrides)
    try:
        report = check_statements(
            statements,
            warehouse,
            connection,
            schema=args.schema,
            timeout_s=args.timeout or settings.query_timeout_s,
        )
    except WarehouseUnavailableError as exc:
        return _fail(f"{exc}; is the {warehouse.value} emulator running? (dwsim up starts it)",
                     ExitCode.UNAVAILABLE)  # fmt: skip
    except WarehouseError as exc:
        return _fail(str(exc), ExitCode.USAGE)
    if args.json:
        print_json(report.model_dump(mode="json", by_alias=True))
    else:
        show_report(console(), report)
    return ExitCode.OK if report.ok else ExitCode.FAILED


def _read(path: Path) -> list[tuple[str | None, str]]:
    if str(path) == "-":
        return [("<stdin>", sys.stdin.read())]
    return list(read_sources(path))


def _fail(message: str, code: ExitCode) -> int:
    print(f"{NAME}: error: {message}", file=sys.stderr)
    return code
