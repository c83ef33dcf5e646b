"""``dwsim query run|save|list|show|delete``: SQL on an experiment's warehouse, saved queries."""

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from dwsim_cli.api_client import ApiClient
from dwsim_cli.api_errors import ApiError, ExitCode, UsageError
from dwsim_cli.query_cancel import run_cancellable
from dwsim_cli.query_views import CsvRows, show_one_saved, show_result, show_saved
from dwsim_cli.remote import api_options, fail, json_option, remote
from dwsim_cli.render import console, count, print_json, size
from dwsim_shared.contracts.api import SavedQuery
from dwsim_shared.contracts.query import QueryResult


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser(
        "query", help="run SQL on an experiment's warehouse; save and reuse queries"
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    common = [api_options()]

    run = actions.add_parser(
        "run",
        parents=common,
        help="run SQL (or a saved query) and print the result; exit 1 if the warehouse refuses it",
    )
    run.add_argument("name", metavar="NAME", help="the experiment")
    _sql_source(run)
    run.add_argument("--saved", metavar="QUERY", help="run the experiment's saved query QUERY")
    run.add_argument(
        "--limit", type=int, help="rows to print at most (default: the service's, 1,000)"
    )
    run.add_argument("--timeout", type=float, metavar="S", help="statement timeout in seconds")
    run.add_argument(
        "--csv", metavar="FILE", help="write every row as CSV to FILE ('-': standard output)"
    )
    run.add_argument(
        "--query-id",
        metavar="ID",
        help="send the query under this id (X-Query-Id), for `dwsim query cancel ID` from "
        "elsewhere (default: a new one; Ctrl-C cancels the query either way)",
    )
    json_option(run)
    run.set_defaults(func=remote(_run))

    cancel = actions.add_parser(
        "cancel", parents=common, help="stop a running query by its id (X-Query-Id)"
    )
    cancel.add_argument("query_id", metavar="QUERY_ID")
    json_option(cancel)
    cancel.set_defaults(func=remote(_cancel))

    save = actions.add_parser("save", parents=common, help="save (or replace) a named query")
    save.add_argument("name", metavar="NAME", help="the experiment")
    save.add_argument("query", metavar="QUERY_NAME")
    _sql_source(save)
    save.add_argument("--description", "-d")
    json_option(save)
    save.set_defaults(func=remote(_save))

    list_ = actions.add_parser("list", parents=common, help="an experiment's saved queries")
    list_.add_argument("name", metavar="NAME")
    json_option(list_)
    list_.set_defaults(func=remote(_list))

    show = actions.add_parser("show", parents=common, help="a saved query's SQL")
    show.add_argument("name", metavar="NAME")
    show.add_argument("query", metavar="QUERY_NAME")
    json_option(show)
    show.set_defaults(func=remote(_show))

    delete = actions.add_parser("delete", parents=common, help="delete a saved query")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("query", metavar="QUERY_NAME")
    delete.set_defaults(func=remote(_delete))


def _sql_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sql", metavar="SQL", nargs="?", help="the statement")
    parser.add_argument("--file", "-f", metavar="FILE", help="read SQL from FILE ('-': stdin)")


def _sql(args: argparse.Namespace, saved: str | None = None) -> str | None:
    given = [x for x in (args.sql, args.file, saved) if x is not None]
    if len(given) != 1:
        options = "SQL, --file or --saved" if hasattr(args, "saved") else "SQL or --file"
        raise UsageError(f"give exactly one of {options}")
    if args.file is not None:
        return sys.stdin.read() if args.file == "-" else Path(args.file).read_text()
    return args.sql


def _run(client: ApiClient, args: argparse.Namespace) -> int:
    sql = _sql(args, args.saved)
    if sql is None:
        sql = SavedQuery.model_validate(client.saved_query(args.name, args.saved)).sql
    body: dict = {"sql": sql}
    if args.limit is not None:
        body["limit"] = args.limit
    if args.timeout is not None:
        body["timeout_s"] = args.timeout
    query_id = args.query_id or f"cli-{uuid.uuid4().hex[:16]}"
    try:
        if args.csv is not None:
            body.pop("limit", None)  # the CSV has every row
            return run_cancellable(client, query_id, lambda: _csv(client, args, body, query_id))
        data = run_cancellable(client, query_id, lambda: client.query(args.name, body, query_id))
    except ApiError as exc:
        if exc.status != 400:
            raise
        fail(args, f"the query failed: {exc}")
        return ExitCode.FAILED
    if args.json:
        print_json(data)
    else:
        show_result(console(), QueryResult.model_validate(data), args.limit)
    return ExitCode.OK


def _csv(client: ApiClient, args: argparse.Namespace, body: dict, query_id: str) -> int:
    counter = CsvRows()
    started = time.monotonic()
    if args.csv == "-":
        written = client.query_csv(args.name, body, sys.stdout.buffer, counter.feed, query_id)
        sys.stdout.flush()
    else:
        # into a file beside the target, renamed when complete: a failure leaves no half file
        target = Path(args.csv)
        fd, part = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(part, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        try:
            with os.fdopen(fd, "wb") as out:
                written = client.query_csv(args.name, body, out, counter.feed, query_id)
            os.replace(part, target)
        finally:
            if os.path.exists(part):
                os.unlink(part)
    where = "standard output" if args.csv == "-" else args.csv
    took = time.monotonic() - started
    print(
        f"wrote {count(counter.rows)} rows ({size(written)}) to {where} in {took:.1f} s",
        file=sys.stderr,
    )
    return ExitCode.OK


def _cancel(client: ApiClient, args: argparse.Namespace) -> int:
    data = client.cancel_query(args.query_id)
    if args.json:
        print_json(data)
    elif data.get("status") == "cancelled":
        console().print(f"cancelled query {args.query_id}", markup=False)
    else:
        console().print(
            f"query {args.query_id}: {data.get('status')} (asked to stop; the warehouse has "
            "not stopped it yet)",
            markup=False,
        )
    return ExitCode.OK


def _save(client: ApiClient, args: argparse.Namespace) -> int:
    sql = _sql(args)
    assert sql is not None
    data = client.save_query(args.name, args.query, sql, args.description)
    if args.json:
        print_json(data)
    else:
        console().print(f"saved query {args.query} on {args.name}", markup=False)
    return ExitCode.OK


def _list(client: ApiClient, args: argparse.Namespace) -> int:
    data = client.saved_queries(args.name)
    if args.json:
        print_json(data)
    else:
        show_saved(console(), [SavedQuery.model_validate(item) for item in data])
    return ExitCode.OK


def _show(client: ApiClient, args: argparse.Namespace) -> int:
    data = client.saved_query(args.name, args.query)
    if args.json:
        print_json(data)
    else:
        show_one_saved(console(), SavedQuery.model_validate(data))
    return ExitCode.OK


def _delete(client: ApiClient, args: argparse.Namespace) -> int:
    client.delete_saved_query(args.name, args.query)
    console().print(f"deleted saved query {args.query} of {args.name}", markup=False)
    return ExitCode.OK
