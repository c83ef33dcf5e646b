"""``dwsim up`` (``make up``), ``dwsim down`` (``make down``) and ``dwsim demo`` (``make demo``)."""

import argparse
import sys
from pathlib import Path

UP_DESCRIPTION = (
    "Start the whole stack on this machine: S3 server (moto), PostgreSQL and Redis (the ones "
    "answering at DWSIM_POSTGRES_URL / DWSIM_REDIS_URL, else private ones), the Redshift and "
    "Snowflake emulators, metadata-service, query-service, the generator and loader workers "
    "and the api-gateway, with merged logs. Ports and URLs come from DWSIM_* settings; "
    "everything listens on 127.0.0.1. Ctrl-C (or SIGTERM) stops everything cleanly."
)


def register_up(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "up",
        help="run the local stack (foreground; --detach: background)",
        description=UP_DESCRIPTION,
    )
    parser.add_argument(
        "--detach",
        "-d",
        action="store_true",
        help="run it in the background (log and pid under DWSIM_DATA_DIR), return once the "
        "gateway reports every dependency ok; a stack already running is reused",
    )
    parser.add_argument("--log-file", help=argparse.SUPPRESS)  # set by --detach for its child
    parser.set_defaults(func=run_up)


def register_down(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "down",
        help="stop the stack that runs from DWSIM_DATA_DIR",
        description="Send SIGTERM to the running stack (dwsim up, detached or not), wait until "
        "every service has stopped, and report.",
    )
    parser.set_defaults(func=run_down)


def run_up(args: argparse.Namespace) -> int:
    from dwsim_local import state
    from dwsim_local.background import start_detached
    from dwsim_local.config import LocalSettings, consistent
    from dwsim_local.services import plan
    from dwsim_local.supervisor import Supervisor

    settings = consistent(LocalSettings())
    if args.detach:
        return start_detached(settings)
    lock = state.StackLock(settings.data_path)
    if not lock.acquire():
        info = state.running(settings.data_path)
        pid = f" (pid {info.pid})" if info else ""
        print(
            f"dwsim up: error: a stack is already running from {settings.data_path}{pid}; "
            "`make down` (dwsim down) stops it, or set DWSIM_DATA_DIR to run another",
            file=sys.stderr,
        )
        return 1
    try:
        services = plan(settings)
        gateway = settings.gateway_url if any(s.name == "gateway" for s in services) else None
        lock.publish(gateway, str(Path(args.log_file)) if args.log_file else None)
        return Supervisor(services, on_up=lock.mark_ready).run()
    finally:
        lock.release()


def run_down(args: argparse.Namespace) -> int:
    from dwsim_local.background import stop
    from dwsim_local.config import LocalSettings, consistent

    return stop(consistent(LocalSettings()))
