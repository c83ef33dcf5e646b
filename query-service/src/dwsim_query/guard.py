"""Statements refused before they reach a warehouse: those that would read, write or run
something on a host (the emulators run as privileged users of PostgreSQL and DuckDB).

Best effort, per warehouse as data: a query runs as an ordinary warehouse user's would, so
nothing ordinary matches. SQLite needs no rules: its adapter's authorizer refuses ATTACH,
load_extension() and PRAGMA settings itself.
"""

import re
from dataclasses import dataclass

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.errors import DwsimError


class NotAllowedError(DwsimError):
    """The statement would reach outside the warehouse (a file, a program, the server)."""


@dataclass(frozen=True)
class Rule:
    what: str  # named in the error: "<what> is not allowed"
    pattern: re.Pattern[str]
    in_code_only: bool = False  # match outside string literals and comments only


def _rule(what: str, pattern: str, in_code_only: bool = False) -> Rule:
    return Rule(what, re.compile(pattern, re.IGNORECASE), in_code_only)


STATEMENT_START = r"(?:^|;)\s*"  # on code with comments and literals masked
LOCAL_FILE_EXTENSIONS = r"csv|tsv|txt|parquet|json|jsonl|ndjson|gz|zst|xlsx|arrow|avro|db|duckdb"

RULES: dict[Warehouse, tuple[Rule, ...]] = {
    Warehouse.REDSHIFT: (
        _rule(
            "reading or writing the server's files",
            r"\b(?:pg_read_file|pg_read_binary_file|pg_ls_\w*dir|pg_stat_file|pg_file_\w+"
            r"|lo_import|lo_export|pg_(?:read|write)_server_files|pg_execute_server_program)\b",
        ),
        _rule("running a program (COPY ... PROGRAM)", r"\bPROGRAM\s+(?:E?'|\$)"),
        _rule("COPY to or from a file on the server", r"\bCOPY\b[^;]*?\b(?:TO|FROM)\s+E?'+/"),
        _rule("an anonymous code block (DO)", STATEMENT_START + r"DO\b", in_code_only=True),
        _rule("dblink", r"\bdblink\w*\s*\("),
        _rule("ALTER SYSTEM", r"\bALTER\s+SYSTEM\b", in_code_only=True),
        _rule(
            "CREATE EXTENSION, LANGUAGE, SERVER or FOREIGN DATA WRAPPER",
            r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TRUSTED\s+)?(?:PROCEDURAL\s+)?"
            r"(?:EXTENSION|LANGUAGE|SERVER|FOREIGN\s+DATA\s+WRAPPER)\b",
            in_code_only=True,
        ),
        _rule(
            "a function in C, an internal or an untrusted language",
            r"\bLANGUAGE\s+'?(?:c|internal|plperlu|pltclu)\b",
            in_code_only=True,
        ),
    ),
    Warehouse.SNOWFLAKE: (
        _rule(
            "PUT and GET (they read and write files on the query service's host)",
            STATEMENT_START + r"(?:PUT|GET)\b",
            in_code_only=True,
        ),
        _rule(
            "reading files with DuckDB's table functions",
            r"\b(?:read_\w+|parquet_scan|parquet_\w*metadata|parquet_schema|sniff_csv|glob"
            r"|sqlite_scan|sqlite_attach|delta_scan|iceberg_\w+|postgres_\w+|mysql_\w+)\s*\(",
        ),
        _rule(
            "reading a file of the host by its path",
            r"\b(?:FROM|JOIN)\s+(['\"])(?!s3://|gcs://|gs://|azure://|https://)(?:[^'\"]*[/\\:]"
            rf"|[^'\"]*\.(?:{LOCAL_FILE_EXTENSIONS}))[^'\"]*\1",
        ),
        _rule(
            "a stage on the host's files",
            r"\bURL\s*=\s*'(?!s3://|gcs://|gs://|azure://|https://)",
        ),
        _rule(
            "ATTACH, DETACH, INSTALL, LOAD, EXPORT, IMPORT, PRAGMA and COPY other than COPY INTO",
            STATEMENT_START
            + r"(?:ATTACH|DETACH|INSTALL|LOAD|EXPORT|IMPORT|PRAGMA|COPY\b(?!\s+(?:INTO|FILES)\b))\b",
            in_code_only=True,
        ),
    ),
    Warehouse.SQLITE: (),
}

_LITERALS_AND_COMMENTS = re.compile(
    r"'(?:[^']|'')*'?|\"(?:[^\"]|\"\")*\"?|--[^\n]*|/\*.*?(?:\*/|$)|\$(\w*)\$.*?(?:\$\1\$|$)",
    re.DOTALL,
)


def code_only(sql: str) -> str:
    """``sql`` with every string literal and quoted identifier blanked out (to ``''``) and
    every comment removed."""
    return _LITERALS_AND_COMMENTS.sub(lambda m: " " if m[0][:2] in ("--", "/*") else " '' ", sql)


def check_allowed(warehouse: Warehouse, sql: str) -> None:
    """Raise ``NotAllowedError`` naming what the statement would do, if a rule matches."""
    code = None
    for rule in RULES[Warehouse(warehouse)]:
        if rule.in_code_only:
            code = code_only(sql) if code is None else code
        if rule.pattern.search(code if rule.in_code_only else sql):
            raise NotAllowedError(
                f"{rule.what} is not allowed: a query runs as an ordinary "
                f"{Warehouse(warehouse).value} user's would, and may not read, write or run "
                "anything on the host"
            )
