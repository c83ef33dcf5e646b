"""Column lengths as declared, and fakesnow's catalog written outside the client's transaction.

fakesnow keeps what DuckDB cannot (the declared length of text columns) in its global catalog, a
DuckDB database of its own (``_fs_global``), written right after the CREATE or ALTER (table
comments are the tables' own: table_comments.py). What differed from Snowflake:

- Only VARCHAR and TEXT lengths were kept: CHAR(5), NCHAR(3), NVARCHAR(2) were reported as
  16777216 long (SHOW COLUMNS, DESCRIBE TABLE, INFORMATION_SCHEMA.COLUMNS). Here every text
  type keeps its length; CHAR and NCHAR without one are 1 long, as in Snowflake.
- Inside a transaction the client opened (BEGIN ... COMMIT | ROLLBACK), a CREATE TABLE with a
  text column failed with DuckDB's "TransactionContext Error: Attempting to write to database
  "_fs_global" in a transaction that has already modified database ...": a DuckDB transaction
  writes to one attached database only. Here those catalog writes wait for the COMMIT (and are
  dropped on ROLLBACK, with the table they describe).

Self-contained: a fix fakesnow could take upstream (tests/snowflake_emulator/test_catalog.py).
"""

from typing import Any

import fakesnow.transforms as fs_transforms
from fakesnow import info_schema
from fakesnow.cursor import FakeSnowflakeCursor
from sqlglot import exp

_original_execute: Any = None  # FakeSnowflakeCursor._execute when install() ran

DType = exp.DataType.Type
_MAX_LENGTH = 16777216
_DEFAULT_LENGTH = {
    DType.VARCHAR: _MAX_LENGTH,
    DType.NVARCHAR: _MAX_LENGTH,
    DType.TEXT: _MAX_LENGTH,
    DType.CHAR: 1,
    DType.NCHAR: 1,
}
_QUEUE = "_dwsim_catalog_writes"  # on the connection: writes waiting for COMMIT, or None
_DEFERRED_ARGS = ("text_lengths",)


def _declared_length(kind: exp.DataType) -> int:
    size = kind.find(exp.DataTypeParam)
    if size is not None and isinstance(size.this, exp.Literal) and size.this.is_int:
        return int(size.this.this)
    return _DEFAULT_LENGTH[kind.this]


def extract_text_length(expression: exp.Expr) -> exp.Expr:
    """Record (column, declared length) of every text column a CREATE or ALTER defines, as
    fakesnow's transform of the same name does for VARCHAR and TEXT only."""
    if not isinstance(expression, exp.Create | exp.Alter):
        return expression
    if defined := expression.find(exp.Select, exp.Schema):
        columns = defined.expressions
    else:
        columns = expression.args.get("actions") or []
    lengths = []
    for column in columns:
        kinds = [k for k in column.find_all(exp.DataType) if k.this in _DEFAULT_LENGTH]
        if kinds:  # several (a cast inside an expression...): the longest
            name = column.alias if isinstance(column, exp.Alias) else column.name
            lengths.append((name, _declared_length(kinds[0]) if len(kinds) == 1 else _MAX_LENGTH))
    if lengths:
        expression.args["text_lengths"] = lengths
    return expression


def _table_names(cursor: FakeSnowflakeCursor, table: exp.Table) -> tuple[str, str, str]:
    conn = cursor._conn
    return table.catalog or conn.database or "", table.db or conn.schema or "", table.name


def _catalog_sql(cursor: FakeSnowflakeCursor, transformed: exp.Expr) -> list[str]:
    """The catalog writes fakesnow's _execute would make after ``transformed`` ran."""
    table = transformed.find(exp.Table)
    if table is None:
        return []
    found = []
    if lengths := transformed.args.get("text_lengths"):
        found.append(info_schema.insert_text_lengths_sql(*_table_names(cursor, table), lengths))
    return found


def _execute(self: FakeSnowflakeCursor, transformed: exp.Expr, params: Any = None) -> Any:
    conn = self._conn
    queue: list[str] | None = conn.__dict__.get(_QUEUE)
    if queue is not None and any(transformed.args.get(a) for a in _DEFERRED_ARGS):
        later = _catalog_sql(self, transformed)
        for arg in _DEFERRED_ARGS:
            transformed.args.pop(arg, None)
        result = _original_execute(self, transformed, params)
        queue.extend(later)
        return result
    result = _original_execute(self, transformed, params)
    if isinstance(transformed, exp.Transaction):
        conn.__dict__[_QUEUE] = []
    elif isinstance(transformed, exp.Commit | exp.Rollback):
        conn.__dict__[_QUEUE] = None
        if isinstance(transformed, exp.Commit):
            for sql in queue or ():
                self._duck_conn.execute(sql)
    return result


def install() -> None:
    global _original_execute
    fs_transforms.extract_text_length = extract_text_length
    if FakeSnowflakeCursor._execute is _execute:
        return
    _original_execute = FakeSnowflakeCursor._execute
    FakeSnowflakeCursor._execute = _execute  # type: ignore[method-assign]
