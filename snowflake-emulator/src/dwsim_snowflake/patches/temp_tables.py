"""Temporary tables and views named like permanent ones (installed by the launcher).

Snowflake creates ``CREATE TEMPORARY TABLE db.schema.t`` in that schema, visible to the session
only; dbt does this for incremental runs, snapshots and unit tests. DuckDB keeps a connection's
temporary objects in its ``temp`` catalog only and refuses any other qualifier ("TEMPORARY table
names can *only* use the "temp" catalog"). So the object is created there under its own name,
the session remembers which database and schema it was named in, and every later reference
that resolves to that database.schema.name (qualified or through the current database and
schema) is pointed at ``temp.main.name`` while the temporary object exists (DESCRIBE of such a
table reads DuckDB's temporary catalog: patches/describe.py).
"""

from typing import Any

from fakesnow.cursor import FakeSnowflakeCursor
from sqlglot import exp

from dwsim_snowflake.explain import note

TEMP_CATALOG, TEMP_SCHEMA = "temp", "main"
_REGISTRY = "_dwsim_temp_objects"  # on the session's FakeSnowflakeConnection
_original_transform = None  # FakeSnowflakeCursor._transform when install() ran


def _key(table: exp.Table, database: str | None, schema: str | None) -> tuple[str, str, str]:
    """(database, schema, name) the table resolves to, in upper case (DuckDB's names are
    case-insensitive, so two objects cannot differ by case alone)."""
    return (
        (table.catalog or database or "").upper(),
        (table.db or schema or "").upper(),
        table.name.upper(),
    )


def _point_at_temp(table: exp.Table) -> None:
    table.set("catalog", exp.to_identifier(TEMP_CATALOG, quoted=True))
    table.set("db", exp.to_identifier(TEMP_SCHEMA, quoted=True))


def _created_temp(expression: exp.Expr) -> exp.Table | None:
    """The table a CREATE TEMPORARY TABLE/VIEW names, if that is the statement."""
    if not isinstance(expression, exp.Create) or str(expression.args.get("kind")).upper() not in (
        "TABLE",
        "VIEW",
    ):
        return None
    props = expression.args.get("properties")
    if props is None or not any(isinstance(p, exp.TemporaryProperty) for p in props.expressions):
        return None
    target = expression.this
    table = target.this if isinstance(target, exp.Schema) else target
    return table if isinstance(table, exp.Table) else None


def _live_temp_names(cursor: FakeSnowflakeCursor) -> set[str]:
    rows = cursor._duck_conn.execute(
        "SELECT upper(table_name) FROM duckdb_tables() WHERE temporary "
        "UNION ALL SELECT upper(view_name) FROM duckdb_views() "
        f"WHERE temporary AND database_name = '{TEMP_CATALOG}'"
    ).fetchall()
    return {r[0] for r in rows}


def rewrite(cursor: FakeSnowflakeCursor, expression: exp.Expr) -> exp.Expr:
    """Create temporary objects in DuckDB's temp catalog; point references to them there."""
    conn = cursor._conn
    registry: dict[str, tuple] = conn.__dict__.setdefault(_REGISTRY, {})
    database, schema = conn.database, conn.schema
    created = _created_temp(expression)
    if created is not None:
        note("temporary table named db.schema.name")
        key = _key(created, database, schema)
        registry[key[2]] = key
        created.set("catalog", None)  # DuckDB: temporary objects live in temp.main only
        created.set("db", None)
    if not registry:
        return expression
    candidates = [
        t for t in expression.find_all(exp.Table) if t is not created and t.name.upper() in registry
    ]
    if not candidates:
        return expression
    live = _live_temp_names(cursor)
    for table in candidates:
        key = _key(table, database, schema)
        if key[2] in live and registry.get(key[2]) == key and not _is_permanent_target(table):
            note("temporary table named db.schema.name")
            _point_at_temp(table)
    return expression


def _is_permanent_target(table: exp.Table) -> bool:
    """CREATE [OR REPLACE] TABLE db.s.t (not temporary) makes a permanent table of that name."""
    parent = table.parent
    if isinstance(parent, exp.Schema):
        parent = parent.parent
    return isinstance(parent, exp.Create) and parent.this in (table, table.parent)


def _without_bookkeeping(transformed: exp.Expr, temporary: bool) -> exp.Expr:
    """fakesnow records a created table's text lengths in its global catalog: for a temporary
    table (fakesnow's own MERGE makes one) inside a transaction that already wrote the user's
    database that failed, since a DuckDB transaction writes one database. (Comments are the
    table's own: table_comments.py.)"""
    if temporary:
        transformed.set("text_lengths", None)
    return transformed


def _transform(self: FakeSnowflakeCursor, expression: exp.Expr, params: Any) -> Any:
    assert _original_transform is not None
    temporary = _created_temp(expression) is not None
    transformed = _original_transform(self, rewrite(self, expression), params)
    return _without_bookkeeping(transformed, temporary)


def install() -> None:
    """Wrap the cursor's transform (after the other fixes that wrap it)."""
    global _original_transform
    if FakeSnowflakeCursor._transform is _transform:
        return
    _original_transform = FakeSnowflakeCursor._transform
    FakeSnowflakeCursor._transform = _transform  # type: ignore[method-assign]
