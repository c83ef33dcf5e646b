"""Constraint clauses: REFERENCES, CHECK, identity (IDENTITY / AUTOINCREMENT / GENERATED)."""

from typing import Any

from dwsim_shared.contracts.enums import IdentityKind
from dwsim_shared.contracts.schema import CheckConstraint, Identity
from dwsim_shared.ddl.model import CheckShape, DraftForeignKey, DraftKey, DraftTable, NameRef
from dwsim_shared.ddl.stream import TokenStream
from dwsim_shared.ddl.tokens import Token, TokenKind

# Trailing constraint attributes accepted and ignored (PostgreSQL actions/deferral, Snowflake
# RELY/ENFORCED properties): they do not change which values are valid.
_REF_ACTIONS = ("CASCADE", "RESTRICT", "NO ACTION", "SET NULL", "SET DEFAULT")


def skip_constraint_properties(s: TokenStream) -> None:
    """``ON DELETE CASCADE``, ``MATCH FULL``, ``DEFERRABLE``, ``NOT ENFORCED``, ``RELY``..."""
    while True:
        if s.accept("ON"):
            s.expect_one(("DELETE", "UPDATE"), "after ON in a foreign key")
            if not any(s.accept_seq(*a.split()) for a in _REF_ACTIONS):
                raise s.error(
                    f"expected one of {', '.join(_REF_ACTIONS)}, found {s.tok.describe()}"
                )
        elif s.accept("MATCH"):
            s.expect_one(("FULL", "SIMPLE", "PARTIAL"), "after MATCH")
        elif s.tok.is_word("NOT") and s.peek().is_word("DEFERRABLE", "ENFORCED", "VALID"):
            s.i += 2
        elif s.accept("INITIALLY"):
            s.expect_one(("DEFERRED", "IMMEDIATE"), "after INITIALLY")
        elif not s.accept(
            "DEFERRABLE", "ENFORCED", "RELY", "NORELY", "VALIDATE", "NOVALIDATE", "ENABLE",
            "DISABLE",
        ):  # fmt: skip
            return


def parse_references(
    s: TokenStream, columns: list[NameRef], name: str | None, start: Token
) -> DraftForeignKey:
    """After ``REFERENCES``: ``[schema.]table [(cols)]`` plus actions and properties."""
    parts, table_token = s.qualified_name("referenced table name")
    if len(parts) > 3:
        raise s.error(f"too many name parts in {'.'.join(parts)}", table_token)
    ref_columns = None
    if s.tok.is_op("("):
        ref_columns = [NameRef(n, t) for n, t in s.identifier_list("referenced column")]
    skip_constraint_properties(s)
    return DraftForeignKey(columns, parts[-1], table_token, ref_columns, start, name)


def parse_identity(s: TokenStream, kind: IdentityKind) -> Identity:
    """After IDENTITY/AUTOINCREMENT (or ``GENERATED ... AS IDENTITY``): ``(seed, step)`` or
    ``START n INCREMENT m`` or PostgreSQL's ``(START WITH n INCREMENT BY m ...)``."""
    seed, step = 1, 1
    if (s.tok.is_op("(") and s.peek().kind == TokenKind.NUMBER) or (
        s.tok.is_op("(") and s.peek().is_op("-")
    ):
        s.next()
        seed = s.int_literal("identity seed")
        if s.accept_op(","):
            step = s.int_literal("identity step")
        s.expect_op(")", "after the identity seed and step")
    elif s.tok.is_op("("):
        s.next()
        seed, step = _sequence_options(s, seed, step)
        s.expect_op(")", "after the identity options")
    seed, step = _sequence_options(s, seed, step)
    if step == 0:
        raise s.error("identity step must not be 0")
    return Identity(kind=kind, seed=seed, step=step)


def _sequence_options(s: TokenStream, seed: int, step: int) -> tuple[int, int]:
    while True:
        if s.accept("START"):
            s.accept("WITH")
            s.accept_op("=")
            seed = s.int_literal("identity start")
        elif s.accept("INCREMENT"):
            s.accept("BY")
            s.accept_op("=")
            step = s.int_literal("identity increment")
        elif s.accept_seq("SEQUENCE", "NAME"):
            s.qualified_name("sequence name")
        elif s.accept("MINVALUE", "MAXVALUE", "CACHE"):
            s.int_literal("sequence option")
        elif (
            s.accept_seq("NO", "MINVALUE")
            or s.accept_seq("NO", "MAXVALUE")
            or s.accept_seq("NO", "CYCLE")
            or s.accept("CYCLE", "ORDER", "NOORDER")
        ):
            pass
        else:
            return seed, step


def parse_check(s: TokenStream) -> tuple[str, list[Token]]:
    """After ``CHECK``: the parenthesised expression, as raw text and as its inner tokens."""
    open_tok, close_tok = s.skip_group()
    inner = s.tokens[s.tokens.index(open_tok) + 1 : s.tokens.index(close_tok)]
    if not inner:
        raise s.error("CHECK needs an expression inside the parentheses", open_tok)
    skip_constraint_properties(s)
    s.accept_seq("NO", "INHERIT")
    return s.raw(inner[0], inner[-1]), inner


def _literal(tokens: list[Token], i: int) -> tuple[Any, int] | None:
    """A literal at ``tokens[i]`` (with an optional sign); returns (value, next index)."""
    sign = ""
    if tokens[i].is_op("-", "+") and i + 1 < len(tokens):
        sign, i = tokens[i].value, i + 1
    token = tokens[i]
    if token.kind == TokenKind.STRING and not sign:
        return token.value, i + 1
    if token.kind == TokenKind.NUMBER:
        text = sign + token.value
        value: Any = float(text) if any(c in text for c in ".eE") else int(text)
        return value, i + 1
    return None


def _strip_casts(tokens: list[Token]) -> list[Token]:
    """Drop ``::type`` casts (pg_dump writes ``'a'::character varying``, ``(col)::text``)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        if tokens[i].is_op("::"):
            i += 1
            while i < len(tokens) and tokens[i].kind in (TokenKind.WORD, TokenKind.QUOTED):
                i += 1
            if i < len(tokens) and tokens[i].is_op("("):
                while i < len(tokens) and not tokens[i].is_op(")"):
                    i += 1
                i += 1
            while i + 1 < len(tokens) and tokens[i].is_op("[") and tokens[i + 1].is_op("]"):
                i += 2
            continue
        out.append(tokens[i])
        i += 1
    return out


def analyse_check(tokens: list[Token]) -> CheckShape | None:
    """Recognise ``col IN (...)``, ``col = ANY (ARRAY[...])`` and ``col BETWEEN a AND b``."""
    body = [t for t in _strip_casts(tokens) if not t.is_op("(", ")")]
    names = [
        t for t in body if t.is_identifier and not t.is_word("IN", "ANY", "ARRAY", "BETWEEN", "AND")
    ]
    if len(names) != 1 or body[0] is not names[0] or any(t.is_word("NOT", "OR") for t in body):
        return None
    column, rest = names[0].value, body[1:]
    if rest and (
        rest[0].is_word("IN") or (rest[0].is_op("=") and len(rest) > 1 and rest[1].is_word("ANY"))
    ):
        items = [t for t in rest[1:] if not (t.is_word("ANY", "ARRAY") or t.is_op("[", "]"))]
        values: list[Any] = []
        i = 0
        while i < len(items):
            lit = _literal(items, i)
            if lit is None:
                return None
            values.append(lit[0])
            i = lit[1]
            if i < len(items):
                if not items[i].is_op(","):
                    return None
                i += 1
        return CheckShape(column, values=values) if values else None
    if rest and rest[0].is_word("BETWEEN"):
        low = _literal(rest, 1)
        if low is None or low[1] >= len(rest) or not rest[low[1]].is_word("AND"):
            return None
        high = _literal(rest, low[1] + 1)
        if high is None or high[1] != len(rest):
            return None
        return CheckShape(column, range=(low[0], high[0]))
    return None


def parse_table_constraint(s: TokenStream, table: DraftTable) -> None:
    """``[CONSTRAINT name] PRIMARY KEY (..) | UNIQUE (..) | FOREIGN KEY (..) REFERENCES .. |
    CHECK (..)``, in a column list or in ``ALTER TABLE ... ADD``."""
    start = s.tok
    name = s.identifier("constraint name")[0] if s.accept("CONSTRAINT") else None
    if s.accept_seq("PRIMARY", "KEY"):
        columns = [NameRef(n, t) for n, t in s.identifier_list("primary key column")]
        if table.primary_key is not None:
            raise s.error(f"table {table.name} has more than one primary key", start)
        table.primary_key = DraftKey(columns, start, name)
        skip_constraint_properties(s)
    elif s.accept("UNIQUE"):
        s.accept("KEY")
        columns = [NameRef(n, t) for n, t in s.identifier_list("unique column")]
        table.unique.append(DraftKey(columns, start, name))
        skip_constraint_properties(s)
    elif s.accept_seq("FOREIGN", "KEY"):
        columns = [NameRef(n, t) for n, t in s.identifier_list("foreign key column")]
        s.expect("REFERENCES", f"after FOREIGN KEY ({', '.join(c.name for c in columns)})")
        table.foreign_keys.append(parse_references(s, columns, name, start))
    elif s.accept("CHECK"):
        expression, inner = parse_check(s)
        table.checks.append(
            (CheckConstraint(name=name, expression=expression), analyse_check(inner), start)
        )
    else:
        raise s.error(
            f"expected PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK in a constraint of table "
            f"{table.name}, found {s.tok.describe()}"
        )
