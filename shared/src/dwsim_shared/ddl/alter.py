"""Statements that add to tables declared elsewhere in the script: ALTER TABLE ... ADD,
COMMENT ON, and PostgreSQL's CREATE TYPE ... AS ENUM (used by columns declared after it).

Each returns False when the statement is a form it does not import, so the caller records it
as skipped (with its line) instead of failing.
"""

from dwsim_shared.contracts.enums import Dialect, IdentityKind, SortKeyStyle
from dwsim_shared.ddl.columns import default_expression, parse_column
from dwsim_shared.ddl.constraints import parse_identity, parse_table_constraint
from dwsim_shared.ddl.model import Draft, DraftTable, NameRef
from dwsim_shared.ddl.stream import TokenStream

_CONSTRAINT_START = ("CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK")


def create_type(s: TokenStream, draft: Draft) -> bool:
    """``CREATE TYPE name AS ENUM ('a', 'b')``: remembered so columns of that type get its labels."""
    s.expect("CREATE", "")
    s.expect("TYPE", "")
    parts, _ = s.qualified_name("type name")
    if not s.accept_seq("AS", "ENUM"):
        return False
    s.expect_op("(", "after AS ENUM")
    labels: list[str] = []
    while not s.tok.is_op(")"):
        labels.append(s.string("an enum label"))
        if not s.accept_op(","):
            break
    s.expect_op(")", "after the enum labels")
    draft.enums[parts[-1].lower()] = labels
    return True


def _table(s: TokenStream, draft: Draft, what: str) -> DraftTable | None:
    parts, token = s.qualified_name("table name")
    table = draft.find(parts[-1])
    if table is None:
        draft.warn(
            f"{what} names table {parts[-1]}, which is not declared in this DDL; statement skipped",
            line=token.line,
        )
    return table


def alter_table(s: TokenStream, draft: Draft, dialect: Dialect) -> bool:
    """``ALTER TABLE [IF EXISTS] [ONLY] t ADD [CONSTRAINT ..] ... | ADD [COLUMN] ... |
    ALTER [COLUMN] c SET/DROP NOT NULL | SET/DROP DEFAULT | ADD GENERATED ... AS IDENTITY |
    ALTER DISTKEY/DISTSTYLE/SORTKEY``, several separated by commas; other actions are
    ignored with a warning."""
    s.accept_seq("IF", "EXISTS")
    s.accept("ONLY")
    start = s.i
    s.qualified_name("table name")
    if not s.tok.is_word("ADD", "ALTER"):
        return False  # OWNER TO, RENAME, SET ..., DROP ...: nothing to import
    s.i = start
    table = _table(s, draft, "ALTER TABLE")
    if table is None:
        return True
    while True:
        first = s.tok
        if not _action(s, table, draft, dialect):
            draft.warn(
                f"ALTER TABLE {table.name}: ignored "
                f"{s.raw(first, s.tokens[-2])[:60]!r} (only ADD, ALTER COLUMN ... SET/DROP NOT "
                "NULL/DEFAULT, ADD GENERATED ... AS IDENTITY and Redshift ALTER DISTKEY/DISTSTYLE/"
                "SORTKEY are imported)",
                table.name,
                line=first.line,
            )
            return True
        if not s.accept_op(","):
            break
    if not s.at_end:
        raise s.error(f"unexpected {s.tok.describe()} at the end of ALTER TABLE {table.name}")
    return True


def _action(s: TokenStream, table: DraftTable, draft: Draft, dialect: Dialect) -> bool:
    """One ALTER TABLE action; False (nothing consumed) when it is not one that is imported."""
    if s.accept("ADD"):
        if s.tok.is_word(*_CONSTRAINT_START):
            parse_table_constraint(s, table)
        else:
            s.accept("COLUMN")
            s.accept_seq("IF", "NOT", "EXISTS")
            parse_column(s, table, draft, dialect)
        return True
    if not s.tok.is_word("ALTER"):
        return False
    start = s.i
    s.next()
    if s.accept("DISTKEY"):  # Redshift ALTER DISTKEY / DISTSTYLE / SORTKEY
        table.distkey_ref = NameRef(*s.identifier("DISTKEY column"))
        table.warehouse.diststyle = "KEY"
    elif s.accept("DISTSTYLE"):
        table.warehouse.diststyle = s.expect_one(("ALL", "EVEN", "KEY", "AUTO"), "").upper
    elif s.accept("COMPOUND") or s.tok.is_word("SORTKEY"):
        s.expect("SORTKEY", "after ALTER COMPOUND")
        if not s.accept("AUTO", "NONE"):
            table.sortkey_refs = [NameRef(n, t) for n, t in s.identifier_list("SORTKEY column")]
            table.warehouse.sortkey_style = SortKeyStyle.COMPOUND
    else:
        s.accept("COLUMN")
        name, token = s.identifier("column name")
        column = table.find(name)
        if column is None:
            raise s.error(f"ALTER TABLE {table.name}: table has no column {name}", token)
        if s.accept_seq("SET", "NOT", "NULL"):
            column.nullable = False
        elif s.accept_seq("DROP", "NOT", "NULL"):
            column.nullable = True
        elif s.accept_seq("SET", "DEFAULT"):
            column.default = default_expression(s, column)
        elif s.accept_seq("DROP", "DEFAULT"):
            column.default = None
        elif s.accept("ADD") and s.accept("GENERATED"):  # pg_dump's identity columns
            if not (s.accept("ALWAYS") or s.accept_seq("BY", "DEFAULT")):
                raise s.error(f"expected ALWAYS or BY DEFAULT, found {s.tok.describe()}")
            s.expect("AS", "in ADD GENERATED ... AS IDENTITY")
            s.expect("IDENTITY", "in ADD GENERATED ... AS IDENTITY")
            column.identity = parse_identity(s, IdentityKind.IDENTITY)
        else:
            s.i = start
            return False
    return True


def comment_on(s: TokenStream, draft: Draft) -> bool:
    """``COMMENT ON TABLE t IS '...'`` and ``COMMENT ON COLUMN t.c IS '...'``."""
    if s.accept("TABLE"):
        table = _table(s, draft, "COMMENT ON TABLE")
        s.expect("IS", "in COMMENT ON TABLE")
        text = None if s.accept("NULL") else s.string("IS")
        if table is not None:
            table.comment = text
        return True
    if not s.accept("COLUMN"):
        return False
    parts, token = s.qualified_name("column name")
    if len(parts) < 2:
        raise s.error("COMMENT ON COLUMN needs table.column", token)
    s.expect("IS", "in COMMENT ON COLUMN")
    text = None if s.accept("NULL") else s.string("IS")
    table = draft.find(parts[-2])
    column = table.find(parts[-1]) if table else None
    if column is None:
        draft.warn(
            f"COMMENT ON COLUMN names {parts[-2]}.{parts[-1]}, which is not declared in this "
            "DDL; comment skipped",
            line=token.line,
        )
    else:
        column.comment = text
    return True
