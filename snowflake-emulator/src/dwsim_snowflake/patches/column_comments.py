"""Column comments kept, as Snowflake keeps them (installed by the launcher; written by
comment_writes.py, which this module's ``_execute`` runs for table comments too).

fakesnow dropped every column comment: ``CREATE TABLE t (a INT COMMENT 'x')`` created the table
without it (sqlglot's DuckDB SQL has no inline comment), and ``ALTER TABLE t ALTER COLUMN a
COMMENT 'x'`` was answered as done but kept nothing. ``COMMENT ON COLUMN t.a IS 'x'`` reached
DuckDB, which kept the comment, but the client got an error (fakesnow describes the result by
running "DESCRIBE COMMENT ON ...", a syntax error). ``ALTER COLUMN a UNSET COMMENT`` and several
columns in one ALTER (``ALTER TABLE t ALTER "A" COMMENT $$x$$, "B" COMMENT $$y$$``, as dbt's
persist_docs writes it) were syntax errors.

``ALTER TABLE t ADD COLUMN c INT COMMENT 'x'`` added the column without its comment.

Here all of them are taken out of the statement and written as DuckDB column comments, which
SHOW COLUMNS, DESCRIBE TABLE (describe.py) and INFORMATION_SCHEMA.COLUMNS read; CREATE VIEW
v (c COMMENT '...') too.

Self-contained: a fix fakesnow could take upstream (tests/snowflake_emulator/test_object_comments.py).
"""

from typing import Any

import fakesnow.transforms as fs_transforms
from fakesnow.cursor import FakeSnowflakeCursor
from fakesnow.transforms import SUCCESS_NOP
from sqlglot import exp
from sqlglot.dialects.snowflake import Snowflake
from sqlglot.tokens import Token, TokenType

from dwsim_snowflake import comment_writes
from dwsim_snowflake.comment_writes import CommentWrite, create_plan, plan_of, text_of

_original_extract: Any = None  # fakesnow.transforms.extract_comment_on_columns at install()
_original_execute: Any = None  # FakeSnowflakeCursor._execute at install()
_STRINGS = (TokenType.STRING, TokenType.RAW_STRING, TokenType.HEREDOC_STRING)
_NOT_NAMES = (*_STRINGS, TokenType.DOT, TokenType.COMMA, TokenType.L_PAREN, TokenType.R_PAREN)


def _inline_comments(columns: list[exp.Expr]) -> list[tuple[str, str | None]]:
    """(column, comment) of each column defined with COMMENT, the comment taken out."""
    found = []
    for column in columns:
        if not isinstance(column, exp.ColumnDef):
            continue
        for constraint in list(column.args.get("constraints") or []):
            if isinstance(kind := constraint.args.get("kind"), exp.CommentColumnConstraint):
                found.append((column.name, text_of(kind.this)))
                constraint.pop()
    return found


def _only_comments(
    table: exp.Table, comments: list[tuple[str, str | None]], if_exists: bool
) -> exp.Expr:
    result = SUCCESS_NOP.copy()
    plan = plan_of(result, only_comments=True)
    plan.if_exists = if_exists
    plan.writes += [CommentWrite("COLUMN", table, text, column) for column, text in comments]
    return result


def _comment_on_column(comment: exp.Comment) -> exp.Expr:
    """COMMENT [IF EXISTS] ON COLUMN [[db.]schema.]table.column IS '...'."""
    column = comment.this
    if not isinstance(column, exp.Column) or not column.table:
        return comment
    parts = column.parts  # catalog, db, table identifiers and the column's
    table = exp.Table(this=parts[-2], db=parts[-3] if len(parts) > 2 else None)
    table.set("catalog", parts[-4] if len(parts) > 3 else None)
    text = text_of(comment.args.get("expression"))
    return _only_comments(table, [(column.name, text)], bool(comment.args.get("exists")))


def _name(token: Token) -> exp.Identifier | None:
    """An identifier as Snowflake reads it: unquoted in upper case."""
    if token.token_type == TokenType.IDENTIFIER:
        return exp.to_identifier(token.text, quoted=True)
    if token.token_type in _NOT_NAMES or not (token.text[:1].isalpha() or token.text[:1] == "_"):
        return None
    return exp.to_identifier(token.text.upper())


class _Tokens:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens, self.at = tokens, 0

    def peek(self, *words: str) -> bool:
        ahead = self.tokens[self.at : self.at + len(words)]
        return len(ahead) == len(words) and all(
            t.text.upper() == w and t.token_type not in _NOT_NAMES
            for t, w in zip(ahead, words, strict=True)
        )

    def take(self, *words: str) -> bool:
        found = self.peek(*words)
        self.at += len(words) if found else 0
        return found

    def next(self) -> Token | None:
        self.at += 1
        return self.tokens[self.at - 1] if self.at <= len(self.tokens) else None

    def punctuation(self, kind: TokenType) -> bool:
        found = self.at < len(self.tokens) and self.tokens[self.at].token_type == kind
        self.at += 1 if found else 0
        return found


def _column_comment(tokens: _Tokens) -> tuple[str, str | None] | None:
    """[COLUMN] name COMMENT '...' | [COLUMN] name UNSET COMMENT"""
    tokens.take("COLUMN")
    token = tokens.next()
    column = _name(token) if token else None
    if column is None:
        return None
    if tokens.take("UNSET", "COMMENT"):
        return column.name, None
    if tokens.take("COMMENT") and (text := tokens.next()) and text.token_type in _STRINGS:
        return column.name, text.text
    return None


def _command_comments(command: exp.Command) -> exp.Expr:
    """ALTER TABLE | VIEW [IF EXISTS] t { ALTER | MODIFY } [COLUMN] c COMMENT '...' |
    [COLUMN] c UNSET COMMENT [, ...], which sqlglot leaves unparsed (in parentheses, sqlglot
    fails to parse it: a syntax error, as before)."""
    tokens = _Tokens(list(Snowflake().tokenize(f"{command.this} {command.expression}")))
    if not tokens.take("ALTER") or not (tokens.take("TABLE") or tokens.take("VIEW")):
        return command
    if_exists = tokens.take("IF", "EXISTS")
    names = []
    while (token := tokens.next()) and (name := _name(token)):
        names.append(name)
        if not tokens.punctuation(TokenType.DOT):
            break
    if not 1 <= len(names) <= 3 or not (tokens.take("ALTER") or tokens.take("MODIFY")):
        return command
    comments = []
    while (found := _column_comment(tokens)) is not None:
        comments.append(found)
        if not tokens.punctuation(TokenType.COMMA):
            break
    tokens.punctuation(TokenType.SEMICOLON)
    if not comments or tokens.at != len(tokens.tokens):
        return command
    names = [None] * (3 - len(names)) + names
    table = exp.Table(this=names[2], db=names[1], catalog=names[0])
    return _only_comments(table, comments, if_exists)


def extract_comment_on_columns(expression: exp.Expr) -> exp.Expr:
    """fakesnow's transform (ALTER COLUMN ... COMMENT), which also reads the comments of
    CREATE TABLE | VIEW's column definitions, COMMENT ON COLUMN and the ALTERs sqlglot leaves
    unparsed; the comments go into the statement's comment plan."""
    if isinstance(expression, exp.Command) and str(expression.this).upper() == "ALTER":
        return _command_comments(expression)
    if isinstance(expression, exp.Comment) and str(expression.args.get("kind")).upper() == "COLUMN":
        return _comment_on_column(expression)
    if isinstance(expression, exp.Create) and str(expression.args.get("kind")).upper() in (
        "TABLE",
        "VIEW",
    ):
        schema = expression.this
        comments = _inline_comments(schema.expressions if isinstance(schema, exp.Schema) else [])
        plan = create_plan(expression) if comments else None
        if plan is not None and plan.created is not None:
            plan.writes += [CommentWrite("COLUMN", plan.created, t, c) for c, t in comments]
        return expression
    table = expression.find(exp.Table) if isinstance(expression, exp.Alter) else None
    added = _inline_comments(expression.args.get("actions") or []) if table is not None else []
    result = _original_extract(expression)
    comments = added + (result.args.pop("col_comments", None) or [])
    if comments and table is not None:
        plan = plan_of(result, only_comments=isinstance(result, exp.Select))
        plan.if_exists = bool(expression.args.get("exists"))
        plan.writes += [CommentWrite("COLUMN", table.copy(), text, c) for c, text in comments]
    return result


def _execute(self: FakeSnowflakeCursor, transformed: exp.Expr, params: Any = None) -> Any:
    return comment_writes.execute(self, transformed, params, _original_execute)


def install() -> None:
    global _original_extract, _original_execute
    if FakeSnowflakeCursor._execute is _execute:
        return
    _original_extract = fs_transforms.extract_comment_on_columns
    _original_execute = FakeSnowflakeCursor._execute
    fs_transforms.extract_comment_on_columns = extract_comment_on_columns
    FakeSnowflakeCursor._execute = _execute  # type: ignore[method-assign]
