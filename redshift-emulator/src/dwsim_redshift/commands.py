"""``dwsim redshift-emulator``: registered through the dwsim.commands entry point."""

import argparse

from dwsim_redshift.backend.connect import BackendUnavailable


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "redshift-emulator",
        help="serve the Redshift emulator (PostgreSQL wire protocol over PostgreSQL)",
        description=(
            "Serve a Redshift-compatible endpoint in front of PostgreSQL: COPY/UNLOAD against "
            "S3, Redshift SQL translated. Defaults come from DWSIM_* settings. Ctrl-C stops it."
        ),
    )
    parser.add_argument("--host", help="listen address (DWSIM_REDSHIFT_HOST, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="listen port (DWSIM_REDSHIFT_PORT, 5439)")
    parser.add_argument("--postgres-url", help="backend PostgreSQL (DWSIM_POSTGRES_URL)")
    parser.add_argument("--s3-endpoint", help="S3 API endpoint (DWSIM_S3_ENDPOINT_URL)")
    parser.add_argument(
        "--no-tls", action="store_true", help="answer SSLRequest with N (clients need ssl=False)"
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from dwsim_redshift.config import Settings
    from dwsim_redshift.main import run

    overrides: dict[str, object] = {}
    if args.host:
        overrides["redshift_host"] = args.host
    if args.port:
        overrides["redshift_port"] = args.port
    if args.postgres_url:
        overrides["postgres_url"] = args.postgres_url
    if args.s3_endpoint:
        overrides["s3_endpoint_url"] = args.s3_endpoint
    if args.no_tls:
        overrides["redshift_tls"] = False
    settings = Settings(**overrides)
    try:
        run(settings)
    except BackendUnavailable as exc:
        raise ValueError(str(exc)) from exc
    return 0
