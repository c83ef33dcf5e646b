"""Statement dispatch and CREATE TABLE: a recursive-descent parser over our own tokens."""

from dataclasses import replace

from dwsim_shared.contracts.enums import Dialect, SortKeyStyle
from dwsim_shared.contracts.schema import WarehouseOptions
from dwsim_shared.ddl.alter import alter_table, comment_on, create_type
from dwsim_shared.ddl.columns import parse_column
from dwsim_shared.ddl.constraints import parse_table_constraint
from dwsim_shared.ddl.model import Draft, DraftTable, NameRef
from dwsim_shared.ddl.reserved import check_unquoted_name
from dwsim_shared.ddl.stream import TokenStream
from dwsim_shared.ddl.tokens import TokenKind, split_statements, tokenize

_OBJECT_WORDS = {
    "TABLE", "VIEW", "INDEX", "SEQUENCE", "SCHEMA", "DATABASE", "FUNCTION", "PROCEDURE", "TYPE",
    "STAGE", "USER", "ROLE", "GROUP", "EXTENSION", "TRIGGER", "PIPE", "STREAM", "TASK",
    "WAREHOUSE", "DOMAIN", "POLICY", "TAG", "FORMAT", "LIBRARY", "MODEL", "DATASHARE",
}  # fmt: skip


_LIKE_OPTIONS = (
    "DEFAULTS", "ALL", "IDENTITY", "CONSTRAINTS", "COMMENTS", "INDEXES", "STORAGE", "GENERATED",
    "STATISTICS", "COMPRESSION",
)  # fmt: skip


def parse_script(text: str, dialect: Dialect) -> Draft:
    draft = Draft()
    for tokens in split_statements(tokenize(text, dialect)):
        _statement(TokenStream(text, tokens), draft, dialect)
    return draft


def statement_kind(s: TokenStream) -> str:
    """A short label for a statement, e.g. ``CREATE VIEW``, ``GRANT``, ``DROP TABLE``."""
    words = [t.upper for t in s.tokens[:8] if t.kind == TokenKind.WORD]
    if not words or words[0] not in ("CREATE", "DROP", "ALTER", "COMMENT"):
        return words[0] if words else s.tokens[0].value
    label = [words[0]]
    for word in words[1:]:
        if word in ("OR", "REPLACE", "IF", "NOT", "EXISTS"):
            continue
        label.append(word)
        if word in _OBJECT_WORDS:
            break
    return " ".join(label[:4])


def _statement(s: TokenStream, draft: Draft, dialect: Dialect) -> None:
    first = s.tok
    if s.accept("CREATE"):
        options = WarehouseOptions(create_or_replace=s.accept_seq("OR", "REPLACE"))
        s.accept_seq("OR", "ALTER")  # Snowflake CREATE OR ALTER TABLE: a plain table here
        while True:
            if s.accept("LOCAL", "GLOBAL", "UNLOGGED", "HYBRID", "ICEBERG"):
                continue
            if s.accept("TEMPORARY", "TEMP", "VOLATILE"):
                options.temporary = True
            elif s.accept("TRANSIENT"):
                options.transient = True
            else:
                break
        if s.accept("TABLE"):
            return _create_table(s, draft, dialect, options)
        if s.tok.is_word("TYPE"):
            s.i = 0
            if create_type(s, draft):
                return
    elif s.tok.is_word("ALTER") and s.peek().is_word("TABLE"):
        s.i += 2
        if alter_table(s, draft, dialect):
            return
    elif s.tok.is_word("COMMENT") and s.peek().is_word("ON"):
        s.i += 2
        if comment_on(s, draft):
            return
    s.i = 0
    draft.skip(statement_kind(s), first.line)


def _create_table(
    s: TokenStream, draft: Draft, dialect: Dialect, options: WarehouseOptions
) -> None:
    options.if_not_exists = s.accept_seq("IF", "NOT", "EXISTS")
    start = s.i
    parts, token = s.qualified_name("table name")
    if len(parts) > 3:
        raise s.error(f"table name {'.'.join(parts)} has more than three parts", token)
    names = [t for t in s.tokens[start : s.i] if t.is_identifier]
    for what, part in zip(("database", "schema", "table")[-len(names) :], names, strict=True):
        check_unquoted_name(part, what, dialect)
    name = parts[-1]
    previous = draft.find(name)
    if previous is not None:
        raise s.error(
            f"table {name} is declared twice (first on line {previous.token.line}); "
            "dw-sim names tables without their schema, so each table name must be unique",
            token,
        )
    options.temporary = options.temporary or name.startswith("#")  # Redshift #temp tables
    table = DraftTable(name, ".".join(parts[:-1]) or None, token, warehouse=options)
    if s.tok.is_op("("):
        _elements(s, table, draft, dialect)
    elif s.accept("LIKE", "CLONE"):
        _copy_like(s, table, draft)
    elif s.tok.is_word("AS", "USING", "PARTITION", "OF"):
        clause = "PARTITION OF" if s.tok.is_word("PARTITION") else s.tok.upper
        draft.warn(
            f"CREATE TABLE {name} {clause} ... declares no columns; the table is skipped",
            name,
            line=token.line,
        )
        return
    else:
        raise s.error(f"expected '(' after the table name {name}, found {s.tok.describe()}")
    _table_options(s, table, draft)
    draft.tables.append(table)


def _elements(s: TokenStream, table: DraftTable, draft: Draft, dialect: Dialect) -> None:
    open_tok = s.expect_op("(", "")
    if s.tok.is_op(")"):
        raise s.error(f"table {table.name} declares no columns")
    while True:
        if _starts_table_constraint(s):
            parse_table_constraint(s, table)
        elif s.tok.is_word("LIKE"):
            s.next()
            _copy_like(s, table, draft)
            while s.accept("INCLUDING", "EXCLUDING"):
                s.expect_one(_LIKE_OPTIONS, "after INCLUDING/EXCLUDING")
        else:
            parse_column(s, table, draft, dialect)
        if s.accept_op(","):
            continue
        if s.accept_op(")"):
            return
        if s.at_end:
            raise s.error(
                f"missing ')': the column list of table {table.name} opened on line "
                f"{open_tok.line}, column {open_tok.col} is never closed"
            )
        raise s.error(f"expected ',' or ')' in table {table.name}, found {s.tok.describe()}")


def _starts_table_constraint(s: TokenStream) -> bool:
    """A table constraint, not a column whose name is a keyword (``primary INT`` is a column
    in Snowflake, where PRIMARY is not reserved; ``check INT`` gets the reserved-word error)."""
    tok, after = s.tok, s.peek()
    if tok.is_word("CONSTRAINT"):
        return True
    if tok.is_word("PRIMARY", "FOREIGN"):
        return after.is_word("KEY")
    if tok.is_word("CHECK"):
        return after.is_op("(")
    return tok.is_word("UNIQUE") and (after.is_op("(") or after.is_word("KEY"))


def _copy_like(s: TokenStream, table: DraftTable, draft: Draft) -> None:
    parts, token = s.qualified_name("table name")
    source = draft.find(parts[-1])
    if source is None:
        raise s.error(
            f"table {table.name} is declared LIKE {parts[-1]}, which is not declared earlier "
            "in this DDL",
            token,
        )
    key = {r.name.lower() for r in source.primary_key.columns} if source.primary_key else set()
    for column in source.columns:
        if table.find(column.name) is None:
            nullable = column.nullable and column.name.lower() not in key
            table.columns.append(replace(column, token=token, nullable=nullable))
    # Redshift's LIKE also inherits the distribution and sort keys.
    wh, src = table.warehouse, source.warehouse
    wh.diststyle, wh.sortkey_style = (
        wh.diststyle or src.diststyle,
        wh.sortkey_style or src.sortkey_style,
    )
    table.distkey_ref = table.distkey_ref or source.distkey_ref
    table.sortkey_refs = table.sortkey_refs or list(source.sortkey_refs)


def _names(s: TokenStream, what: str) -> list[NameRef]:
    return [NameRef(n, t) for n, t in s.identifier_list(what)]


def _table_options(s: TokenStream, table: DraftTable, draft: Draft) -> None:
    """Redshift DISTSTYLE/DISTKEY/SORTKEY/BACKUP, Snowflake CLUSTER BY/COMMENT/parameters,
    PostgreSQL WITH/TABLESPACE/PARTITION BY: accepted; physical design kept in ``warehouse``."""
    wh = table.warehouse
    while not s.at_end:
        tok = s.tok
        if s.accept("DISTSTYLE"):
            wh.diststyle = s.expect_one(("ALL", "EVEN", "KEY", "AUTO"), "after DISTSTYLE").upper
        elif s.accept("DISTKEY"):
            keys = _names(s, "DISTKEY column")
            if len(keys) != 1:
                raise s.error(f"DISTKEY of table {table.name} names more than one column", tok)
            table.distkey_ref = keys[0]
        elif s.accept("COMPOUND", "INTERLEAVED"):
            s.expect("SORTKEY", f"after {tok.upper}")
            wh.sortkey_style = SortKeyStyle(tok.upper.lower())
            table.sortkey_refs = _names(s, "SORTKEY column")
        elif s.accept("SORTKEY"):
            if not s.accept("AUTO"):
                table.sortkey_refs = _names(s, "SORTKEY column")
                wh.sortkey_style = wh.sortkey_style or SortKeyStyle.COMPOUND
        elif s.accept("BACKUP"):
            wh.backup = s.expect_one(("YES", "NO"), "after BACKUP").upper == "YES"
        elif s.accept_seq("ENCODE", "AUTO") or s.accept_seq("COPY", "GRANTS"):
            pass
        elif s.accept_seq("CLUSTER", "BY"):
            s.accept("LINEAR")
            wh.cluster_by = _cluster_keys(s)
        elif s.accept("COMMENT"):
            s.accept_op("=")
            table.comment = s.string("COMMENT")
        elif s.accept_seq("WITH", "TAG") or s.accept("TAG", "INHERITS"):
            s.skip_group()
        elif s.accept_seq("WITH", "ROW", "ACCESS", "POLICY") or s.accept_seq(
            "ROW", "ACCESS", "POLICY"
        ):
            s.qualified_name("policy name")
            s.expect("ON", "after the row access policy name")
            s.skip_group()
        elif tok.kind == TokenKind.WORD and s.peek().is_op("="):  # Snowflake NAME = value
            s.i += 2
            s.skip_group() if s.tok.is_op("(") else s.next()
        elif s.accept("WITH") and s.tok.is_op("("):
            s.skip_group()
        elif s.accept_seq("WITHOUT", "OIDS") or s.accept_seq("WITH", "OIDS"):
            pass
        elif s.accept("TABLESPACE", "USING"):
            s.identifier("name")
        elif s.accept_seq("PARTITION", "BY"):
            s.expect_one(("RANGE", "LIST", "HASH"), "after PARTITION BY")
            s.skip_group()
        elif s.accept_seq("ON", "COMMIT"):
            s.accept_seq("PRESERVE", "ROWS") or s.accept_seq("DELETE", "ROWS") or s.accept("DROP")
        else:
            draft.warn(
                f"ignored {s.raw(tok, s.tokens[-2])[:60]!r} after the column list: not a table "
                "option dw-sim knows",
                table.name,
                line=tok.line,
            )
            return


def _cluster_keys(s: TokenStream) -> list[str]:
    """``CLUSTER BY (a, to_date(b))``: each key as written (a plain column name, or the expression)."""
    open_tok, close_tok = s.skip_group()
    inner = s.tokens[s.tokens.index(open_tok) + 1 : s.tokens.index(close_tok)]
    keys, depth, start = [], 0, 0
    for k, tok in enumerate([*inner, close_tok]):
        if tok is close_tok or (depth == 0 and tok.is_op(",")):
            part = inner[start:k]
            if part:
                keys.append(part[0].value if len(part) == 1 else s.raw(part[0], part[-1]))
            start = k + 1
        else:
            depth += 1 if tok.is_op("(") else -1 if tok.is_op(")") else 0
    return keys
