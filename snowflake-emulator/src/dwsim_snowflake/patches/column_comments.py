"""Column comments kept, as Snowflake keeps them (installed by the launcher).

fakesnow dropped every column comment: ``CREATE TABLE t (a INT COMMENT 'x')`` created the table
without it (sqlglot's DuckDB SQL has no inline comment), and ``ALTER TABLE t ALTER COLUMN a
COMMENT 'x'`` was answered as done but kept nothing. Here both are taken out of the statement
and, once it ran, written as DuckDB column comments (``COMMENT ON COLUMN``), which SHOW COLUMNS
and INFORMATION_SCHEMA.COLUMNS already read; DESCRIBE TABLE reads them too (describe.py).

Self-contained: a fix fakesnow could take upstream (tests/snowflake_emulator/test_catalog.py).
"""

from typing import Any

import fakesnow.transforms as fs_transforms
from fakesnow.cursor import FakeSnowflakeCursor
from sqlglot import exp

_original_extract: Any = None  # fakesnow.transforms.extract_comment_on_columns at install()
_original_execute: Any = None  # FakeSnowflakeCursor._execute at install()
_TEMP = ("temp", "main")
_ARG = "dwsim_column_comments"  # on the transformed statement: (table, [(column, comment)])


def _inline_comments(create: exp.Create) -> list[tuple[str, str]]:
    """(column, comment) of each column defined with COMMENT, the comment taken out."""
    schema = create.this
    if not isinstance(schema, exp.Schema):
        return []
    found = []
    for column in schema.expressions:
        if not isinstance(column, exp.ColumnDef):
            continue
        for constraint in list(column.args.get("constraints") or []):
            if isinstance(constraint.args.get("kind"), exp.CommentColumnConstraint):
                found.append((column.name, constraint.args["kind"].this.this))
                constraint.pop()
    return found


def extract_comment_on_columns(expression: exp.Expr) -> exp.Expr:
    """fakesnow's transform (ALTER COLUMN ... COMMENT), which also reads the comments of
    CREATE TABLE's column definitions; both are kept with the table they describe."""
    table = expression.find(exp.Table)
    comments: list[tuple[str, str]] = []
    if isinstance(expression, exp.Create) and str(expression.args.get("kind")).upper() == "TABLE":
        comments = _inline_comments(expression)
    result = _original_extract(expression)
    comments += result.args.get("col_comments") or []
    if comments and table is not None:
        table = table.copy()
        if _temporary(expression):  # DuckDB keeps temporary tables in temp.main only
            table.set("catalog", exp.to_identifier(_TEMP[0]))
            table.set("db", exp.to_identifier(_TEMP[1]))
        result.args[_ARG] = (table, comments)
    return result


def _temporary(expression: exp.Expr) -> bool:
    props = expression.args.get("properties") if isinstance(expression, exp.Create) else None
    return props is not None and any(
        isinstance(p, exp.TemporaryProperty) for p in props.expressions
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def comment_sql(cursor: FakeSnowflakeCursor, table: exp.Table, column: str, text: str) -> str:
    conn = cursor._conn
    names = (table.catalog or conn.database or "", table.db or conn.schema or "", table.name)
    target = ".".join(_quoted(name) for name in (*names, column))
    return f"COMMENT ON COLUMN {target} IS {_literal(text)}"


def _execute(self: FakeSnowflakeCursor, transformed: exp.Expr, params: Any = None) -> Any:
    result = _original_execute(self, transformed, params)
    if found := transformed.args.get(_ARG):
        table, comments = found
        for column, text in comments:
            self._duck_conn.execute(comment_sql(self, table, column, text))
    return result


def install() -> None:
    global _original_extract, _original_execute
    if FakeSnowflakeCursor._execute is _execute:
        return
    _original_extract = fs_transforms.extract_comment_on_columns
    _original_execute = FakeSnowflakeCursor._execute
    fs_transforms.extract_comment_on_columns = extract_comment_on_columns
    FakeSnowflakeCursor._execute = _execute  # type: ignore[method-assign]
