"""SHOW SCHEMAS and SHOW TABLES / OBJECTS answered in Snowflake's shape (installed by the
launcher). fakesnow 0.12.1 already shapes SHOW TABLES / COLUMNS / OBJECTS / VIEWS, DESCRIBE TABLE
and SHOW PRIMARY / IMPORTED KEYS as Snowflake does (constraints.py keeps the keys); what differed:

- SHOW SCHEMAS gave the TERSE columns (created_on, name, kind, database_name, schema_name) even
  without TERSE, ignored LIKE / STARTS WITH / LIMIT / IN ACCOUNT, and named the information schema
  in lower case. Here it has Snowflake's columns (created_on, name, is_default, is_current,
  database_name, owner, comment, options, retention_time, owner_role_type, budget), is_current
  'Y' for the session's schema, INFORMATION_SCHEMA as Snowflake names it, ordered by database
  and name; TERSE keeps the five columns.
- SHOW TABLES / SHOW OBJECTS said every table had 0 rows and 0 bytes. Here ``rows`` is counted
  when read and ``bytes`` is estimated with it: the rows times the mean width, as text, of the
  table's first rows (0 for an empty table), without scanning the table.
- SHOW COLUMNS' ``data_type`` JSON said ``"nullable":true`` for NOT NULL columns; here it says
  what ``null?`` says. (CHAR lengths: see catalog_writes.py.)
- SHOW TABLES / OBJECTS / VIEWS said '' for every ``comment``; here it is the table's or view's
  comment (table_comments.py), '' when it has none, as in Snowflake.

Self-contained: a fix fakesnow could take upstream (tests/snowflake_emulator/corpus/show.yaml).
"""

from typing import Any

import fakesnow.transforms as fs_transforms
import sqlglot
from fakesnow.cursor import FakeSnowflakeCursor
from sqlglot import exp

_original_transform: Any = None  # FakeSnowflakeCursor._transform when install() ran

_INFO = "_fs_information_schema"
_INFO_COMMENT = "Views describing the contents of schemas in this database"
_SHOWN_WITH_ROWS = ("_FS_SHOW_TABLES", "_FS_SHOW_OBJECTS")
_SHOWN_WITH_COMMENTS = (*_SHOWN_WITH_ROWS, "_FS_SHOW_VIEWS")
_SHOWN = "shown"  # the alias of fakesnow's view inside the queries that read it
_SHOW_COLUMNS = "_FS_SHOW_COLUMNS"
_WIDTH_SAMPLE = 1000  # rows read to estimate a table's bytes per row
_NULLABLE_AS_DECLARED = """SELECT * REPLACE (CASE WHEN "null?" = 'false'
    THEN replace(data_type, '"nullable":true', '"nullable":false') ELSE data_type END
    AS data_type) FROM x"""
_WITH_COMMENTS = f"""SELECT * REPLACE (coalesce((SELECT any_value(o.comment) FROM (
        SELECT database_name, schema_name, table_name AS name, comment FROM duckdb_tables()
        UNION ALL SELECT database_name, schema_name, view_name, comment FROM duckdb_views()) o
    WHERE o.database_name = {_SHOWN}.database_name AND o.schema_name = {_SHOWN}.schema_name
      AND o.name = {_SHOWN}.name), '') AS comment) FROM x"""


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def show_schemas(expression: exp.Expr, current_database: str | None = None) -> exp.Expr:
    if not (isinstance(expression, exp.Show) and expression.name.upper() == "SCHEMAS"):
        return expression
    scope_kind = str(expression.args.get("scope_kind") or "").upper()
    scope = expression.args.get("scope")
    where = [
        "catalog_name NOT IN ('memory', 'system', 'temp', '_fs_global')",
        "schema_name NOT IN ('main', 'pg_catalog')",
    ]
    database = scope.name if isinstance(scope, exp.Table) and scope.name else current_database
    if scope_kind != "ACCOUNT" and database:
        where.append(f"catalog_name = {_quoted(database)}")
    name = f"CASE WHEN schema_name = '{_INFO}' THEN 'INFORMATION_SCHEMA' ELSE schema_name END"
    if isinstance(like := expression.args.get("like"), exp.Literal):
        where.append(f"{name} ILIKE {_quoted(like.this)}")
    if isinstance(starts := expression.args.get("starts_with"), exp.Literal):
        where.append(f"starts_with({name}, {_quoted(starts.this)})")
    info = f"schema_name = '{_INFO}'"
    if expression.args.get("terse"):
        columns = (
            f"to_timestamp(0)::timestamptz AS created_on, {name} AS name, NULL AS kind, "
            "catalog_name AS database_name, NULL AS schema_name"
        )
    else:
        columns = f"""to_timestamp(0)::timestamptz AS created_on, {name} AS name,
            'N' AS is_default,
            CASE WHEN catalog_name = current_database() AND schema_name = current_schema()
                 THEN 'Y' ELSE 'N' END AS is_current,
            catalog_name AS database_name,
            CASE WHEN {info} THEN '' ELSE 'SYSADMIN' END AS owner,
            CASE WHEN {info} THEN '{_INFO_COMMENT}' ELSE '' END AS comment,
            '' AS options, '1' AS retention_time,
            CASE WHEN {info} THEN '' ELSE 'ROLE' END AS owner_role_type,
            NULL AS budget"""
    limit = expression.args.get("limit")
    limit_sql = f" {limit.sql(dialect='duckdb')}" if isinstance(limit, exp.Limit) else ""
    query = (
        f"SELECT {columns} FROM information_schema.schemata WHERE {' AND '.join(where)} "
        f"ORDER BY database_name, name{limit_sql}"
    )
    return sqlglot.parse_one(query, read="duckdb")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sizes(cursor: FakeSnowflakeCursor) -> list[tuple[str, str, str, int, int]]:
    """(database, schema, table, rows, bytes) of every permanent table: rows counted now, bytes
    estimated as rows x the mean text width of the first ``_WIDTH_SAMPLE`` rows."""
    tables = cursor._duck_conn.execute(
        "SELECT t.database_name, t.schema_name, t.table_name, "
        "list(c.column_name ORDER BY c.column_index) "
        "FROM duckdb_tables() t JOIN duckdb_columns() c ON c.table_oid = t.table_oid "
        "WHERE NOT t.temporary AND NOT t.internal AND t.schema_name <> ? "
        "AND t.database_name NOT IN ('_fs_global', 'system', 'temp') GROUP BY ALL",
        [_INFO],
    ).fetchall()
    if not tables:
        return []
    parts = []
    for i, (d, s, t, columns) in enumerate(tables):
        table = f"{_ident(d)}.{_ident(s)}.{_ident(t)}"
        width = " + ".join(f"coalesce(strlen(CAST({_ident(c)} AS VARCHAR)), 0)" for c in columns)
        parts.append(
            f"SELECT {i} AS i, (SELECT count(*) FROM {table}) AS n, "
            f"(SELECT avg({width}) FROM (SELECT * FROM {table} LIMIT {_WIDTH_SAMPLE})) AS w"
        )
    found = {
        i: (n, round(n * (w or 0)))
        for i, n, w in cursor._duck_conn.execute(" UNION ALL ".join(parts)).fetchall()
    }
    return [(d, s, t, *found.get(i, (0, 0))) for i, (d, s, t, _) in enumerate(tables)]


def _replace_with_select(table: exp.Table, sql: str) -> None:
    """``table`` (fakesnow's view) becomes ``(sql) AS alias``, ``sql`` reading the view (as
    ``shown``)."""
    inner = table.copy()
    inner.set("alias", exp.TableAlias(this=exp.to_identifier(_SHOWN)))
    select = sqlglot.parse_one(sql, read="duckdb")
    select.args["from_"].set("this", inner)
    alias = table.args.get("alias") or exp.TableAlias(this=exp.to_identifier(table.name))
    table.replace(exp.Subquery(this=select, alias=alias))


def counted_rows(cursor: FakeSnowflakeCursor, transformed: exp.Expr) -> exp.Expr:
    """SHOW TABLES / OBJECTS (fakesnow's views, after its transforms) with ``rows`` counted and
    ``bytes`` estimated; SHOW COLUMNS with ``nullable`` as declared; SHOW TABLES / OBJECTS /
    VIEWS with the comments."""
    shown = [t for t in transformed.find_all(exp.Table) if t.db.upper() == _INFO.upper()]
    for table in shown:
        if table.name.upper() == _SHOW_COLUMNS:
            _replace_with_select(table, _NULLABLE_AS_DECLARED)
        elif table.name.upper() in _SHOWN_WITH_COMMENTS:
            _replace_with_select(table, _WITH_COMMENTS)
    shown = [t for t in transformed.find_all(exp.Table) if t.db.upper() == _INFO.upper()]
    shown = [t for t in shown if t.name.upper() in _SHOWN_WITH_ROWS]
    if not shown:
        return transformed
    sizes = _sizes(cursor)
    if not sizes:
        return transformed
    rows, size = [], []
    for d, s, t, n, b in sizes:
        when = f"WHEN database_name = {_quoted(d)} AND schema_name = {_quoted(s)} AND name = {_quoted(t)}"
        rows.append(f"{when} THEN {n}")
        size.append(f"{when} THEN {b}")
    sql = (
        f"SELECT * REPLACE (CASE {' '.join(rows)} ELSE rows END AS rows, "
        f"CASE {' '.join(size)} ELSE bytes END AS bytes) FROM x"
    )
    for table in shown:
        _replace_with_select(table, sql)
    return transformed


def _transform(self: FakeSnowflakeCursor, expression: exp.Expr, params: Any) -> Any:
    show = isinstance(expression, exp.Show)
    transformed = _original_transform(self, expression, params)
    return counted_rows(self, transformed) if show else transformed


def install() -> None:
    global _original_transform
    fs_transforms.show_schemas = show_schemas
    if FakeSnowflakeCursor._transform is _transform:
        return
    _original_transform = FakeSnowflakeCursor._transform
    FakeSnowflakeCursor._transform = _transform  # type: ignore[method-assign]
