"""``dwsim snowflake-emulator``: registered through the dwsim.commands entry point."""

import argparse
from pathlib import Path

from dwsim_snowflake.config import get_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    settings = get_settings()
    parser = subparsers.add_parser(
        "snowflake-emulator",
        help="run the Snowflake emulator (fakesnow's server, s3:// read from the S3 server)",
        description="Serve the Snowflake REST protocol for snowflake-connector-python (<5) "
        "with protocol=http. Data is kept in DuckDB files under --data-dir and survives restarts.",
    )
    parser.add_argument("--host", default=settings.snowflake_host, help="address to listen on")
    parser.add_argument(
        "--port", type=int, default=settings.snowflake_port, help="port (DWSIM_SNOWFLAKE_PORT)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=settings.snowflake_path,
        help="folder for the DuckDB files (DWSIM_SNOWFLAKE_DATA_DIR, default <DWSIM_DATA_DIR>/snowflake)",
    )
    parser.add_argument(
        "--s3-endpoint",
        default=settings.s3_endpoint_url,
        help="S3 server that s3:// URLs are read from (DWSIM_S3_ENDPOINT_URL)",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from dwsim_shared.warehouses.connections import s3_access
    from dwsim_snowflake.launcher import EmulatorConfig, serve

    settings = get_settings()
    serve(
        EmulatorConfig(
            host=args.host,
            port=args.port,
            data_dir=args.data_dir,
            s3_endpoint_url=args.s3_endpoint,
            aws_access_key_id=settings.aws_access_key_id,
            aws_secret_access_key=settings.aws_secret_access_key,
            s3_region=settings.s3_region,
            result_cache_results=settings.snowflake_result_cache_results,
            result_cache_mb=settings.snowflake_result_cache_mb,
            session_idle_seconds=settings.snowflake_session_idle_seconds,
            detached_idle_seconds=settings.snowflake_detached_idle_seconds,
            lock_timeout_seconds=settings.snowflake_lock_timeout_seconds,
            s3=s3_access(settings),
        )
    )
    return 0
