"""Snowflake's system functions and views the emulator lacked, or answered from stale numbers.

- CURRENT_WAREHOUSE() / CURRENT_ROLE(): the session's, from the connection (``warehouse``,
  ``role``) or its last USE WAREHOUSE / USE ROLE; no warehouse is NULL, no role is SYSADMIN
  (the owner of every object the emulator lists).
- CURRENT_DATABASE() / CURRENT_SCHEMA(): the session's, as the client named them (upper case
  unless quoted); NULL when it has none (fakesnow answered DuckDB's catalog, ``memory`` and
  ``main``, for a session without a database or schema).
- RATIO_TO_REPORT(x) OVER (...): x / SUM(x) OVER (...); NULL when the sum is 0.
- INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => ..., START_TIME => ...[, END_TIME => ...]):
  the table's loads from the load history COPY INTO writes, in Snowflake's columns.
- SYSTEM$DWSIM_RESULT_CACHE() (the emulator's own): the results kept for RESULT_SCAN, as JSON
  (``results``, ``bytes`` and their limits, ``max_results``, ``max_bytes``).
- INFORMATION_SCHEMA.TABLES.ROW_COUNT: counted when read. DuckDB's estimate kept counting the
  rows of a TRUNCATE or DELETE until a checkpoint.
"""

import json
from typing import Any

import sqlglot
from sqlglot import exp

from dwsim_snowflake.explain import note
from dwsim_snowflake.refusals import emulator_limit

SESSION = "_dwsim_session"  # on the session's FakeSnowflakeConnection: {"warehouse", "role"}
DEFAULT_ROLE = "SYSADMIN"
RESULT_CACHE = "SYSTEM$DWSIM_RESULT_CACHE"


def session_info(conn: Any) -> dict[str, str | None]:
    return conn.__dict__.setdefault(SESSION, {"warehouse": None, "role": None})


def _remember_use(conn: Any, expression: exp.Expr) -> None:
    kind = expression.args.get("kind")
    name = expression.this.name.upper() if isinstance(expression.this, exp.Table) else None
    if isinstance(kind, exp.Var) and kind.name.upper() in ("WAREHOUSE", "ROLE") and name:
        session_info(conn)[kind.name.lower()] = name


def _ratio_to_report(window: exp.Window) -> exp.Expr:
    args = window.this.expressions
    if len(args) != 1 or window.args.get("order"):
        raise emulator_limit("RATIO_TO_REPORT with ORDER BY or several arguments", "")
    total = exp.Window(
        this=exp.Sum(this=args[0].copy()),
        partition_by=[p.copy() for p in window.args.get("partition_by") or []],
        over="OVER",
    )
    ratio = exp.Div(
        this=args[0].copy(), expression=exp.Nullif(this=total, expression=exp.Literal.number(0))
    )
    if isinstance(window.parent, exp.Select):
        return exp.alias_(ratio, window.sql(dialect="snowflake").upper(), quoted=True)
    return ratio


def _literal_or_null(value: str | None) -> exp.Expr:
    return exp.Literal.string(value) if value is not None else exp.Null()


def _current(conn: Any, node: exp.Expr) -> str | None:
    if isinstance(node, exp.CurrentDatabase):
        return conn.database if conn.database_set else None
    return conn.schema if conn.schema_set else None


def _named_as_called(node: exp.Expr, value: str | None) -> exp.Expr:
    """The value, named in a select list as Snowflake names the call's column."""
    replacement = _literal_or_null(value)
    parent = node.parent
    if isinstance(parent, exp.Select) and node in parent.expressions:
        return exp.alias_(replacement, node.sql(dialect="snowflake").upper(), quoted=True)
    return replacement


def _result_cache(conn: Any) -> str:
    cache = conn.results_cache
    return json.dumps(
        {
            "results": len(cache),
            "bytes": getattr(cache, "bytes", None),
            "max_results": getattr(cache, "max_results", None),
            "max_bytes": getattr(cache, "max_bytes", None),
        }
    )


def _kwargs(call: exp.Anonymous) -> dict[str, exp.Expr]:
    found = {}
    for arg in call.expressions:
        if not isinstance(arg, exp.Kwarg):
            raise emulator_limit(
                "COPY_HISTORY with positional arguments", "Name them: TABLE_NAME => ..."
            )
        found[arg.this.name.upper()] = arg.expression
    return found


_COPY_HISTORY = """
SELECT h.FILE_NAME, regexp_replace(h.FILE_NAME, '[^/]*$', '') AS STAGE_LOCATION,
    h.LAST_LOAD_TIME, h.ROW_COUNT, h.ROW_PARSED, CAST(NULL AS NUMBER) AS FILE_SIZE,
    h.FIRST_ERROR_MESSAGE, h.FIRST_ERROR_LINE_NUMBER,
    h.FIRST_ERROR_CHARACTER_POSITION AS FIRST_ERROR_CHARACTER_POS,
    h.FIRST_ERROR_COL_NAME AS FIRST_ERROR_COLUMN_NAME, h.ERROR_COUNT, h.ERROR_LIMIT,
    CASE h.STATUS WHEN 'LOADED' THEN 'Loaded' WHEN 'PARTIALLY_LOADED' THEN 'Partially loaded'
        WHEN 'LOAD_FAILED' THEN 'Load failed' ELSE h.STATUS END AS STATUS,
    '{db}' AS TABLE_CATALOG_NAME, h.SCHEMA_NAME AS TABLE_SCHEMA_NAME, h.TABLE_NAME,
    CAST(NULL AS VARCHAR) AS PIPE_CATALOG_NAME, CAST(NULL AS VARCHAR) AS PIPE_SCHEMA_NAME,
    CAST(NULL AS VARCHAR) AS PIPE_NAME, CAST(NULL AS TIMESTAMP_LTZ) AS PIPE_RECEIVED_TIME,
    h.LAST_LOAD_TIME AS FIRST_COMMIT_TIME
FROM "{db}"._FS_INFORMATION_SCHEMA._FS_LOAD_HISTORY AS h
WHERE UPPER(h.TABLE_NAME) = '{table}' AND UPPER(h.SCHEMA_NAME) = '{schema}'
    AND h.LAST_LOAD_TIME >= {start}{end}
"""


def _copy_history(conn: Any, node: exp.TableFromRows) -> exp.Expr | None:
    call = node.this.expression if isinstance(node.this, exp.Dot) else node.this
    if not (isinstance(call, exp.Anonymous) and call.name.upper() == "COPY_HISTORY"):
        return None
    parts = (
        node.this.this.sql(dialect="snowflake").upper().split(".")
        if isinstance(node.this, exp.Dot)
        else []
    )
    if parts[-1:] != ["INFORMATION_SCHEMA"]:
        return None
    args = _kwargs(call)
    if "TABLE_NAME" not in args or "START_TIME" not in args:
        raise emulator_limit(
            "COPY_HISTORY without TABLE_NAME and START_TIME", "Snowflake requires both."
        )
    name = args["TABLE_NAME"]
    if not (isinstance(name, exp.Literal) and name.is_string):
        raise emulator_limit("COPY_HISTORY with a TABLE_NAME that is not a string literal", "")
    names = name.this.upper().split(".")
    database = (
        names[-3] if len(names) == 3 else parts[0] if len(parts) == 2 else conn.database
    ) or ""
    schema = names[-2] if len(names) >= 2 else conn.schema or ""
    end = args.get("END_TIME")
    sql = _COPY_HISTORY.format(
        db=database.replace('"', ""),
        table=names[-1].replace("'", "''"),
        schema=schema.replace("'", "''"),
        start=args["START_TIME"].sql(dialect="snowflake"),
        end=f" AND h.LAST_LOAD_TIME < {end.sql(dialect='snowflake')}" if end is not None else "",
    )
    subquery = sqlglot.parse_one(sql, read="snowflake").subquery()
    alias = node.args.get("alias")
    if alias is not None:
        subquery.set("alias", alias)
    return subquery


def rewrite(cursor: Any, expression: exp.Expr) -> exp.Expr:
    """The functions and table functions above, before fakesnow's transforms."""
    conn = cursor._conn
    if isinstance(expression, exp.Use):
        _remember_use(conn, expression)
        return expression
    for call in list(expression.find_all(exp.Anonymous)):
        if call.name.upper() == RESULT_CACHE and not call.expressions:
            call.replace(_named_as_called(call, _result_cache(conn)))
    info = None
    for node in list(
        expression.find_all(
            exp.CurrentWarehouse, exp.CurrentRole, exp.CurrentDatabase, exp.CurrentSchema,
            exp.Window, exp.TableFromRows,
        )
    ):  # fmt: skip
        if isinstance(node, exp.CurrentDatabase | exp.CurrentSchema):
            if not isinstance(expression, exp.Create):  # a view's is read when it is queried
                note("CURRENT_DATABASE() / CURRENT_SCHEMA() of the session")
                node.replace(_named_as_called(node, _current(conn, node)))
        elif isinstance(node, exp.CurrentWarehouse | exp.CurrentRole):
            info = info or session_info(conn)
            value = (
                info["warehouse"]
                if isinstance(node, exp.CurrentWarehouse)
                else info["role"] or DEFAULT_ROLE
            )
            note("CURRENT_WAREHOUSE() / CURRENT_ROLE() of the session")
            node.replace(_literal_or_null(value))
        elif isinstance(node, exp.Window) and isinstance(node.this, exp.Anonymous):
            if node.this.name.upper() == "RATIO_TO_REPORT":
                note("RATIO_TO_REPORT")
                node.replace(_ratio_to_report(node))
        elif (
            isinstance(node, exp.TableFromRows)
            and (history := _copy_history(conn, node)) is not None
        ):
            note("INFORMATION_SCHEMA.COPY_HISTORY")
            node.replace(history)
    return expression


def exact_row_counts(cursor: Any, transformed: exp.Expr) -> exp.Expr:
    """INFORMATION_SCHEMA.TABLES (fakesnow's _FS_TABLES, after its transforms) with ROW_COUNT
    counted now, for every base table of the database read (not when it is described)."""
    if isinstance(transformed, exp.Describe):
        return transformed
    for table in list(transformed.find_all(exp.Table)):
        if table.name.upper() != "_FS_TABLES" or table.db.upper() != "_FS_INFORMATION_SCHEMA":
            continue
        database = table.catalog or cursor._conn.database
        if not database:
            continue
        counts = _counts(cursor, database)
        if not counts:
            continue
        cases = " ".join(
            f"WHEN \"TABLE_SCHEMA\" = '{s}' AND \"TABLE_NAME\" = '{t}' THEN {n}"
            for (s, t), n in counts.items()
        )
        note("INFORMATION_SCHEMA.TABLES.ROW_COUNT counted")
        inner = table.copy()
        inner.set("alias", None)
        select = sqlglot.parse_one(
            f'SELECT * REPLACE (CASE {cases} ELSE "ROW_COUNT" END AS "ROW_COUNT") FROM x',
            read="duckdb",
        )
        select.args["from_"].set("this", inner)
        alias = table.args.get("alias") or exp.TableAlias(this=exp.to_identifier(table.name))
        table.replace(exp.Subquery(this=select, alias=alias))
    return transformed


def _counts(cursor: Any, database: str) -> dict[tuple[str, str], int]:
    rows = cursor._duck_conn.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
        "AND NOT temporary AND schema_name <> '_fs_information_schema'",
        [database],
    ).fetchall()
    if not rows:
        return {}
    union = " UNION ALL ".join(
        f'SELECT {i} AS i, count(*) AS n FROM "{database}"."{s}"."{t}"'
        for i, (s, t) in enumerate(rows)
    )
    counted = dict(cursor._duck_conn.execute(union).fetchall())
    return {
        (s.replace("'", "''"), t.replace("'", "''")): counted.get(i, 0)
        for i, (s, t) in enumerate(rows)
    }
