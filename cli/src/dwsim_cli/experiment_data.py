"""``dwsim experiment generate|load|reset|runs``: an experiment's data, made by jobs."""

import argparse
from typing import Any

from dwsim_cli.api_client import ApiClient
from dwsim_cli.api_errors import ExitCode
from dwsim_cli.edits import parse_rows
from dwsim_cli.experiment_views import show_runs
from dwsim_cli.job_command import add_watch_options, follow
from dwsim_cli.remote import json_option, remote
from dwsim_cli.render import console, count, print_json, size
from dwsim_shared.contracts.api import Estimate
from dwsim_shared.cost.predict import format_estimate


def register(actions: argparse._SubParsersAction, common: list[argparse.ArgumentParser]) -> None:
    generate = actions.add_parser(
        "generate",
        parents=common,
        help="generate a run of synthetic data (and load it, unless --no-load)",
        description="Generate a run: every table at its rows in the experiment, --rows "
        "TABLE=N for some, or the whole schema sized by --scale X or --total N (lookup tables "
        "keep their size). --rows wins over --scale/--total.",
    )
    generate.add_argument("name", metavar="NAME")
    generate.add_argument("--seed", type=int, help="same seed, same data (default 0)")
    generate.add_argument("--rows", action="append", metavar="TABLE=N", help="repeatable")
    sizing = generate.add_mutually_exclusive_group()
    sizing.add_argument("--scale", type=float, metavar="X", help="every table's rows times X")
    sizing.add_argument("--total", type=int, metavar="N", help="about N rows over the whole schema")
    generate.add_argument("--chunk-rows", type=int, metavar="K", help="rows per Parquet part")
    generate.add_argument(
        "--no-load", action="store_true", help="stage the run in S3 only; load it later"
    )
    generate.add_argument(
        "--dry-run",
        action="store_true",
        help="print the rows, seconds and bytes per table the run would take; start nothing",
    )
    generate.add_argument(
        "--workers", type=int, metavar="W", help="with --dry-run: generator processes (default 1)"
    )
    _watch_flag(generate, "follow the job with a progress bar per table; exit 1 if it fails")
    generate.set_defaults(func=remote(_generate))

    load = actions.add_parser(
        "load", parents=common, help="load a staged run into the warehouse (default: the latest)"
    )
    load.add_argument("name", metavar="NAME")
    load.add_argument("--run", metavar="RUN", help="the run's id (`dwsim experiment runs`)")
    _watch_flag(load, "follow the load job to its end")
    load.set_defaults(func=remote(_load))

    reset = actions.add_parser(
        "reset", parents=common, help="empty every table of the experiment; keep the schema"
    )
    reset.add_argument("name", metavar="NAME")
    _watch_flag(reset, "follow the reset job to its end")
    reset.set_defaults(func=remote(_reset))

    runs = actions.add_parser("runs", parents=common, help="generation runs, newest first")
    runs.add_argument("name", metavar="NAME")
    json_option(runs)
    runs.set_defaults(func=remote(_runs))


def _watch_flag(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--watch", action="store_true", help=text)
    add_watch_options(parser)


def generate_body(args: argparse.Namespace) -> dict[str, Any]:
    body: dict[str, Any] = {"load": not args.no_load}
    rows = parse_rows(args.rows)
    if rows:
        body["rows"] = rows
    for key, value in (
        ("seed", args.seed),
        ("scale", args.scale),
        ("rows_total", args.total),
        ("chunk_rows", args.chunk_rows),
    ):
        if value is not None:
            body[key] = value
    return body


def _generate(client: ApiClient, args: argparse.Namespace) -> int:
    if args.dry_run:
        return _estimate(client, args)
    accepted = client.generate(args.name, generate_body(args))
    job_id = str(accepted["job_id"])
    if not args.json:
        rows = accepted.get("rows_total")
        estimate = accepted.get("bytes_estimate")
        what = f"{count(rows)} rows" if rows is not None else "the run"
        about = f" (about {size(estimate)})" if estimate else ""
        console().print(
            f"generating run {accepted['run_id']} of {args.name}: {what}{about}, job {job_id}",
            markup=False,
        )
    if args.watch:
        return follow(client, job_id, args)
    if args.json:
        print_json(accepted)
    else:
        console().print(f"follow it with `dwsim job watch {job_id}`", markup=False)
    return ExitCode.OK


def _estimate(client: ApiClient, args: argparse.Namespace) -> int:
    body = generate_body(args)
    if args.workers is not None:
        body["workers"] = args.workers
    estimate = client.estimate(args.name, body)
    if args.json:
        print_json(estimate)
    else:
        console().print(format_estimate(Estimate.model_validate(estimate)), markup=False)
    return ExitCode.OK


def _queued(client: ApiClient, args: argparse.Namespace, job: dict, what: str) -> int:
    if args.watch:
        return follow(client, str(job["id"]), args)
    if args.json:
        print_json(job)
    else:
        console().print(
            f"{what} {args.name}: job {job['id']} queued (`dwsim job watch {job['id']}`)",
            markup=False,
        )
    return ExitCode.OK


def _load(client: ApiClient, args: argparse.Namespace) -> int:
    job = client.load(args.name, args.run)
    run = job.get("run_id")
    return _queued(client, args, job, f"loading run {run} of" if run else "loading")


def _reset(client: ApiClient, args: argparse.Namespace) -> int:
    return _queued(client, args, client.reset(args.name), "emptying the tables of")


def _runs(client: ApiClient, args: argparse.Namespace) -> int:
    data = client.runs(args.name)
    if args.json:
        print_json(data)
    else:
        show_runs(console(), data)
    return ExitCode.OK
