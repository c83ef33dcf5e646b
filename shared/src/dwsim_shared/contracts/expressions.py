"""The small expression language of derived columns: parsed once, typed against the table.

``quantity * unit_price``, ``first_name || ' ' || last_name``, ``round(price * 1.2, 2)``,
``email(first_name, last_name)``. Numbers, 'strings', column names (``"Quoted"`` or
``table.column``), ``+ - * /`` on numbers, ``||`` joining anything as text (lowest
precedence, as in PostgreSQL), and the functions in ``FUNCTIONS``.
"""

import re
from dataclasses import dataclass
from decimal import Decimal


class ExpressionError(ValueError):
    """An expression that does not parse or does not type; the message says where."""


@dataclass(frozen=True)
class Literal:
    value: Decimal | str


@dataclass(frozen=True)
class ColumnRef:
    name: str
    table: str | None = None


@dataclass(frozen=True)
class Binary:
    op: str
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Negate:
    operand: "Node"


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple["Node", ...]


Node = Literal | ColumnRef | Binary | Negate | Call

# Value families an expression computes with.
NUMBER, TEXT, TEMPORAL, BOOLEAN, OTHER = "number", "text", "temporal", "boolean", "other"

# name -> (least args, most args, argument family or None for any, result family or None:
# the first argument's)
FUNCTIONS: dict[str, tuple[int, int, str | None, str | None]] = {
    "lower": (1, 1, None, TEXT),
    "upper": (1, 1, None, TEXT),
    "trim": (1, 1, None, TEXT),
    "round": (1, 2, NUMBER, NUMBER),
    "abs": (1, 1, NUMBER, NUMBER),
    "coalesce": (1, 8, None, None),
    "email": (1, 2, None, TEXT),  # email(first_name, last_name): name-based address
}

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<str>'(?:[^']|'')*')|(?P<qid>\"(?:[^\"]|\"\")+\")"
    r"|(?P<id>[A-Za-z_][A-Za-z0-9_$]*)|(?P<op>\|\||[-+*/(),.]))"
)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ExpressionError(f"unexpected {text[pos:].strip()[:10]!r} at character {pos + 1}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind), match.start(kind)))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text, self.tokens, self.at = text, _tokens(text), 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise ExpressionError(
                f"{self.text!r} ends early" + (f": {value!r} expected" if value else "")
            )
        if value is not None and token[1] != value:
            raise ExpressionError(
                f"{value!r} expected at character {token[2] + 1}, not {token[1]!r}"
            )
        self.at += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise ExpressionError("the expression is empty")
        node = self.concat()
        extra = self.peek()
        if extra is not None:
            raise ExpressionError(f"unexpected {extra[1]!r} at character {extra[2] + 1}")
        return node

    def _chain(self, ops: tuple[str, ...], operand) -> Node:  # type: ignore[no-untyped-def]
        node = operand()
        while (token := self.peek()) is not None and token[0] == "op" and token[1] in ops:
            self.at += 1
            node = Binary(token[1], node, operand())
        return node

    def concat(self) -> Node:
        return self._chain(("||",), self.additive)

    def additive(self) -> Node:
        return self._chain(("+", "-"), self.term)

    def term(self) -> Node:
        return self._chain(("*", "/"), self.unary)

    def unary(self) -> Node:
        token = self.peek()
        if token is not None and token[1] == "-":
            self.at += 1
            return Negate(self.unary())
        return self.primary()

    def primary(self) -> Node:
        kind, value, pos = self.take()
        if kind == "num":
            return Literal(Decimal(value))
        if kind == "str":
            return Literal(value[1:-1].replace("''", "'"))
        if kind in ("id", "qid"):
            name = value[1:-1].replace('""', '"') if kind == "qid" else value
            token = self.peek()
            if kind == "id" and token is not None and token[1] == "(":
                return self.call(name.lower())
            if token is not None and token[1] == ".":
                self.at += 1
                column_kind, column, _ = self.take()
                if column_kind not in ("id", "qid"):
                    raise ExpressionError(f"a column name is expected after {name}.")
                column = column[1:-1].replace('""', '"') if column_kind == "qid" else column
                return ColumnRef(column, name)
            return ColumnRef(name)
        if value == "(":
            node = self.concat()
            self.take(")")
            return node
        raise ExpressionError(f"unexpected {value!r} at character {pos + 1}")

    def call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name}() (known: {', '.join(FUNCTIONS)})")
        self.take("(")
        args: list[Node] = []
        if (token := self.peek()) is not None and token[1] != ")":
            args.append(self.concat())
            while (token := self.peek()) is not None and token[1] == ",":
                self.at += 1
                args.append(self.concat())
        self.take(")")
        least, most, _, _ = FUNCTIONS[name]
        if not least <= len(args) <= most:
            want = str(least) if least == most else f"{least} to {most}"
            raise ExpressionError(f"{name}() takes {want} arguments, not {len(args)}")
        return Call(name, tuple(args))


def parse(text: str) -> Node:
    """The expression's tree; raises ``ExpressionError`` saying what is wrong and where."""
    return _Parser(text).parse()


def column_refs(node: Node) -> list[ColumnRef]:
    """Every column the expression reads, in order of appearance."""
    if isinstance(node, ColumnRef):
        return [node]
    if isinstance(node, Binary):
        return column_refs(node.left) + column_refs(node.right)
    if isinstance(node, Negate):
        return column_refs(node.operand)
    if isinstance(node, Call):
        return [ref for arg in node.args for ref in column_refs(arg)]
    return []


def uses_email(node: Node) -> bool:
    if isinstance(node, Call):
        return node.name == "email" or any(uses_email(a) for a in node.args)
    if isinstance(node, Binary):
        return uses_email(node.left) or uses_email(node.right)
    return isinstance(node, Negate) and uses_email(node.operand)


def family(node: Node, column_family) -> str:  # type: ignore[no-untyped-def]
    """The family (NUMBER, TEXT...) the expression computes; ``column_family(ref)`` types columns.

    Raises ``ExpressionError`` for an operation its operands do not allow.
    """
    if isinstance(node, Literal):
        return TEXT if isinstance(node.value, str) else NUMBER
    if isinstance(node, ColumnRef):
        return column_family(node)
    if isinstance(node, Negate):
        _need(family(node.operand, column_family), NUMBER, "-", node.operand)
        return NUMBER
    if isinstance(node, Binary):
        left, right = family(node.left, column_family), family(node.right, column_family)
        if node.op == "||":
            return TEXT
        _need(left, NUMBER, node.op, node.left)
        _need(right, NUMBER, node.op, node.right)
        return NUMBER
    _, _, wants, gives = FUNCTIONS[node.name]
    kinds = [family(arg, column_family) for arg in node.args]
    for arg, kind in zip(node.args, kinds, strict=True):
        if wants is not None:
            _need(kind, wants, f"{node.name}()", arg)
    if node.name == "round" and len(node.args) == 2 and not isinstance(node.args[1], Literal):
        raise ExpressionError("round()'s digits must be a number written in the expression")
    if node.name == "coalesce" and len(set(kinds)) > 1:
        raise ExpressionError(f"coalesce() mixes {', '.join(sorted(set(kinds)))} values")
    return gives or kinds[0]


def _need(kind: str, wanted: str, op: str, node: Node) -> None:
    if kind != wanted:
        raise ExpressionError(f"{op} needs {wanted} values, but {describe(node)} is {kind}")


def describe(node: Node) -> str:
    if isinstance(node, ColumnRef):
        return f"{node.table}.{node.name}" if node.table else node.name
    if isinstance(node, Literal):
        return repr(node.value) if isinstance(node.value, str) else str(node.value)
    if isinstance(node, Call):
        return f"{node.name}(...)"
    return "the expression"
