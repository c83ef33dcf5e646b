"""Column definitions: name, declared type (text kept verbatim) and inline constraints."""

from dwsim_shared.contracts.enums import Dialect, IdentityKind, SortKeyStyle, TypeKind
from dwsim_shared.contracts.schema import CheckConstraint, Identity
from dwsim_shared.contracts.types import ColumnType, UnknownTypeError, parse_type
from dwsim_shared.ddl.constraints import (
    analyse_check,
    parse_check,
    parse_identity,
    parse_references,
    skip_constraint_properties,
)
from dwsim_shared.ddl.model import Draft, DraftColumn, DraftKey, DraftTable, NameRef
from dwsim_shared.ddl.reserved import check_unquoted_name
from dwsim_shared.ddl.stream import TokenStream
from dwsim_shared.ddl.tokens import TokenKind

# Multi-word type names: first word -> the continuations that may follow it, longest first.
_MULTI_WORD = {
    "DOUBLE": [("PRECISION",)],
    "CHARACTER": [("VARYING",)],
    "CHAR": [("VARYING",)],
    "NCHAR": [("VARYING",)],
    "NATIONAL": [("CHARACTER", "VARYING"), ("CHARACTER",), ("CHAR", "VARYING"), ("CHAR",)],
    "BINARY": [("VARYING",)],
}
_STRUCTURED = {"ARRAY": TypeKind.ARRAY, "OBJECT": TypeKind.OBJECT, "MAP": TypeKind.OBJECT}
# Where an unsupported type is replaced: text the warehouse accepts, and that any value fits.
FALLBACK_TYPE = {
    Dialect.REDSHIFT: "VARCHAR(256)",
    Dialect.POSTGRES: "TEXT",
    Dialect.SNOWFLAKE: "VARCHAR",
}
_NOT_A_TYPE = ("NOT", "NULL", "PRIMARY", "UNIQUE", "REFERENCES", "DEFAULT", "CHECK", "CONSTRAINT")
# Keywords that end a DEFAULT expression when met outside parentheses.
_DEFAULT_STOP = {
    "NOT", "NULL", "CONSTRAINT", "PRIMARY", "UNIQUE", "REFERENCES", "FOREIGN", "CHECK", "ENCODE",
    "DISTKEY", "SORTKEY", "IDENTITY", "GENERATED", "COMMENT", "COLLATE", "AUTOINCREMENT",
    "AUTO_INCREMENT", "WITH", "MASKING", "TAG", "PROJECTION",
}  # fmt: skip


def parse_column_type(
    s: TokenStream, draft: Draft, dialect: Dialect, where: str
) -> tuple[ColumnType, str | None, list[str] | None]:
    """The declared type; returns (type, warning or None, enum labels or None)."""
    first = s.tok
    if not first.is_identifier or first.is_word(*_NOT_A_TYPE):
        raise s.error(f"expected a type for column {where}, found {first.describe()}")
    parts, _ = s.qualified_name("type name")
    base = parts[-1].upper()
    if len(parts) == 1 and first.kind == TokenKind.WORD:
        for more in _MULTI_WORD.get(base, []):
            if s.accept_seq(*more):
                base = " ".join((base, *more))
                break
    has_args = s.tok.is_op("(")
    if has_args and base in _STRUCTURED:
        s.skip_group()
    elif has_args:
        _type_arguments(s, base)
    if s.accept_seq("WITH", "TIME", "ZONE") or s.accept_seq("WITHOUT", "TIME", "ZONE"):
        pass
    array = False
    while s.tok.is_op("[") and (s.peek().is_op("]") or s.peek(2).is_op("]")):
        s.i += 2 if s.peek().is_op("]") else 3
        array = True
    last = s.tokens[s.i - 1]
    raw = " ".join(s.raw(first, last).split())
    if array:
        return ColumnType(kind=TypeKind.ARRAY, raw=raw), None, None
    if base in _STRUCTURED and has_args:  # Snowflake structured ARRAY(INT), OBJECT(a INT)
        return ColumnType(kind=_STRUCTURED[base], raw=raw), None, None
    try:
        return parse_type(raw, dialect), None, None
    except UnknownTypeError as exc:
        if _known_family(base, dialect):
            raise s.error(f"column {where}: {exc}", first) from None
    fallback = parse_type(FALLBACK_TYPE[dialect], dialect)
    labels = draft.enums.get(parts[-1].lower())
    if labels:
        width = max(len(label) for label in labels)
        fallback = parse_type(f"VARCHAR({max(width, 1)})", dialect)
        message = (
            f"type {raw} is an enum type: the column is created as {fallback.raw} holding "
            "its labels"
        )
        return fallback, message, labels
    message = (
        f"type {raw} is not supported: the column is created as {fallback.raw} and filled "
        "with generated text"
    )
    return fallback, message, None


def _type_arguments(s: TokenStream, base: str) -> None:
    """``(n)``, ``(p, s)`` or ``(MAX)``: only numbers, so a missing ')' is caught right here."""
    open_tok = s.next()
    while not s.accept_op(")"):
        if not (s.tok.kind == TokenKind.NUMBER or s.tok.is_word("MAX") or s.tok.is_op(",")):
            raise s.error(
                f"expected ')' to close the arguments of type {base} opened on line "
                f"{open_tok.line}, column {open_tok.col}, found {s.tok.describe()}"
            )
        s.next()


def _known_family(base: str, dialect: Dialect) -> bool:
    """True when the type name itself is known, so only its arguments can be wrong."""
    try:
        parse_type(base, dialect)
    except UnknownTypeError:
        return False
    return True


def parse_column(s: TokenStream, table: DraftTable, draft: Draft, dialect: Dialect) -> DraftColumn:
    """``name type [constraints...]``, adding inline keys and checks to ``table``."""
    name, token = s.identifier("column name")
    check_unquoted_name(token, "column", dialect, f"in table {table.name}")
    previous = table.find(name)
    if previous is not None:
        raise s.error(
            f"column {name} is declared twice in table {table.name} "
            f"(first on line {previous.token.line})",
            token,
        )
    where = f"{table.name}.{name}"
    type_line = s.tok.line
    ctype, warning, labels = parse_column_type(s, draft, dialect, where)
    column = DraftColumn(name=name, type=ctype, token=token, categories=labels)
    if warning:
        draft.warn(warning, table.name, name, line=type_line)
    if ctype.raw.upper() in ("SERIAL", "SERIAL4", "BIGSERIAL", "SERIAL8", "SMALLSERIAL", "SERIAL2"):
        column.identity = Identity(kind=IdentityKind.SERIAL)
        column.nullable = False
    table.columns.append(column)
    while not (s.at_end or s.tok.is_op(",", ")")):
        _column_constraint(s, table, column, draft)
    return column


def _column_constraint(
    s: TokenStream, table: DraftTable, column: DraftColumn, draft: Draft
) -> None:
    start = s.tok
    name = None
    if s.accept("CONSTRAINT"):
        name, _ = s.identifier("constraint name")
    ref = [NameRef(column.name, column.token)]
    if s.accept_seq("NOT", "NULL"):
        column.nullable = False
    elif s.accept("NULL"):
        column.nullable = True
    elif s.accept("DEFAULT"):
        column.default = default_expression(s, column)
    elif s.accept_seq("PRIMARY", "KEY"):
        if table.primary_key is not None:
            raise s.error(f"table {table.name} has more than one primary key", start)
        table.primary_key = DraftKey(ref, start, name)
        skip_constraint_properties(s)
    elif s.accept("UNIQUE"):
        s.accept("KEY")
        table.unique.append(DraftKey(ref, start, name))
        skip_constraint_properties(s)
    elif s.accept("REFERENCES") or s.accept_seq("FOREIGN", "KEY", "REFERENCES"):
        table.foreign_keys.append(parse_references(s, ref, name, start))
    elif s.accept("CHECK"):
        expression, inner = parse_check(s)
        shape = analyse_check(inner)
        table.checks.append((CheckConstraint(name=name, expression=expression), shape, start))
    elif s.accept("IDENTITY"):
        column.identity = parse_identity(s, IdentityKind.IDENTITY)
    elif s.accept("AUTOINCREMENT", "AUTO_INCREMENT"):
        column.identity = parse_identity(s, IdentityKind.AUTOINCREMENT)
    elif s.accept("GENERATED"):
        _generated(s, table, column, draft)
    elif s.tok.is_word("AS") and s.peek().is_op("("):  # Snowflake virtual column
        s.next()
        _computed(s, table, column, draft)
    elif s.accept("ENCODE"):
        column.encode = s.identifier("ENCODE compression")[0].upper()
    elif s.accept("DISTKEY"):
        table.distkey_ref = ref[0]
    elif s.accept("SORTKEY"):
        table.sortkey_refs.append(ref[0])
        table.warehouse.sortkey_style = SortKeyStyle.COMPOUND
    elif s.accept("COMMENT"):
        s.accept_op("=")
        column.comment = s.string("COMMENT")
    elif s.accept("COLLATE"):  # 'en-ci' (Snowflake), case_insensitive, pg_catalog."C"
        s.next() if s.tok.kind == TokenKind.STRING else s.qualified_name("collation")
    elif s.accept_seq("WITH", "MASKING", "POLICY") or s.accept_seq("MASKING", "POLICY"):
        _skip_policy(s)
    elif s.accept_seq("WITH", "PROJECTION", "POLICY") or s.accept_seq("PROJECTION", "POLICY"):
        s.qualified_name("policy name")
    elif s.accept_seq("WITH", "TAG") or s.accept("TAG"):
        s.skip_group()
    else:
        raise s.error(
            f"unexpected {s.tok.describe()} in the definition of column {table.name}.{column.name}"
            " (expected a constraint such as NOT NULL, DEFAULT or PRIMARY KEY, or ',' or ')')"
        )


def default_expression(s: TokenStream, column: DraftColumn) -> str:
    first, start = s.tok, s.i
    if first.is_word("NULL"):
        s.next()
        return "NULL"
    depth = 0
    while not s.at_end:
        tok = s.tok
        stop = tok.upper in _DEFAULT_STOP and not (tok.upper == "WITH" and s.peek().is_word("TIME"))
        if depth == 0 and (tok.is_op(",", ")") or (stop and tok is not first)):
            break
        depth += 1 if tok.is_op("(") else -1 if tok.is_op(")") else 0
        s.next()
    if s.i == start:
        raise s.error(f"DEFAULT of column {column.name} needs a value", first)
    text = s.raw(first, s.tokens[s.i - 1])
    if text.lower().startswith("nextval("):  # PostgreSQL serial written out as a sequence
        column.identity = column.identity or Identity(kind=IdentityKind.SERIAL)
    return text


def _generated(s: TokenStream, table: DraftTable, column: DraftColumn, draft: Draft) -> None:
    """``GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [...]`` or ``GENERATED ALWAYS AS (expr)``."""
    if not (s.accept("ALWAYS") or s.accept_seq("BY", "DEFAULT")):
        raise s.error(f"expected ALWAYS or BY DEFAULT after GENERATED, found {s.tok.describe()}")
    s.expect("AS", "in GENERATED ... AS")
    if s.accept("IDENTITY"):
        column.identity = parse_identity(s, IdentityKind.IDENTITY)
    else:
        _computed(s, table, column, draft)


def _computed(s: TokenStream, table: DraftTable, column: DraftColumn, draft: Draft) -> None:
    open_tok, close_tok = s.skip_group()
    s.accept("STORED", "VIRTUAL")
    column.default = s.raw(open_tok, close_tok)
    draft.warn(
        f"computed column AS {column.default}: values are generated like any other column, "
        "not computed from the expression",
        table.name,
        column.name,
        line=column.token.line,
    )


def _skip_policy(s: TokenStream) -> None:
    s.qualified_name("policy name")
    if s.accept("USING"):
        s.skip_group()
