"""COPY and UNLOAD statements read from ``sqlglot.tokenize`` with a table of option arities.

sqlglot's parser pairs a flag with the next option's value (``CSV IGNOREHEADER 1``), so options
are read token by token here: each option is known to take no value, a value, or maybe one.
"""

import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot.tokens import Token, TokenType

from dwsim_redshift.copy.errors import CopyError
from dwsim_redshift.copy.option_table import (
    COMPRESSIONS,
    COPY_OPTIONS,
    FORMATS,
    UNLOAD_OPTIONS,
    UNSUPPORTED,
    Arity,
    Compression,
    DataFormat,
)

_VALUE_TOKENS = {TokenType.STRING, TokenType.NUMBER}
_LEADING = re.compile(r"\s*(?:(?:/\*.*?\*/|--[^\n]*(?:\n|$))\s*)*", re.S)
_ESCAPES = {"\\t": "\t", "\\n": "\n", "\\r": "\r", "\\\\": "\\", "\\|": "|", "\\0": "\0"}


@dataclass
class TableRef:
    name: str
    schema: str | None = None


class _Options:
    """What COPY and UNLOAD read from their options alike."""

    format: DataFormat
    options: dict[str, str | None]

    def has(self, name: str) -> bool:
        return name in self.options

    @property
    def compression(self) -> Compression:
        return _compression(self.options)

    @property
    def delimiter(self) -> str:
        default = "," if self.format is DataFormat.CSV else "|"
        return _unescape(self.options.get("DELIMITER") or default)


@dataclass
class CopyCommand(_Options):
    table: TableRef
    columns: list[str] | None
    source: str
    format: DataFormat = DataFormat.TEXT
    options: dict[str, str | None] = field(default_factory=dict)

    @property
    def quote(self) -> str:
        return self.options.get("QUOTE") or '"'

    @property
    def null_as(self) -> str:
        return self.options.get("NULL") or "\\N"

    @property
    def ignore_header(self) -> int:
        return _int_option(self.options, "IGNOREHEADER", 0)

    @property
    def max_errors(self) -> int:
        return _int_option(self.options, "MAXERROR", _int_option(self.options, "MAXERRORS", 0))

    @property
    def json_ignorecase(self) -> bool:
        return (self.options.get("JSON") or "auto").strip().lower() == "auto ignorecase"


@dataclass
class UnloadCommand(_Options):
    query: str
    target: str
    format: DataFormat = DataFormat.TEXT
    options: dict[str, str | None] = field(default_factory=dict)

    @property
    def parallel(self) -> bool:
        return (self.options.get("PARALLEL") or "ON").upper() not in ("OFF", "FALSE")


def is_copy(sql: str) -> bool:
    """A ``COPY ... FROM 's3://...'`` statement (COPY FROM STDIN goes to PostgreSQL as is)."""
    if not _starts_with(sql, "copy"):
        return False
    tokens = _tokens(sql)
    if tokens is None:
        return False
    for i, token in enumerate(tokens[:-1]):
        if token.token_type is TokenType.FROM:
            nxt = tokens[i + 1]
            return nxt.token_type is TokenType.STRING and nxt.text.lower().startswith("s3://")
    return False


def is_unload(sql: str) -> bool:
    return _starts_with(sql, "unload")


def parse_copy(sql: str) -> CopyCommand:
    tokens = _tokens(sql)
    if tokens is None:
        raise CopyError("syntax error in COPY statement")
    reader = _Reader(tokens, "COPY")
    reader.expect_word("COPY")
    table = _table_ref(reader)
    columns = None
    if reader.peek_type() is TokenType.L_PAREN:
        reader.next()
        columns = []
        while True:
            columns.append(_identifier(reader.next()))
            tok = reader.next()
            if tok.token_type is TokenType.R_PAREN:
                break
            if tok.token_type is not TokenType.COMMA:
                raise reader.syntax_error(tok)
    reader.expect_word("FROM")
    source = reader.expect_string("the S3 source after FROM")
    fmt, options = _options(reader, COPY_OPTIONS, "COPY")
    if fmt is DataFormat.JSON:
        mode = (options.get("JSON") or "auto").strip().lower()
        if mode not in ("auto", "auto ignorecase"):
            raise CopyError(
                f"JSON '{options.get('JSON')}' is not supported by the dw-sim Redshift emulator:"
                " use JSON 'auto' or JSON 'auto ignorecase'"
            )
    return CopyCommand(table=table, columns=columns, source=source, format=fmt, options=options)


def parse_unload(sql: str) -> UnloadCommand:
    """UNLOAD ('query') TO ...: the query may escape its quotes as '' or as \\' (Redshift)."""
    rest = sql[_LEADING.match(sql).end() :]
    if rest[:6].lower() != "unload":
        raise CopyError("syntax error in UNLOAD statement")
    rest = rest[6:]
    try:
        head = sqlglot.tokenize(rest, read="redshift")[:3]
    except Exception:
        head = []
    kinds = [t.token_type for t in head]
    if kinds != [TokenType.L_PAREN, TokenType.STRING, TokenType.R_PAREN]:
        raise CopyError("UNLOAD expects ('select ...') before TO")
    query = head[1].text
    tokens = _tokens(rest[head[2].end + 1 :])
    if tokens is None:
        raise CopyError("syntax error in UNLOAD statement")
    reader = _Reader(tokens, "UNLOAD")
    reader.expect_word("TO")
    target = reader.expect_string("the S3 target after TO")
    fmt, options = _options(reader, UNLOAD_OPTIONS, "UNLOAD")
    if fmt not in (DataFormat.TEXT, DataFormat.CSV, DataFormat.PARQUET):
        raise CopyError(
            f"UNLOAD FORMAT {fmt.name} is not supported by the dw-sim Redshift emulator"
        )
    return UnloadCommand(query=query, target=target, format=fmt, options=options)


class _Reader:
    def __init__(self, tokens: list[Token], statement: str) -> None:
        self.tokens = [t for t in tokens if t.token_type is not TokenType.SEMICOLON]
        self.pos = 0
        self.statement = statement

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def peek_type(self) -> TokenType | None:
        tok = self.peek()
        return tok.token_type if tok else None

    def peek_word(self) -> str:
        tok = self.peek()
        return tok.text.upper() if tok and tok.token_type not in _VALUE_TOKENS else ""

    def next(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise CopyError(f"syntax error at end of {self.statement} statement")
        self.pos += 1
        return tok

    def skip_as(self) -> None:
        if self.peek_word() == "AS":
            self.pos += 1

    def expect_word(self, word: str) -> None:
        tok = self.next()
        if tok.token_type in _VALUE_TOKENS or tok.text.upper() != word:
            raise self.syntax_error(tok)

    def expect_string(self, what: str) -> str:
        tok = self.next()
        if tok.token_type is not TokenType.STRING:
            raise CopyError(
                f"{self.statement} expects {what} as a quoted string, near '{tok.text}'"
            )
        return tok.text

    def syntax_error(self, tok: Token) -> CopyError:
        return CopyError(f'syntax error at or near "{tok.text}" in {self.statement} statement')


def _options(
    reader: _Reader, table: dict[str, Arity], statement: str
) -> tuple[DataFormat, dict[str, str | None]]:
    fmt = DataFormat.TEXT
    options: dict[str, str | None] = {}
    while reader.peek() is not None:
        tok = reader.next()
        word = tok.text.upper() if tok.token_type not in _VALUE_TOKENS else ""
        if word == "WITH":
            continue
        if word == "FORMAT":
            reader.skip_as()
            tok = reader.next()
            word = tok.text.upper()
            if word not in FORMATS:
                raise CopyError(f"unknown {statement} FORMAT '{tok.text}'")
        if word in FORMATS:
            if word in UNSUPPORTED:
                raise CopyError(f"{word} is not supported by the dw-sim Redshift emulator")
            fmt = DataFormat(word.lower())
            if word == "JSON":
                reader.skip_as()
                if reader.peek_type() is TokenType.STRING:
                    options["JSON"] = reader.next().text
            elif word == "CSV" and reader.peek_word() == "QUOTE":
                continue
            continue
        arity = table.get(word)
        if arity is None:
            raise reader.syntax_error(tok)
        if word in UNSUPPORTED:
            raise CopyError(f"{word} is not supported by the dw-sim Redshift emulator")
        if arity is Arity.FLAG:
            options[word] = None
            continue
        reader.skip_as()
        nxt = reader.peek()
        takes_value = nxt is not None and (
            nxt.token_type in _VALUE_TOKENS
            or (
                arity is Arity.VALUE
                or nxt.text.upper() in ("ON", "OFF", "TRUE", "FALSE", "PRESET", "DEFAULT")
            )
        )
        if arity is Arity.VALUE and not takes_value:
            raise CopyError(f"{statement} option {word} needs a value")
        options[word] = reader.next().text if takes_value else None
    return fmt, options


def _table_ref(reader: _Reader) -> TableRef:
    parts = []
    tok = reader.next()
    if tok.token_type is TokenType.HASH:
        tok = reader.next()
    parts.append(_identifier(tok))
    while reader.peek_type() is TokenType.DOT:
        reader.next()
        parts.append(_identifier(reader.next()))
    if len(parts) > 3:
        raise CopyError(f"improper qualified name (too many dotted names): {'.'.join(parts)}")
    return TableRef(name=parts[-1], schema=parts[-2] if len(parts) > 1 else None)


def _identifier(tok: Token) -> str:
    if tok.token_type is TokenType.IDENTIFIER:
        return tok.text
    if (
        tok.token_type in _VALUE_TOKENS
        or not tok.text
        or not (tok.text[0].isalpha() or tok.text[0] in "_#")
    ):
        raise CopyError(f'syntax error at or near "{tok.text}": expected a name')
    return tok.text.lower().lstrip("#")


def _tokens(sql: str) -> list[Token] | None:
    try:
        return sqlglot.tokenize(sql, read="postgres")
    except Exception:
        return None


def _starts_with(sql: str, word: str) -> bool:
    rest = sql[_LEADING.match(sql).end() :]
    return rest[: len(word)].lower() == word and (
        len(rest) == len(word) or not rest[len(word)].isalnum()
    )


def _unescape(value: str) -> str:
    return _ESCAPES.get(value, value)


def _compression(options: dict[str, str | None]) -> Compression:
    for name, kind in COMPRESSIONS.items():
        if name in options:
            return kind
    return Compression.NONE


def _int_option(options: dict[str, str | None], name: str, default: int) -> int:
    value = options.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise CopyError(f"{name} expects a whole number, got '{value}'") from None
