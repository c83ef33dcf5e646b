"""``dwsim experiment ...``: experiments on the gateway (create, list, show, edit, delete).

Their data (generate, load, reset, runs) is in ``experiment_data.py``.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from dwsim_cli import edits, experiment_data, table_profile_command
from dwsim_cli.api_client import ApiClient
from dwsim_cli.api_errors import ExitCode, UsageError
from dwsim_cli.experiment_views import (
    experiment_of,
    show_created,
    show_experiment,
    show_list,
)
from dwsim_cli.job_command import add_watch_options, follow
from dwsim_cli.remote import api_options, json_option, remote
from dwsim_cli.render import console, print_json
from dwsim_shared.contracts.enums import Dialect, Warehouse
from dwsim_shared.warehouses.profiles import profile

WAREHOUSES = [w.value for w in Warehouse]
DIALECTS = [d.value for d in Dialect]


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser(
        "experiment",
        help="experiments on the running stack: create, show, edit, generate, load, delete",
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    common = [api_options()]

    create = actions.add_parser(
        "create", parents=common, help="create an experiment from DDL or an experiment JSON"
    )
    create.add_argument("name", metavar="NAME")
    source = create.add_mutually_exclusive_group(required=True)
    source.add_argument("--ddl", metavar="FILE", help="CREATE TABLE DDL ('-': standard input)")
    source.add_argument("--schema", metavar="FILE", help="an experiment JSON ('-': standard input)")
    _creation_options(create)
    create.set_defaults(func=remote(_create))

    imp = actions.add_parser(
        "import-sql", parents=common, help="create an experiment from a DDL file"
    )
    imp.add_argument("ddl", metavar="FILE", help="CREATE TABLE DDL ('-': standard input)")
    imp.add_argument("--name", required=True)
    _creation_options(imp)
    imp.set_defaults(func=remote(_create), schema=None)

    list_ = actions.add_parser("list", parents=common, help="every experiment, with its last run")
    json_option(list_)
    list_.set_defaults(func=remote(_list))

    show = actions.add_parser(
        "show", parents=common, help="tables, columns, types, keys, rules and import warnings"
    )
    show.add_argument("name", metavar="NAME")
    json_option(show)
    show.set_defaults(func=remote(_show))

    edit = actions.add_parser(
        "edit",
        parents=common,
        help="change row counts and generation rules",
        description="Change row counts and rules. --file's patch goes first, then --rows and "
        "--rule; --editor opens every table's rows and rules in $EDITOR as JSON.",
    )
    edit.add_argument("name", metavar="NAME")
    edit.add_argument("--rows", action="append", metavar="TABLE=N", help="repeatable")
    edit.add_argument(
        "--rule",
        action="append",
        metavar="TABLE.COLUMN=JSON",
        help='repeatable, e.g. orders.status=\'{"kind": "constant", "value": "paid"}\'',
    )
    edit.add_argument(
        "--file",
        metavar="FILE",
        help='a patch: {"tables": {"orders": {"rows": 5000, "columns": {"status": {...}}}}}',
    )
    edit.add_argument("--editor", action="store_true", help="edit rows and rules in $EDITOR")
    json_option(edit)
    edit.set_defaults(func=remote(_edit))

    delete = actions.add_parser(
        "delete",
        parents=common,
        help="drop an experiment: its warehouse tables, staged runs and record",
    )
    delete.add_argument("name", metavar="NAME")
    delete.add_argument(
        "--yes", "-y", action="store_true", help="do not ask (needed without a terminal)"
    )
    delete.add_argument("--watch", action="store_true", help="follow the drop job to its end")
    add_watch_options(delete)
    delete.set_defaults(func=remote(_delete))

    experiment_data.register(actions, common)
    table_profile_command.register(actions, common)


def _creation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse",
        choices=WAREHOUSES,
        help="target warehouse (default: the DDL dialect's, or the experiment JSON's)",
    )
    parser.add_argument(
        "--dialect", choices=DIALECTS, help="the DDL's dialect (default: the warehouse's own)"
    )
    parser.add_argument(
        "--watch", action="store_true", help="follow the job that creates the tables"
    )
    add_watch_options(parser)


def _read(path: str) -> str:
    return sys.stdin.read() if path == "-" else Path(path).read_text()


def creation_body(args: argparse.Namespace) -> dict[str, Any]:
    body: dict[str, Any] = {"name": args.name}
    if args.warehouse:
        body["warehouse"] = args.warehouse
    if args.ddl is not None:
        dialect = args.dialect
        if dialect is None and args.warehouse:
            native = profile(args.warehouse).native_dialect
            dialect = native.value if native else None
        if dialect is None:
            raise UsageError(f"--dialect is needed with --ddl (one of {', '.join(DIALECTS)})")
        body.update(ddl=_read(args.ddl), dialect=dialect)
        return body
    text = _read(args.schema)
    try:
        body["schema"] = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{args.schema}: not JSON ({exc})") from None
    return body


def _create(client: ApiClient, args: argparse.Namespace) -> int:
    record, job_id = client.create_experiment(creation_body(args))
    if args.watch and job_id:
        if not args.json:
            show_created(console(), record, None)
        return follow(client, job_id, args)
    if args.json:
        print_json(record)
    else:
        show_created(console(), record, job_id)
    return ExitCode.OK


def _list(client: ApiClient, args: argparse.Namespace) -> int:
    data = client.experiments()
    if args.json:
        print_json(data)
    else:
        show_list(console(), data)
    return ExitCode.OK


def _show(client: ApiClient, args: argparse.Namespace) -> int:
    data = client.experiment(args.name)
    if args.json:
        print_json(data)
    else:
        show_experiment(console(), data)
    return ExitCode.OK


def _edit(client: ApiClient, args: argparse.Namespace) -> int:
    rows, rules = edits.parse_rows(args.rows), edits.parse_rules(args.rule)
    base = edits.read_patch_file(args.file) if args.file else None
    if not (rows or rules or base or args.editor):
        raise UsageError("nothing to change: give --rows, --rule, --file or --editor")
    before = experiment_of(client.experiment(args.name))
    if args.editor:
        document = edits.editable(before)
        base = edits.build_patch(
            edits.changes(document, edits.edit_in_editor(document, before.name)), {}, {}
        )
    patch = edits.build_patch(base, rows, rules)
    if not patch["tables"]:
        print("nothing changed", file=sys.stderr)
        return ExitCode.OK
    updated = client.patch_experiment(args.name, patch)
    if args.json:
        print_json(updated)
        return ExitCode.OK
    out = console()
    for line in edits.describe(patch, before, experiment_of(updated)):
        out.print(line, markup=False)
    return ExitCode.OK


def _delete(client: ApiClient, args: argparse.Namespace) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(
                f"not deleting {args.name} without a confirmation: pass --yes (no terminal to ask)"
            )
        client.experiment(args.name)  # 404 before asking about a name that does not exist
        answer = input(
            f"delete experiment {args.name}, its warehouse tables and staged runs? [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("not deleted", file=sys.stderr)
            return ExitCode.FAILED
    job = client.delete_experiment(args.name)
    if args.watch:
        return follow(client, job["id"], args)
    if args.json:
        print_json(job)
    else:
        console().print(
            f"deleting {args.name}: drop job {job['id']} queued "
            f"(`dwsim job watch {job['id']}` follows it)",
            markup=False,
        )
    return ExitCode.OK
