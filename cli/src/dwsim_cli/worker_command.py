"""``dwsim worker generator|loader``: one Celery worker in the foreground, on any machine.

A worker shares nothing with the rest of the stack but its URLs (DWSIM_REDIS_URL,
DWSIM_METADATA_URL, DWSIM_S3_ENDPOINT_URL, the warehouses for the loader): it checks they
answer, then replaces itself with ``celery worker`` (same pid, so SIGTERM reaches Celery and
ends in a warm shutdown: running tasks finish, the rest stay queued). docs/deploy.md.
"""

import argparse
import importlib.util
import os
import socket
import sys
from dataclasses import dataclass
from enum import StrEnum

from dwsim_cli.api_errors import ExitCode
from dwsim_cli.worker_checks import Check, common_checks, failures, warehouse_checks
from dwsim_shared.contracts.tasks import Queue
from dwsim_shared.settings import DwsimSettings


class WorkerKind(StrEnum):
    GENERATOR = "generator"
    LOADER = "loader"


@dataclass(frozen=True)
class WorkerSpec:
    app: str  # the Celery app's module
    queue: Queue
    package: str  # what to install for it (named when it is missing)


SPECS = {
    WorkerKind.GENERATOR: WorkerSpec("dwsim_generator.worker", Queue.GENERATOR, "generator-worker"),
    WorkerKind.LOADER: WorkerSpec("dwsim_loader.worker", Queue.LOADER, "data-loader"),
}

LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

DESCRIPTION = (
    "Run a generator or loader worker in the foreground: a Celery worker consuming its queue "
    "(dwsim.generator or dwsim.loader) from DWSIM_REDIS_URL. It needs no files of the machine "
    "that runs the rest of the stack, only the same DWSIM_* settings: first it checks that "
    "Redis, the metadata service (DWSIM_METADATA_URL) and S3 (DWSIM_S3_ENDPOINT_URL, "
    "DWSIM_S3_BUCKET) answer, and for the loader the Redshift and Snowflake emulators, and "
    "exits 5 naming the one that does not. Start as many as you like, anywhere: each takes "
    "chunks (generator) or tables (loader) from the shared queue. SIGTERM or Ctrl-C stops it "
    "after its running tasks (a warm shutdown). See docs/deploy.md."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    settings = DwsimSettings()
    parser = subparsers.add_parser(
        "worker",
        help="run a generator or loader worker in the foreground (workers can run on any "
        "machine that reaches Redis, S3 and the metadata service)",
        description=DESCRIPTION,
    )
    parser.add_argument("kind", choices=[k.value for k in WorkerKind], metavar="generator|loader")
    parser.add_argument(
        "--concurrency",
        "-c",
        type=int,
        default=None,
        metavar="N",
        help="processes running tasks (default: DWSIM_GENERATOR_CONCURRENCY, now "
        f"{settings.generator_concurrency}, or DWSIM_LOADER_CONCURRENCY, now "
        f"{settings.loader_concurrency}); about one per core for the generator",
    )
    parser.add_argument(
        "--loglevel",
        "-l",
        type=str.upper,
        choices=LOG_LEVELS,
        default=settings.log_level.upper(),
        metavar="LEVEL",
        help="DEBUG, INFO, WARNING or ERROR (default: DWSIM_LOG_LEVEL, now "
        f"{settings.log_level.upper()})",
    )
    parser.add_argument(
        "--name",
        "-n",
        default=None,
        metavar="NODE",
        help="the worker's Celery node name (default KIND@HOST-PID: unique, so several workers "
        "on one host do not clash; Celery expands %%h to the host name)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = DwsimSettings()
    kind = WorkerKind(args.kind)
    spec = SPECS[kind]
    concurrency = args.concurrency
    if concurrency is None:
        concurrency = _default_concurrency(settings, kind)
    if concurrency < 1:
        return _fail(kind, f"--concurrency must be 1 or more, not {concurrency}", ExitCode.USAGE)
    missing = [m for m in ("celery", spec.app.partition(".")[0]) if not _installed(m)]
    if missing:
        return _fail(
            kind,
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed "
            "here: pip install './shared[services]' "
            f"./cli ./{spec.package} (from the dw-sim repository)",
            ExitCode.USAGE,
        )
    checks = common_checks(settings)
    if kind == WorkerKind.LOADER:
        checks += warehouse_checks(settings)
    problems = failures(checks)
    if problems:
        listed = " " + problems[0] if len(problems) == 1 else "\n  " + "\n  ".join(problems)
        return _fail(kind, f"cannot start:{listed}", ExitCode.UNAVAILABLE)
    node = args.name or f"{kind.value}@{socket.gethostname()}-{os.getpid()}"
    command = celery_command(spec, concurrency, args.loglevel, node)
    _announce(kind, node, concurrency, checks, settings)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command)  # never returns: this process becomes the worker
    return ExitCode.OK  # pragma: no cover


def celery_command(spec: WorkerSpec, concurrency: int, loglevel: str, node: str) -> list[str]:
    """The worker's command line, as ``dwsim up`` runs it (no gossip or mingle: nothing uses
    them, and they make a worker wait for its peers at start)."""
    return [
        sys.executable, "-m", "celery", "-A", spec.app, "worker",
        "-Q", spec.queue.value, "-c", str(concurrency), "--loglevel", loglevel.upper(),
        "-n", node, "--without-gossip", "--without-mingle",
    ]  # fmt: skip


def _default_concurrency(settings: DwsimSettings, kind: WorkerKind) -> int:
    if kind == WorkerKind.GENERATOR:
        return settings.generator_concurrency
    return settings.loader_concurrency


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _announce(
    kind: WorkerKind, node: str, concurrency: int, checks: list[Check], settings: DwsimSettings
) -> None:
    reached = ", ".join(f"{c.what} {c.address}" for c in checks)
    processes = "1 process" if concurrency == 1 else f"{concurrency} processes"
    print(
        f"dwsim worker {kind.value}: {node}, {processes}, queue {SPECS[kind].queue.value}; "
        f"reached {reached}",
        file=sys.stderr,
    )
    if kind == WorkerKind.LOADER:
        print(
            "dwsim worker loader: experiments on the sqlite warehouse are loaded into "
            f"{os.path.abspath(settings.data_dir)}/sqlite on this machine, which the query "
            "service reads only if it runs here with the same DWSIM_DATA_DIR (docs/deploy.md)",
            file=sys.stderr,
        )


def _fail(kind: WorkerKind, message: str, code: ExitCode) -> int:
    print(f"dwsim worker {kind.value}: error: {message}", file=sys.stderr)
    return code
