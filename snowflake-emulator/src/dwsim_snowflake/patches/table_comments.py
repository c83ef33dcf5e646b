"""Table and view comments kept with the table, as Snowflake keeps them (installed by the
launcher; written by comment_writes.py).

fakesnow kept a table's comment in a catalog table of its own, by name, and:

- answered COMMENT ON TABLE and ALTER TABLE ... SET COMMENT with an empty status, not
  "Statement executed successfully.", and "succeeded" for a table that does not exist (the
  comment then waited for a table of that name); a comment with a quote in it failed
  ("unterminated string literal"); ALTER TABLE ... UNSET COMMENT was a syntax error;
- kept the comment of a dropped or replaced table for the next table of that name, and dropped
  ``COMMENT = $$...$$`` (dbt writes comments that way) and the comments of temporary tables;
- said nothing of comments in SHOW TABLES / OBJECTS / VIEWS (see show.py), and CREATE TABLE ...
  LIKE / CLONE did not copy them.

Here the comment is DuckDB's own comment on the table or view, so it lives and dies with it;
INFORMATION_SCHEMA.TABLES reads it (info_schema.py). LIKE and CLONE copy the source's table and
column comments: Snowflake copies the column definitions (comments included) and properties.
COMMENT ON other objects (schemas, databases, stages...) is refused as an emulator limit.
Comments an earlier emulator recorded in fakesnow's catalog are moved onto their tables at start.
"""

from typing import Any

import fakesnow.transforms as fs_transforms
from fakesnow.transforms import SUCCESS_NOP
from sqlglot import exp

from dwsim_snowflake.comment_writes import CommentWrite, create_plan, plan_of, text_of
from dwsim_snowflake.refusals import emulator_limit

_KINDS = ("TABLE", "VIEW")
_RECORDED = "_fs_global._fs_information_schema._fs_tables_ext"  # fakesnow's comments


def _kind(expression: exp.Expr) -> str:
    return str(expression.args.get("kind") or "").upper()


def _create(create: exp.Create) -> exp.Create:
    """CREATE TABLE | VIEW ... COMMENT = '...', or ... LIKE / CLONE a table."""
    props = create.args.get("properties")
    found = props.expressions if props is not None else []
    comments = [p for p in found if isinstance(p, exp.SchemaCommentProperty)]
    likes = [p.this for p in found if isinstance(p, exp.LikeProperty)]
    clone = create.args.get("clone")
    source = clone.this if isinstance(clone, exp.Clone) else (likes[0] if likes else None)
    if not (comments or isinstance(source, exp.Table)):
        return create
    plan = create_plan(create)
    if plan is None or plan.created is None:
        return create
    if isinstance(source, exp.Table):
        plan.copy_from = source.copy()
    for prop in comments:
        plan.writes.append(CommentWrite(_kind(create), plan.created, text_of(prop.this)))
        prop.pop()
    return create


def _only_comments(table: exp.Table, kind: str, text: str | None, if_exists: bool) -> exp.Expr:
    result = SUCCESS_NOP.copy()
    plan = plan_of(result, only_comments=True)
    plan.if_exists = if_exists
    plan.writes.append(CommentWrite(kind, table.copy(), text))
    return result


def _comment(comment: exp.Comment) -> exp.Expr:
    """COMMENT [IF EXISTS] ON TABLE | VIEW name IS '...' (COLUMN: column_comments.py)."""
    kind = _kind(comment)
    if kind == "COLUMN":
        return comment
    if kind not in _KINDS or not isinstance(comment.this, exp.Table):
        raise emulator_limit(
            f"COMMENT ON {kind or 'this object'}",
            "The emulator keeps comments on tables, views and columns only.",
        )
    text = text_of(comment.args.get("expression"))
    return _only_comments(comment.this, kind, text, bool(comment.args.get("exists")))


def _alter(alter: exp.Alter) -> exp.Expr:
    """ALTER TABLE | VIEW [IF EXISTS] name SET COMMENT = '...' | UNSET COMMENT."""
    kind, actions = _kind(alter), alter.args.get("actions") or []
    if kind not in _KINDS or len(actions) != 1 or not isinstance(alter.this, exp.Table):
        return alter
    action, exists = actions[0], bool(alter.args.get("exists"))
    if isinstance(action, exp.AlterSet) and (found := action.find(exp.SchemaCommentProperty)):
        # other properties set with it are ignored, as fakesnow ignores them
        return _only_comments(alter.this, kind, text_of(found.this), exists)
    if isinstance(action, exp.Set) and action.args.get("unset"):
        names = [e.name.upper() for e in action.expressions]
        if names == ["COMMENT"]:
            return _only_comments(alter.this, kind, None, exists)
    return alter


def extract_comment_on_table(expression: exp.Expr) -> exp.Expr:
    """Take table and view comments out of the statement, into its comment plan."""
    if isinstance(expression, exp.Create) and _kind(expression) in _KINDS:
        return _create(expression)
    if isinstance(expression, exp.Comment):
        return _comment(expression)
    if isinstance(expression, exp.Alter):
        return _alter(expression)
    return expression


def adopt_recorded_comments(conn: Any) -> None:
    """Comments fakesnow recorded by name (an earlier emulator) become their tables' own,
    where the table has none; the records go (DuckDB connection ``conn``, at start)."""
    rows = conn.execute(
        "SELECT t.database_name, t.schema_name, t.name, t.kind, r.comment FROM "
        "(SELECT database_name, schema_name, table_name AS name, 'TABLE' AS kind, comment "
        "FROM duckdb_tables() UNION ALL SELECT database_name, schema_name, view_name, 'VIEW', "
        f"comment FROM duckdb_views()) t JOIN {_RECORDED} r ON "
        "t.database_name = r.ext_table_catalog AND t.schema_name = r.ext_table_schema "
        "AND t.name = r.ext_table_name WHERE t.comment IS NULL AND r.comment IS NOT NULL "
        "AND r.comment <> 'None'"
    ).fetchall()
    for database, schema, name, kind, text in rows:
        target = exp.table_(name, db=schema, catalog=database, quoted=True)
        comment = exp.Comment(this=target, kind=kind, expression=exp.Literal.string(text))
        conn.execute(comment.sql(dialect="duckdb"))
    conn.execute(f"DELETE FROM {_RECORDED}")


def install() -> None:
    fs_transforms.extract_comment_on_table = extract_comment_on_table
