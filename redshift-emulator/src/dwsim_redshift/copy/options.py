"""COPY and UNLOAD statements read from ``sqlglot.tokenize`` with a table of option arities.

sqlglot's parser pairs a flag with the next option's value (``CSV IGNOREHEADER 1``), so options
are read token by token here: each option is known to take no value, a value, or maybe one.
"""

import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot.tokens import TokenType

from dwsim_redshift.copy.errors import CopyError
from dwsim_redshift.copy.option_reader import (
    MAX_FILE_SIZE,
    VALUE_TOKENS,
    Reader,
    file_size,
    identifier,
    partition_columns,
)
from dwsim_redshift.copy.option_reader import (
    tokens as tokenize_options,
)
from dwsim_redshift.copy.option_table import (
    COMPRESSIONS,
    COPY_OPTIONS,
    FORMATS,
    UNLOAD_FORMATS,
    UNLOAD_OPTIONS,
    UNSUPPORTED,
    Arity,
    Compression,
    DataFormat,
)

_LEADING = re.compile(r"\s*(?:(?:/\*.*?\*/|--[^\n]*(?:\n|$))\s*)*", re.S)
_JSON_MODES = ("auto", "auto ignorecase", "noshred")
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
    def json_mode(self) -> str:
        """'auto', 'auto ignorecase', 'noshred', or the s3:// URL of a JSONPaths file."""
        value = (self.options.get("JSON") or "auto").strip()
        return value.lower() if value.lower() in _JSON_MODES else value

    @property
    def json_ignorecase(self) -> bool:
        return self.json_mode == "auto ignorecase"

    @property
    def fixed_widths(self) -> list[tuple[str, int]]:
        """FIXEDWIDTH 'label:width,...' as (label, width) pairs, in column order."""
        return parse_fixedwidth(self.options.get("FIXEDWIDTH") or "")


@dataclass
class UnloadCommand(_Options):
    query: str
    target: str
    format: DataFormat = DataFormat.TEXT
    options: dict[str, str | None] = field(default_factory=dict)

    @property
    def parallel(self) -> bool:
        return (self.options.get("PARALLEL") or "ON").upper() not in ("OFF", "FALSE")

    @property
    def partition_by(self) -> list[str]:
        value = self.options.get("PARTITION")
        return value.split(",") if value else []

    @property
    def max_file_size(self) -> int:
        """MAXFILESIZE in bytes (6.2 GB when not given)."""
        value = self.options.get("MAXFILESIZE")
        return MAX_FILE_SIZE if value is None else int(value)


def is_copy(sql: str) -> bool:
    """A ``COPY ... FROM 's3://...'`` statement (COPY FROM STDIN goes to PostgreSQL as is)."""
    if not _starts_with(sql, "copy"):
        return False
    tokens = tokenize_options(sql)
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
    tokens = tokenize_options(sql)
    if tokens is None:
        raise CopyError("syntax error in COPY statement")
    reader = Reader(tokens, "COPY")
    reader.expect_word("COPY")
    table = table_ref(reader)
    columns = None
    if reader.peek_type() is TokenType.L_PAREN:
        reader.next()
        columns = []
        while True:
            columns.append(identifier(reader.next()))
            tok = reader.next()
            if tok.token_type is TokenType.R_PAREN:
                break
            if tok.token_type is not TokenType.COMMA:
                raise reader.syntax_error(tok)
    reader.expect_word("FROM")
    source = reader.expect_string("the S3 source after FROM")
    fmt, options = _options(reader, COPY_OPTIONS, "COPY")
    cmd = CopyCommand(table=table, columns=columns, source=source, format=fmt, options=options)
    if fmt is DataFormat.JSON:
        mode = cmd.json_mode
        if mode not in _JSON_MODES and not mode.lower().startswith("s3://"):
            raise CopyError(
                f"Invalid JSON option '{mode}': use 'auto', 'auto ignorecase', 'noshred' or the "
                "s3:// location of a JSONPaths file"
            )
    if fmt is DataFormat.FIXEDWIDTH:
        cmd.fixed_widths  # noqa: B018 - checked now, so a bad spec fails before any S3 call
    return cmd


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
    tokens = tokenize_options(rest[head[2].end + 1 :])
    if tokens is None:
        raise CopyError("syntax error in UNLOAD statement")
    reader = Reader(tokens, "UNLOAD")
    reader.expect_word("TO")
    target = reader.expect_string("the S3 target after TO")
    fmt, options = _options(reader, UNLOAD_OPTIONS, "UNLOAD")
    if fmt not in UNLOAD_FORMATS:
        raise emulator_limit(f"UNLOAD {fmt.name}", "UNLOAD writes CSV, text, JSON or Parquet")
    return UnloadCommand(query=query, target=target, format=fmt, options=options)


def emulator_limit(what: str, why: str) -> CopyError:
    """A Redshift feature the emulator refuses rather than answer wrongly (SQLSTATE 0A000)."""
    return CopyError(
        f"{what} is not supported by the dw-sim Redshift emulator (emulator limit: {why})",
        sqlstate="0A000",
    )


def parse_fixedwidth(spec: str) -> list[tuple[str, int]]:
    pairs = []
    for part in spec.split(","):
        label, sep, width = part.strip().rpartition(":")
        if not sep or not label or not width.strip().isdigit() or int(width) <= 0:
            raise CopyError(
                f"Invalid fixedwidth_spec '{spec}': expected 'label:width,...' with whole widths"
            )
        pairs.append((label.strip(), int(width)))
    return pairs


def _options(
    reader: Reader, table: dict[str, Arity], statement: str
) -> tuple[DataFormat, dict[str, str | None]]:
    fmt = DataFormat.TEXT
    options: dict[str, str | None] = {}
    while reader.peek() is not None:
        tok = reader.next()
        word = tok.text.upper() if tok.token_type not in VALUE_TOKENS else ""
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
                raise emulator_limit(f"FORMAT {word}", UNSUPPORTED[word])
            fmt = DataFormat(word.lower())
            if word in ("JSON", "AVRO"):
                reader.skip_as()
                if reader.peek_type() is TokenType.STRING:
                    options[word] = reader.next().text
            elif word == "FIXEDWIDTH":
                reader.skip_as()
                options[word] = reader.expect_string("the fixedwidth_spec after FIXEDWIDTH")
            continue
        arity = table.get("PARTITION" if word == "PARTITION BY" else word)
        word = "PARTITION" if word == "PARTITION BY" else word
        if arity is None:
            raise reader.syntax_error(tok)
        if word in UNSUPPORTED:
            raise emulator_limit(word, UNSUPPORTED[word])
        if word == "PARTITION":  # sqlglot reads PARTITION BY as one token
            options[word] = partition_columns(reader, by_read=" " in tok.text)
            if reader.peek_word() == "INCLUDE":
                reader.next()
                options["INCLUDE"] = None
            continue
        if word == "MAXFILESIZE":
            options[word] = str(file_size(reader))
            continue
        if arity is Arity.FLAG:
            options[word] = None
            continue
        reader.skip_as()
        nxt = reader.peek()
        takes_value = nxt is not None and (
            nxt.token_type in VALUE_TOKENS
            or (
                arity is Arity.VALUE
                or nxt.text.upper() in ("ON", "OFF", "TRUE", "FALSE", "PRESET", "DEFAULT")
            )
        )
        if arity is Arity.VALUE and not takes_value:
            raise CopyError(f"{statement} option {word} needs a value")
        options[word] = reader.next().text if takes_value else None
    return fmt, options


def table_ref(reader: Reader) -> TableRef:
    parts = []
    tok = reader.next()
    if tok.token_type is TokenType.HASH:
        tok = reader.next()
    parts.append(identifier(tok))
    while reader.peek_type() is TokenType.DOT:
        reader.next()
        parts.append(identifier(reader.next()))
    if len(parts) > 3:
        raise CopyError(f"improper qualified name (too many dotted names): {'.'.join(parts)}")
    return TableRef(name=parts[-1], schema=parts[-2] if len(parts) > 1 else None)


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
