"""Every change the emulator makes to fakesnow, in one package, checked at start.

fakesnow has no extension points, so each module here replaces some of its (often private)
names: functions, methods, module constants. They were written against exactly
``FAKESNOW_VERSION``, which snowflake-emulator/pyproject.toml pins. ``PATCHES`` lists, per
module and in install order, the names it replaces and the names it relies on; ``check()``
runs before any module here is imported (they import fakesnow's names at import time) and
refuses to start, naming the patch, when fakesnow no longer has one of them. The canary tests
(tests/snowflake_emulator/test_patch_canaries.py) fail when a patch stops being needed or
stops applying, and when a patch replaces a name this table does not list.
"""

import importlib
import importlib.metadata
import logging
from dataclasses import dataclass

from dwsim_shared.errors import DwsimError

log = logging.getLogger("dwsim.snowflake")

FAKESNOW_VERSION = "0.12.1"  # the version every patch was written and tested against

CURSOR = "fakesnow.cursor:FakeSnowflakeCursor"


@dataclass(frozen=True)
class Patch:
    module: str  # in dwsim_snowflake.patches
    fixes: str  # what it fixes, for error messages
    replaces: tuple[str, ...]  # "module:attr[.attr]" of fakesnow it assigns
    uses: tuple[str, ...] = ()  # fakesnow names it reads or calls


# Install order matters where several wrap the same method: the last installed sees the
# statement first (constraints reads the names a statement was written with, before temp_tables
# points them at temporary tables; host_files refuses host paths before any rewrite).
PATCHES: tuple[Patch, ...] = (
    Patch(
        "info_schema",
        "INFORMATION_SCHEMA.TABLES lists views",
        ("fakesnow.info_schema:SQL_CREATE_INFORMATION_SCHEMA_TABLES_VIEW",),
    ),
    Patch(
        "catalog_writes",
        "CHAR/NCHAR/NVARCHAR lengths kept; CREATE TABLE with text columns inside BEGIN",
        ("fakesnow.transforms:extract_text_length", f"{CURSOR}._execute"),
        ("fakesnow.info_schema:insert_text_lengths_sql",),
    ),
    Patch(
        "table_comments",
        "table and view comments kept with the table (COMMENT ON, SET / UNSET COMMENT, "
        "CREATE ... COMMENT =, copied by LIKE / CLONE); COMMENT ON other objects refused",
        ("fakesnow.transforms:extract_comment_on_table",),
        ("fakesnow.transforms:SUCCESS_NOP",),
    ),
    Patch(
        "column_comments",
        "column comments (CREATE TABLE | VIEW ... COMMENT, ALTER COLUMN ... [UNSET] COMMENT, "
        "COMMENT ON COLUMN) kept; every comment written",
        ("fakesnow.transforms:extract_comment_on_columns", f"{CURSOR}._execute"),
        ("fakesnow.transforms:SUCCESS_NOP",),
    ),
    Patch(
        "cursor",
        "DROP DATABASE, LIST of S3 stages, Snowflake-shaped errors, TRUNCATE load history, "
        "SYSTEM$DWSIM_EXPLAIN, the session's query ids, PUBLIC current after USE DATABASE, "
        "the new database current after CREATE DATABASE",
        (f"{CURSOR}.execute",),
        (
            "fakesnow.dialect:parse_one",  # explain.py: a statement transformed, not run
            f"{CURSOR}._inline_variables",
            f"{CURSOR}._transform_explode",
            f"{CURSOR}.sfqid",  # result_scan.py: the session's query ids
            "fakesnow.transforms.stage:parts_from_var",
            "fakesnow.transforms.stage:not_found_error",
        ),
    ),
    Patch(
        "locks",
        "a DELETE/UPDATE/MERGE/TRUNCATE waits for another transaction's lock on its table, "
        "and a detached (idle) transaction blocking it is aborted, as in Snowflake; DuckDB "
        "failed it at once (Conflict on tuple deletion); SHOW LOCKS, SHOW TRANSACTIONS, "
        "SYSTEM$ABORT_TRANSACTION and BEGIN NAME, which fakesnow failed",
        (f"{CURSOR}.execute", f"{CURSOR}._execute"),
        ("fakesnow.server:sessions",),
    ),
    Patch(
        "semantics",
        "silent wrong answers: NUMBER division and AVG, TO_CHAR formats, FLATTEN OUTER, "
        "RESULT_SCAN inside a query, LAST_QUERY_ID(), CURRENT_DATABASE(), ...",
        (f"{CURSOR}._transform",),
        ("fakesnow.transforms:result_scan",),  # answers SELECT * FROM TABLE(RESULT_SCAN('id'))
    ),
    Patch(
        "show",
        "SHOW SCHEMAS in Snowflake's columns, SHOW TABLES / OBJECTS with their rows counted",
        ("fakesnow.transforms:show_schemas", f"{CURSOR}._transform"),
    ),
    Patch(
        "aggregates",
        "SUM/AVG of NUMBER stay exact",
        ("fakesnow.transforms:numeric_agg_implicit_cast", f"{CURSOR}._transform"),
        (
            "fakesnow.transforms.transforms:_NUMERIC_ONLY_AGGS",
            "fakesnow.transforms.transforms:_numeric_agg_col_name",
        ),
    ),
    Patch(
        "temp_tables",
        "temporary tables named db.schema.name",
        (f"{CURSOR}._transform",),
    ),
    Patch(
        "describe",
        "DESCRIBE TABLE of another database's table, or without a current database; comments",
        ("fakesnow.transforms:describe_table",),
    ),
    Patch(
        "constraints",
        "keys recorded, not enforced",
        (
            f"{CURSOR}._transform",
            f"{CURSOR}._execute",
            "fakesnow.transforms:show_keys",
            "fakesnow.transforms:describe_table",
            "fakesnow.info_schema:per_db_creation_sql",
        ),
        ("fakesnow.transforms:SUCCESS_NOP",),
    ),
    Patch(
        "merge",
        "MERGE ... INSERT VALUES with unqualified source columns",
        (f"{CURSOR}._transform_explode",),
    ),
    Patch(
        "results",
        "NULL timestamps come back NULL; VARIANT text indented as Snowflake sends it; "
        "lists and structs sent as ARRAY / OBJECT",
        (
            "fakesnow.arrow:timestamp_to_sf_struct",
            "fakesnow.server:to_sf",
            "fakesnow.server:describe_as_rowtype",
        ),
    ),
    Patch(
        "copy_into",
        "COPY INTO: atomic, S3 prefixes, PATTERN, prefetch, errors naming the file",
        (
            "fakesnow.cursor:copy_into",
            "fakesnow.copy_into:_source_urls",
            "fakesnow.copy_into:_source_glob",
            "fakesnow.copy_into:_get_parquet_column_names",
            "fakesnow.copy_into:FileTypeHandler.file_literal",
        ),
        (  # copy_load.py runs the statement with fakesnow's resolution of it
            "fakesnow.copy_into:_params",
            "fakesnow.copy_into:_from_source",
            "fakesnow.copy_into:stage_url_from_var",
            "fakesnow.copy_into:_inserts",
            "fakesnow.copy_into:_describe_table",
            "fakesnow.copy_into:_extract_table",
            "fakesnow.copy_into:CopyParams",
            "fakesnow.copy_into:ReadCSV",
            "fakesnow.copy_into:ReadParquet",
            "fakesnow.copy_into:ParquetLoadInfo",
            "fakesnow.copy_into:MatchByColumnName",
            "fakesnow.transforms.file_format:lookup_file_format",
            "fakesnow.transforms.options:parse_options",
            "fakesnow.transforms.stage:file_path",
            "fakesnow.transforms.stage:is_internal",
            "fakesnow.transforms.stage:internal_dir",
            "fakesnow.transforms.stage:internal_file_name",
        ),
    ),
    Patch(
        "stage_formats",
        "a stage's FILE_FORMAT used by COPY INTO; COPY_OPTIONS refused",
        ("fakesnow.transforms:create_stage",),
    ),
    Patch(
        "host_files",
        "SQL cannot read or write the host's files",
        (f"{CURSOR}._transform", f"{CURSOR}._execute"),
    ),
    Patch(
        "variables",
        "$names in comments and string literals are not session variables",
        (f"{CURSOR}._inline_variables",),
        ("fakesnow.variables:Variables",),
    ),
    Patch(
        "syntax_errors",
        "syntax errors worded as Snowflake's",
        ("fakesnow.dialect:syntax_error", "fakesnow.cursor:syntax_error"),
    ),
    Patch(
        "session",
        "CURRENT_WAREHOUSE() / CURRENT_ROLE() of the connection; quoted database and schema "
        "names kept; PUBLIC current when only a database is named",
        (),  # replaces the login route of fakesnow.server:app, not a name
        (
            "fakesnow.server:app",
            "fakesnow.server:login_request",
            "fakesnow.server:sessions",
            "fakesnow.server:shared_fs",  # session_names.py: creates a quoted name exactly
        ),
    ),
    Patch(
        "persistence",
        "databases, stages and formats kept in the data folder",
        ("fakesnow.transforms.stage:LOCAL_BUCKET_PATH", "fakesnow.server:shared_fs"),
        (
            "fakesnow.instance:FakeSnow",
            "fakesnow.instance:GLOBAL_DATABASE_NAME",
            "fakesnow.info_schema:fs_global_creation_sql",
            "fakesnow.macros:creation_sql",
            "fakesnow.transforms.show:fs_global_creation_sql",
            "fakesnow.server:sessions",
        ),
    ),
    Patch(
        "result_cache",
        "results kept for RESULT_SCAN within a count and a byte budget, not forever",
        (),  # replaces the instance's results_cache (the launcher calls bound()), not a name
        ("fakesnow.instance:FakeSnow",),
    ),
    Patch(
        "idle_sessions",
        "sessions idle past DWSIM_SNOWFLAKE_SESSION_IDLE_SECONDS are ended, not kept forever",
        (),  # a middleware on fakesnow.server:app (the launcher calls bound()), not a name
        ("fakesnow.server:app", "fakesnow.server:sessions"),
    ),
    Patch(
        "cancel",
        "the connector's abort request cancels the statement",
        (),  # replaces one route of fakesnow.server:app, not a name
        ("fakesnow.server:app", "fakesnow.server:sessions"),
    ),
    Patch(
        "bad_requests",
        "malformed login and query requests answered 400 with what is wrong, not 500 with a "
        "traceback",
        (),  # wraps two routes of fakesnow.server:app (after session's login), not a name
        ("fakesnow.server:app", "fakesnow.converter:from_binding"),
    ),
)


def _resolve(target: str) -> object:
    module_name, _, path = target.partition(":")
    found: object = importlib.import_module(module_name)
    for attr in path.split("."):
        found = getattr(found, attr)
    return found


def problems() -> list[str]:
    """One line per name a patch needs that the installed fakesnow does not have."""
    found = []
    for patch in PATCHES:
        for target in (*patch.replaces, *patch.uses):
            try:
                _resolve(target)
            except (ImportError, AttributeError) as exc:
                verb = "replaces" if target in patch.replaces else "uses"
                found.append(
                    f"patch '{patch.module}' ({patch.fixes}) {verb} {target}, which is missing "
                    f"({type(exc).__name__}: {exc})"
                )
    return found


def installed_fakesnow() -> str:
    return importlib.metadata.version("fakesnow")


def check() -> None:
    """Refuse to start when a patch no longer applies to the installed fakesnow."""
    version = installed_fakesnow()
    found = problems()
    if found:
        raise DwsimError(
            f"fakesnow {version} is installed but the Snowflake emulator's patches were written "
            f"for {FAKESNOW_VERSION}; these no longer apply:\n  "
            + "\n  ".join(found)
            + f"\nInstall fakesnow=={FAKESNOW_VERSION} (pip install -e ./snowflake-emulator) "
            "or update the patches in dwsim_snowflake/patches/."
        )
    if version != FAKESNOW_VERSION:
        log.warning(
            "snowflake.fakesnow_version installed=%s patched_for=%s: every patched name exists, "
            "but behaviour may differ; run tests/snowflake_emulator",
            version,
            FAKESNOW_VERSION,
        )


def install_fixes() -> None:
    """Check, then install the patches that need no running instance, in ``PATCHES`` order
    (before databases are attached: some define their catalog views)."""
    check()
    for patch in PATCHES:
        module = importlib.import_module(f"{__name__}.{patch.module}")
        if install := getattr(module, "install", None):  # persistence: used by the launcher
            install()
