"""``dwsim check-sql --experiment NAME``: the same report, made by the running stack.

Each file's text goes to ``POST /api/experiments/{name}/check-sql`` (the experiment's
warehouse, its schema the default for unqualified names); the answers make one report,
printed with the same views as a local check.
"""

import argparse

from dwsim_cli.api_client import ApiClient
from dwsim_cli.api_errors import ExitCode, UsageError
from dwsim_cli.check_sql_views import show_report
from dwsim_cli.render import console, print_json
from dwsim_shared.compat import CHECKABLE, rules_for, statements_of
from dwsim_shared.contracts.compat import CheckReport, summarize
from dwsim_shared.contracts.metadata import ExperimentRecord

LOCAL_ONLY = ("warehouse", "host", "port", "schema")  # the experiment decides these


def check_remote(
    client: ApiClient, args: argparse.Namespace, sources: list[tuple[str | None, str]]
) -> int:
    given = [f"--{option}" for option in LOCAL_ONLY if getattr(args, option) is not None]
    if given:
        raise UsageError(
            f"{', '.join(given)}: not with --experiment (its warehouse and schema are used)"
        )
    record = ExperimentRecord.model_validate(client.experiment(args.experiment))
    warehouse = record.schema_.warehouse
    if warehouse in CHECKABLE:  # files with nothing to check are left out, as locally
        dialect = rules_for(warehouse).dialect
        sources = [s for s in sources if statements_of([s], dialect, per_line=args.lines)]
        if not sources:
            where = ", ".join(str(p) for p in args.paths)
            raise UsageError(f"no SQL statement in {where}")
    answers = [client.check_sql(args.experiment, _body(args, *s)) for s in sources]
    report = merge([CheckReport.model_validate(a) for a in answers])
    if args.json:
        print_json(
            answers[0] if len(answers) == 1 else report.model_dump(mode="json", by_alias=True)
        )
    else:
        show_report(console(), report)
    return ExitCode.OK if report.ok else ExitCode.FAILED


def _body(args: argparse.Namespace, file: str | None, text: str) -> dict:
    body: dict = {"sql": text, "per_line": args.lines}
    if file is not None:
        body["file"] = file
    if args.timeout is not None:
        body["timeout_s"] = args.timeout
    return body


def merge(reports: list[CheckReport]) -> CheckReport:
    """One report of several files' reports (the same warehouse and schema)."""
    first = reports[0]
    statements = [s for r in reports for s in r.statements]
    notes = list(dict.fromkeys(n for r in reports for n in r.notes))
    return first.model_copy(
        update={
            "statements": statements,
            "summary": summarize(statements),
            "notes": notes,
            "rewrites_known": all(r.rewrites_known for r in reports),
            "elapsed_ms": sum(r.elapsed_ms for r in reports),
        }
    )
