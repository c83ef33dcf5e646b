"""``dwsim job watch|show|cancel|list``: the gateway's jobs, followed to their end."""

import argparse
import sys

from dwsim_cli.api_client import ApiClient
from dwsim_cli.api_errors import ExitCode
from dwsim_cli.job_views import outcome, show_job, show_jobs
from dwsim_cli.job_watch import POLL_S, watch
from dwsim_cli.remote import api_options, json_option, remote
from dwsim_cli.render import console, print_json
from dwsim_shared.contracts.enums import JobStatus
from dwsim_shared.contracts.jobs import Job

INTERRUPTED = 130


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser(
        "job", help="follow, show and cancel jobs (generate, load, reset, drop) on the gateway"
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    common = [api_options()]

    watch_ = actions.add_parser(
        "watch",
        parents=common,
        help="follow a job to its end: a progress bar per table; exit 1 if it fails",
    )
    watch_.add_argument("job_id", metavar="JOB_ID")
    add_watch_options(watch_)
    watch_.set_defaults(func=remote(_watch))

    show = actions.add_parser("show", parents=common, help="a job's state and progress")
    show.add_argument("job_id", metavar="JOB_ID")
    json_option(show)
    show.set_defaults(func=remote(_show))

    cancel = actions.add_parser("cancel", parents=common, help="cancel a queued or running job")
    cancel.add_argument("job_id", metavar="JOB_ID")
    json_option(cancel)
    cancel.set_defaults(func=remote(_cancel))

    list_ = actions.add_parser("list", parents=common, help="an experiment's jobs, newest first")
    list_.add_argument("experiment", metavar="NAME")
    list_.add_argument("--active", action="store_true", help="only queued and running jobs")
    json_option(list_)
    list_.set_defaults(func=remote(_list))


def add_watch_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--interval", type=float, default=POLL_S, help=f"seconds between polls (default {POLL_S})"
    )
    json_option(parser)


def follow(client: ApiClient, job_id: str, args: argparse.Namespace) -> int:
    """Watch the job to its end; 0 if it succeeded, 1 if it failed or was cancelled."""
    interval = getattr(args, "interval", POLL_S)
    try:
        job = watch(client, job_id, None if args.json else console(), interval)
    except KeyboardInterrupt:
        print(
            f"stopped watching job {job_id}; it goes on (`dwsim job cancel {job_id}` stops it)",
            file=sys.stderr,
        )
        return INTERRUPTED
    if args.json:
        print_json(job.model_dump(mode="json"))
    elif job.status == JobStatus.SUCCEEDED:
        console().print(outcome(job), markup=False)
    else:
        console(stderr=True).print(outcome(job), markup=False)
    return ExitCode.OK if job.status == JobStatus.SUCCEEDED else ExitCode.FAILED


def _watch(client: ApiClient, args: argparse.Namespace) -> int:
    return follow(client, args.job_id, args)


def _show(client: ApiClient, args: argparse.Namespace) -> int:
    data = client.job(args.job_id)
    if args.json:
        print_json(data)
    else:
        show_job(console(), Job.model_validate(data))
    return ExitCode.OK


def _cancel(client: ApiClient, args: argparse.Namespace) -> int:
    data = client.cancel_job(args.job_id)
    if args.json:
        print_json(data)
    else:
        job = Job.model_validate(data)
        console().print(f"{outcome(job)}", markup=False)
    return ExitCode.OK


def _list(client: ApiClient, args: argparse.Namespace) -> int:
    data = client.experiment_jobs(args.experiment, active=True if args.active else None)
    if args.json:
        print_json(data)
    else:
        show_jobs(console(), [Job.model_validate(item) for item in data])
    return ExitCode.OK
