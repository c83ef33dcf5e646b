"""``dwsim demo`` (what ``make demo`` runs once the stack is up): see run.py."""

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="show dw-sim end to end on the running stack (over its HTTP API)",
        description="Create a Redshift and a Snowflake experiment from a bundled shop DDL, "
        "generate and load about a million rows with a progress bar, run a join on each "
        "warehouse and print results and timings. Needs the stack up (`make demo` starts it).",
    )
    parser.add_argument("--url", help="the gateway (default: DWSIM_GATEWAY_HOST/_PORT)")
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="rows in all, both warehouses (1,000,000)"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dwsim_local.config import LocalSettings
    from dwsim_local.demo.client import ApiError, GatewayClient
    from dwsim_local.demo.run import Demo

    url = args.url or LocalSettings().gateway_url
    client = GatewayClient(url)
    try:
        Demo(client, sys.stdout, total_rows=args.rows, seed=args.seed).run()
    except ApiError as exc:
        print(f"\ndwsim demo: failed: {exc}", file=sys.stderr)
        print(f"The stack keeps running ({url}); `make down` stops it.", file=sys.stderr)
        return 1
    finally:
        client.close()
    print(
        f"\nDone. The stack keeps running:\n  API   {url}/api\n  docs  {url}/docs\n"
        "  stop  make down"
    )
    return 0
