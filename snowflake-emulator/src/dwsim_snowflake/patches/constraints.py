"""Keys kept as metadata, never enforced (installed by the launcher; ARCHITECTURE decision 11).

Snowflake enforces only NOT NULL: a second load of the same rows, or a child loaded before its
parent, succeeds. Here CREATE TABLE and ALTER TABLE ... ADD/DROP CONSTRAINT keep PRIMARY KEY,
UNIQUE and FOREIGN KEY out of DuckDB (constraint_ddl.py) and record them in one global table,
from which the places tools read keys answer as Snowflake does: SHOW PRIMARY / UNIQUE / IMPORTED
KEYS, INFORMATION_SCHEMA.TABLE_CONSTRAINTS and REFERENTIAL_CONSTRAINTS, and DESCRIBE TABLE's
"primary key" / "unique key" columns. Keys of dropped tables are forgotten; a renamed table keeps
its keys. The record is written on its own DuckDB cursor (as fakesnow writes file formats), so
it never joins the user's transaction, which may write another database.
"""

from dataclasses import dataclass, field
from typing import Any

import fakesnow.transforms as fs_transforms
import sqlglot
from fakesnow import info_schema
from fakesnow.cursor import FakeSnowflakeCursor
from sqlglot import exp

from dwsim_snowflake.constraint_ddl import (
    FOREIGN,
    PRIMARY,
    UNIQUE,
    Key,
    TableKey,
    alter_keys,
    ident,
    table_key,
    take_from_create,
)
from dwsim_snowflake.explain import note

STORE = "_fs_global._fs_information_schema._dwsim_constraints"
LIVE = "_fs_global._fs_information_schema._dwsim_live_constraints"
_MATCH = (
    "upper(k.database_name) = upper(?) AND upper(k.schema_name) = upper(?) "
    "AND upper(k.table_name) = upper(?)"
)

GLOBAL_SQL = f"""
CREATE TABLE IF NOT EXISTS {STORE} (
    database_name VARCHAR, schema_name VARCHAR, table_name VARCHAR,
    constraint_name VARCHAR, constraint_type VARCHAR, column_names VARCHAR[],
    ref_database_name VARCHAR, ref_schema_name VARCHAR, ref_table_name VARCHAR,
    ref_column_names VARCHAR[], created_on TIMESTAMPTZ DEFAULT now(), comment VARCHAR
);
CREATE VIEW IF NOT EXISTS {LIVE} AS
SELECT k.* FROM {STORE} k
WHERE EXISTS (SELECT 1 FROM duckdb_tables() t
              WHERE upper(t.database_name) = upper(k.database_name)
                AND upper(t.schema_name) = upper(k.schema_name)
                AND upper(t.table_name) = upper(k.table_name));
"""

_PER_DB_SQL = f"""
create or replace view ${{catalog}}._fs_information_schema._dwsim_table_constraints AS
select database_name AS CONSTRAINT_CATALOG, schema_name AS CONSTRAINT_SCHEMA,
    constraint_name AS CONSTRAINT_NAME, database_name AS TABLE_CATALOG,
    schema_name AS TABLE_SCHEMA, table_name AS TABLE_NAME, constraint_type AS CONSTRAINT_TYPE,
    'NO' AS IS_DEFERRABLE, 'NO' AS INITIALLY_DEFERRED, 'NO' AS ENFORCED, comment AS COMMENT,
    created_on AS CREATED, created_on AS LAST_ALTERED, 'NO' AS RELY
from {LIVE} where database_name = '${{catalog}}';
create or replace view ${{catalog}}._fs_information_schema._dwsim_referential_constraints AS
select f.database_name AS CONSTRAINT_CATALOG, f.schema_name AS CONSTRAINT_SCHEMA,
    f.constraint_name AS CONSTRAINT_NAME, p.database_name AS UNIQUE_CONSTRAINT_CATALOG,
    p.schema_name AS UNIQUE_CONSTRAINT_SCHEMA, p.constraint_name AS UNIQUE_CONSTRAINT_NAME,
    'FULL' AS MATCH_OPTION, 'NO ACTION' AS UPDATE_RULE, 'NO ACTION' AS DELETE_RULE,
    f.comment AS COMMENT, f.created_on AS CREATED, f.created_on AS LAST_ALTERED
from {LIVE} f
left join {STORE} p on upper(p.database_name) = upper(f.ref_database_name)
    and upper(p.schema_name) = upper(f.ref_schema_name)
    and upper(p.table_name) = upper(f.ref_table_name)
    and p.constraint_type in ('{PRIMARY}', '{UNIQUE}') and p.column_names = f.ref_column_names
where f.constraint_type = '{FOREIGN}' and f.database_name = '${{catalog}}';
"""
_VIEWS = {"TABLE_CONSTRAINTS", "REFERENTIAL_CONSTRAINTS"}

_original_per_db = info_schema.per_db_creation_sql
_original_show_keys = fs_transforms.show_keys
_original_transform = None  # FakeSnowflakeCursor._transform when install() ran
_original_execute = FakeSnowflakeCursor._execute
_original_describe = None


def per_db_creation_sql(catalog: str) -> str:
    """fakesnow's catalog of a database, with the key views (and the store they read)."""
    return _original_per_db(catalog) + GLOBAL_SQL + _PER_DB_SQL.replace("${catalog}", catalog)


@dataclass
class KeyChange:
    """What a statement does to the recorded keys, applied once it has run."""

    table: TableKey
    replace: bool = False  # CREATE TABLE: the table's keys are exactly `add`
    add: list[Key] = field(default_factory=list)
    drop_names: list[str] = field(default_factory=list)
    drop_primary: bool = False
    forget: bool = False  # DROP TABLE
    rename_to: TableKey | None = None


def _exists(cursor: FakeSnowflakeCursor, key: TableKey) -> bool:
    sql = f"SELECT count(*) FROM duckdb_tables() k WHERE {_MATCH}"
    return cursor._duck_conn.execute(sql, list(key)).fetchone()[0] > 0


def plan(cursor: FakeSnowflakeCursor, expression: exp.Expr) -> list[KeyChange]:
    """The key changes the statement makes; keys are taken out of it (or it becomes a no-op)."""
    database, schema = cursor._conn.database, cursor._conn.schema
    if isinstance(expression, exp.Create) and expression.kind == "TABLE":
        table = expression.find(exp.Table)
        if table is None or expression.find(exp.TemporaryProperty):
            return []  # a temporary table's keys would shadow a permanent one's: not recorded
        keys = take_from_create(expression, database, schema)
        key = table_key(table, database, schema)
        if expression.args.get("exists") and _exists(cursor, key):
            return []
        return [KeyChange(key, replace=True, add=keys)]
    if isinstance(expression, exp.Drop) and str(expression.args.get("kind")).upper() == "TABLE":
        tables = expression.args.get("tables") or [expression.this]  # DROP TABLE a[, b]
        return [
            KeyChange(table_key(t, database, schema), forget=True)
            for t in tables
            if isinstance(t, exp.Table)
        ]
    if isinstance(expression, exp.Alter) and isinstance(expression.this, exp.Table):
        key = table_key(expression.this, database, schema)
        actions = expression.args.get("actions") or []
        if len(actions) == 1 and isinstance(actions[0], exp.AlterRename):
            new = actions[0].this
            renamed = table_key(new, key[0], key[1]) if isinstance(new, exp.Table) else None
            return [KeyChange(key, rename_to=renamed)] if renamed else []
        change = alter_keys(expression, database, schema)
        if change is not None:
            return [KeyChange(key, **vars(change))]
    return []


def _ref_columns(meta: Any, key: Key) -> list[str]:
    if key.ref_columns or key.ref is None:
        return key.ref_columns
    row = meta.execute(
        f"SELECT column_names FROM {STORE} k WHERE {_MATCH} AND constraint_type = ?",
        [*key.ref, PRIMARY],
    ).fetchone()
    return list(row[0]) if row else []


def apply(cursor: FakeSnowflakeCursor, changes: list[KeyChange]) -> None:
    with cursor._duck_conn.cursor() as meta:
        for change in changes:
            where, table = f"WHERE {_MATCH}", list(change.table)
            if change.replace or change.forget:
                meta.execute(f"DELETE FROM {STORE} k {where}", table)
            if change.rename_to is not None:
                meta.execute(
                    f"UPDATE {STORE} k SET database_name = ?, schema_name = ?, table_name = ? "
                    f"{where}",
                    [*change.rename_to, *table],
                )
                meta.execute(
                    f"UPDATE {STORE} k SET ref_database_name = ?, ref_schema_name = ?, "
                    f"ref_table_name = ? WHERE {_MATCH.replace('k.', 'k.ref_')}",
                    [*change.rename_to, *table],
                )
            for name in change.drop_names:
                meta.execute(
                    f"DELETE FROM {STORE} k {where} AND constraint_name = ?", [*table, name]
                )
            if change.drop_primary:
                meta.execute(
                    f"DELETE FROM {STORE} k {where} AND constraint_type = ?", [*table, PRIMARY]
                )
            for key in change.add:
                ref = key.ref or (None, None, None)
                meta.execute(
                    f"INSERT INTO {STORE} (database_name, schema_name, table_name, "
                    "constraint_name, constraint_type, column_names, ref_database_name, "
                    "ref_schema_name, ref_table_name, ref_column_names) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [*change.table, key.name, key.kind, key.columns, *ref, _ref_columns(meta, key)],
                )


def redirect_info_schema(expression: exp.Expr) -> exp.Expr:
    """INFORMATION_SCHEMA.TABLE_CONSTRAINTS / REFERENTIAL_CONSTRAINTS read the recorded keys."""
    for table in expression.find_all(exp.Table):
        if table.db.upper() == "INFORMATION_SCHEMA" and table.name.upper() in _VIEWS:
            table.set("this", exp.to_identifier(f"_DWSIM_{table.name.upper()}"))
            table.set("db", exp.to_identifier("_FS_INFORMATION_SCHEMA"))
    return expression


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _scope_filter(expression: exp.Show, current_database: str | None, prefix: str) -> str:
    scope_kind = expression.args.get("scope_kind")
    scope = expression.args.get("scope")
    parts = []
    if scope_kind == "DATABASE" and scope is not None:
        parts.append(("database_name", ident(scope.this)))
    elif scope_kind == "SCHEMA" and scope is not None:
        parts += [("database_name", ident(scope.args.get("db")) or current_database or "")]
        parts.append(("schema_name", ident(scope.this)))
    elif scope_kind == "TABLE" and scope is not None:
        if scope.args.get("catalog") or not scope.args.get("db"):
            parts.append(("database_name", ident(scope.args.get("catalog")) or current_database))
        if scope.args.get("db"):
            parts.append(("schema_name", ident(scope.args.get("db"))))
        parts.append(("table_name", ident(scope.this)))
    elif scope_kind != "ACCOUNT" and current_database:
        parts.append(("database_name", current_database))
    return "".join(
        f" AND upper({prefix}{col}) = upper({_literal(val)})" for col, val in parts if val
    )


def show_keys(expression: exp.Expr, current_database: str | None, *, kind: str) -> exp.Expr:
    """SHOW PRIMARY / UNIQUE / IMPORTED KEYS from the recorded keys, in Snowflake's columns."""
    shown = "IMPORTED" if kind == "FOREIGN" else kind
    if not (isinstance(expression, exp.Show) and expression.name.upper() == f"{shown} KEYS"):
        return expression
    if kind != "FOREIGN":
        sql = f"""
            SELECT created_on, database_name, schema_name, table_name,
                unnest(column_names) AS column_name,
                unnest(generate_series(1, len(column_names))) AS key_sequence,
                constraint_name, 'false' AS rely, comment
            FROM {LIVE} k WHERE constraint_type = {_literal(PRIMARY if kind == "PRIMARY" else UNIQUE)}
            {_scope_filter(expression, current_database, "k.")}
            ORDER BY database_name, schema_name, table_name, key_sequence"""
        return sqlglot.parse_one(sql, read="duckdb")
    sql = f"""
        SELECT f.created_on, f.ref_database_name AS pk_database_name,
            f.ref_schema_name AS pk_schema_name, f.ref_table_name AS pk_table_name,
            unnest(f.ref_column_names) AS pk_column_name, f.database_name AS fk_database_name,
            f.schema_name AS fk_schema_name, f.table_name AS fk_table_name,
            unnest(f.column_names) AS fk_column_name,
            unnest(generate_series(1, len(f.column_names))) AS key_sequence,
            'NO ACTION' AS update_rule, 'NO ACTION' AS delete_rule, f.constraint_name AS fk_name,
            (SELECT p.constraint_name FROM {STORE} p
             WHERE upper(p.database_name) = upper(f.ref_database_name)
               AND upper(p.schema_name) = upper(f.ref_schema_name)
               AND upper(p.table_name) = upper(f.ref_table_name)
               AND p.constraint_type IN ('{PRIMARY}', '{UNIQUE}')
               AND p.column_names = f.ref_column_names LIMIT 1) AS pk_name,
            'NOT DEFERRABLE' AS deferrability, 'false' AS rely, f.comment AS comment
        FROM {LIVE} f WHERE f.constraint_type = '{FOREIGN}'
        {_scope_filter(expression, current_database, "f.")}
        ORDER BY fk_database_name, fk_schema_name, fk_table_name, key_sequence"""
    return sqlglot.parse_one(sql, read="duckdb")


def describe_table(
    expression: exp.Expr, current_database: str | None = None, current_schema: str | None = None
) -> exp.Expr:
    """DESCRIBE TABLE says Y in "primary key" / "unique key" for the recorded keys' columns."""
    assert _original_describe is not None
    result = _original_describe(expression, current_database, current_schema)
    table = expression.find(exp.Table) if isinstance(expression, exp.Describe) else None
    if table is None or result is expression or not isinstance(result, exp.Select):
        return result
    db, schema = table.catalog or current_database or "", table.db or current_schema or ""
    match = _MATCH
    for value in (db, schema, table.name):
        match = match.replace("?", _literal(value), 1)
    for item in result.expressions:
        kind = {"primary key": PRIMARY, "unique key": UNIQUE}.get(item.alias)
        if kind is None:
            continue
        flag = sqlglot.parse_one(
            f"CASE WHEN EXISTS (SELECT 1 FROM {STORE} k WHERE {match} "
            f"AND k.constraint_type = '{kind}' AND list_contains(k.column_names, column_name)) "
            "THEN 'Y' ELSE 'N' END",
            read="duckdb",
        )
        item.set("this", flag)
    return result


def _transform(self: FakeSnowflakeCursor, expression: exp.Expr, params: Any) -> Any:
    assert _original_transform is not None
    changes = plan(self, expression)
    self.__dict__["_dwsim_key_changes"] = changes
    if any(change.add for change in changes):
        note("constraints kept as metadata, not enforced")
    if changes and isinstance(expression, exp.Alter) and not changes[0].rename_to:
        expression = fs_transforms.SUCCESS_NOP.copy()  # only keys changed: nothing for DuckDB
    return redirect_info_schema(_original_transform(self, expression, params))


def _execute(self: FakeSnowflakeCursor, transformed: exp.Expr, params: Any = None) -> None:
    changes = self.__dict__.pop("_dwsim_key_changes", None)
    _original_execute(self, transformed, params)
    if changes:
        apply(self, changes)


def install() -> None:
    """Hook DDL, SHOW ... KEYS, DESCRIBE and the catalog views (before databases are attached:
    each gets its key views with fakesnow's catalog)."""
    global _original_transform, _original_describe
    if FakeSnowflakeCursor._transform is _transform:
        return
    _original_transform = FakeSnowflakeCursor._transform
    _original_describe = fs_transforms.describe_table
    FakeSnowflakeCursor._transform = _transform  # type: ignore[method-assign]
    FakeSnowflakeCursor._execute = _execute  # type: ignore[method-assign]
    fs_transforms.show_keys = show_keys
    fs_transforms.describe_table = describe_table
    info_schema.per_db_creation_sql = per_db_creation_sql
