"""Comments on tables, views and columns, kept as DuckDB's own comments on those objects.

A statement's comments are taken out of it by the transforms (patches/table_comments.py,
patches/column_comments.py) and kept on it as a ``CommentPlan``; ``execute`` writes them with
DuckDB's ``COMMENT ON TABLE | VIEW | COLUMN``. Kept with the object, a comment goes with it:
dropped with the table, gone when CREATE OR REPLACE makes a new one, rolled back with the
transaction that made the table, and kept in the database file across restarts.

- A statement that only comments (COMMENT ON, ALTER ... SET | UNSET COMMENT, ALTER COLUMN ...
  COMMENT) runs its writes as statements of their own, so a missing table or column is the
  statement's error (IF EXISTS: no error for a missing table), then answers "Statement executed
  successfully.", as Snowflake does.
- A CREATE writes its comments once it ran (not when IF NOT EXISTS found the table there
  already); CREATE TABLE ... LIKE / CLONE first copies the source's table and column comments.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fakesnow.cursor import FakeSnowflakeCursor
from snowflake.connector.errors import ProgrammingError
from sqlglot import exp

from dwsim_snowflake.patches import temp_tables

ARG = "dwsim_comments"  # on the transformed statement: its CommentPlan
_MISSING_OBJECT = 2003  # fakesnow's errno for DuckDB's "Catalog Error: ... does not exist"

# fakesnow's FakeSnowflakeCursor._execute(cursor, expression, params)
Run = Callable[[FakeSnowflakeCursor, exp.Expr, Any], Any]


@dataclass
class CommentWrite:
    kind: str  # TABLE, VIEW or COLUMN
    table: exp.Table  # the table or view (of the column)
    text: str | None  # None: no comment (UNSET COMMENT)
    column: str | None = None


@dataclass
class CommentPlan:
    only_comments: bool  # the statement does nothing else: the writes are the statement
    if_exists: bool = False  # a missing table is no error
    if_not_exists: bool = False  # CREATE ... IF NOT EXISTS: write only if the table is new
    writes: list[CommentWrite] = field(default_factory=list)
    created: exp.Table | None = None  # the table or view a CREATE makes
    copy_from: exp.Table | None = None  # LIKE / CLONE: the table whose comments it copies


def plan_of(expression: exp.Expr, only_comments: bool = False) -> CommentPlan:
    """The statement's plan, made (with ``only_comments``) if it has none yet."""
    plan = expression.args.get(ARG)
    if plan is None:
        plan = expression.args[ARG] = CommentPlan(only_comments=only_comments)
    return plan


def text_of(value: exp.Expr | None) -> str | None:
    """The text of a comment written 'like this' or $$like this$$; None for anything else."""
    if isinstance(value, exp.Literal) and value.is_string:
        return value.this
    if isinstance(value, exp.RawString | exp.Var):
        return value.this
    return None


def create_plan(create: exp.Create) -> CommentPlan | None:
    """The plan of a CREATE TABLE | VIEW, naming the object it creates as DuckDB names it (a
    temporary table: temp.main.name); None if it names none."""
    target = create.this.this if isinstance(create.this, exp.Schema) else create.this
    if not isinstance(target, exp.Table):
        return None
    plan = plan_of(create)
    create.this.args[ARG] = plan  # fakesnow makes CREATE ... CLONE a new CREATE of create.this
    plan.created = target.copy()
    props = create.args.get("properties")
    if props is not None and any(isinstance(p, exp.TemporaryProperty) for p in props.expressions):
        plan.created.set("catalog", exp.to_identifier(temp_tables.TEMP_CATALOG))
        plan.created.set("db", exp.to_identifier(temp_tables.TEMP_SCHEMA))
    plan.if_not_exists = bool(create.args.get("exists"))
    return plan


def _names(cursor: FakeSnowflakeCursor, table: exp.Table) -> tuple[str, str, str]:
    table = temp_tables.rewrite(cursor, table.copy())  # a temporary table named db.schema.t
    conn = cursor._conn
    return table.catalog or conn.database or "", table.db or conn.schema or "", table.name


def _statement(cursor: FakeSnowflakeCursor, write: CommentWrite) -> exp.Comment:
    catalog, db, name = _names(cursor, write.table)
    if write.column is None:
        target: exp.Expr = exp.table_(name, db=db, catalog=catalog, quoted=True)
    else:
        target = exp.column(write.column, table=name, db=db, catalog=catalog, quoted=True)
    text = exp.Null() if write.text is None else exp.Literal.string(write.text)
    return exp.Comment(this=target, kind=write.kind, expression=text)


_OBJECTS = (
    "(SELECT database_name, schema_name, table_name AS name, comment FROM duckdb_tables() "
    "UNION ALL SELECT database_name, schema_name, view_name, comment FROM duckdb_views())"
)
_COLUMNS = "(SELECT database_name, schema_name, table_name AS name, column_name, comment FROM duckdb_columns())"


def _found(cursor: FakeSnowflakeCursor, table: exp.Table, columns: str, source: str) -> list[tuple]:
    """``columns`` of the rows of ``source`` about ``table`` (DuckDB's names ignore case)."""
    return cursor._duck_conn.execute(
        f"SELECT {columns} FROM {source} WHERE lower(database_name) = lower(?) "
        "AND lower(schema_name) = lower(?) AND lower(name) = lower(?)",
        list(_names(cursor, table)),
    ).fetchall()


def _copied(cursor: FakeSnowflakeCursor, source: exp.Table, new: exp.Table) -> list[CommentWrite]:
    """The table and column comments of ``source``, for ``new``."""
    columns = _found(cursor, source, "column_name, comment", _COLUMNS)
    writes = [CommentWrite("COLUMN", new, text, name) for name, text in columns if text is not None]
    for (text,) in _found(cursor, source, "comment", _OBJECTS):
        if text is not None:
            writes.append(CommentWrite("TABLE", new, text))
    return writes


def _failing_first(cursor: FakeSnowflakeCursor, writes: list[CommentWrite]) -> list[CommentWrite]:
    """``writes``, those naming a column the table does not have (or a missing table) first:
    a statement that fails then changes nothing, as in Snowflake."""
    columns: dict[str, set[str]] = {}
    for write in writes:
        if write.column is not None and write.table.sql() not in columns:
            found = _found(cursor, write.table, "column_name", _COLUMNS)
            columns[write.table.sql()] = {name.lower() for (name,) in found}
    return sorted(
        writes, key=lambda w: w.column is None or w.column.lower() in columns[w.table.sql()]
    )


def _write_checked(cursor: FakeSnowflakeCursor, write: CommentWrite, plan: CommentPlan, run: Run):
    try:
        run(cursor, _statement(cursor, write), None)
    except ProgrammingError as error:
        if not (plan.if_exists and error.errno == _MISSING_OBJECT):
            raise


def execute(cursor: FakeSnowflakeCursor, transformed: exp.Expr, params: Any, run: Run) -> Any:
    """Run ``transformed`` with ``run`` and write its comments."""
    plan: CommentPlan | None = transformed.args.get(ARG)
    if plan is None and isinstance(transformed, exp.Create) and transformed.this is not None:
        plan = transformed.this.args.get(ARG)  # CREATE ... CLONE, made a new CREATE by fakesnow
    if plan is None:
        return run(cursor, transformed, params)
    if plan.only_comments:
        for write in _failing_first(cursor, plan.writes):
            _write_checked(cursor, write, plan, run)
        return run(cursor, transformed, params)  # "Statement executed successfully."
    created = plan.created
    if plan.if_not_exists and created is not None and _found(cursor, created, "1", _OBJECTS):
        return run(cursor, transformed, params)  # the table there already keeps its comments
    result = run(cursor, transformed, params)
    writes = []
    if plan.copy_from is not None and created is not None:
        writes = _copied(cursor, plan.copy_from, created)
    for write in writes + plan.writes:
        cursor._duck_conn.execute(_statement(cursor, write).sql(dialect="duckdb"))
    return result
