"""A small SQL tokenizer that keeps line and column, and splits a script into statements.

Our own rather than sqlglot's so that every error (an unterminated string or comment, a stray
character) names the exact line and column, and so that ``$$`` bodies and dialect comment forms
(``//`` in Snowflake, nested ``/* */`` in PostgreSQL) are handled the way each warehouse does.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from dwsim_shared.contracts.enums import Dialect
from dwsim_shared.errors import DDLError


class TokenKind(StrEnum):
    WORD = "word"  # unquoted identifier or keyword, as written
    QUOTED = "quoted"  # "quoted identifier", value unescaped
    STRING = "string"  # 'literal' or $$literal$$, value unescaped
    NUMBER = "number"
    OP = "op"  # punctuation and operators
    END = "end"  # end of a statement


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    value: str
    line: int
    col: int
    start: int  # offsets into the source text, so raw text (types, DEFAULTs) is kept verbatim
    end: int

    @property
    def upper(self) -> str:
        return self.value.upper() if self.kind == TokenKind.WORD else ""

    def is_word(self, *words: str) -> bool:
        return self.kind == TokenKind.WORD and self.value.upper() in words

    def is_op(self, *ops: str) -> bool:
        return self.kind == TokenKind.OP and self.value in ops

    @property
    def is_identifier(self) -> bool:
        return self.kind in (TokenKind.WORD, TokenKind.QUOTED)

    def describe(self) -> str:
        if self.kind == TokenKind.END:
            return "the end of the statement"
        if self.kind == TokenKind.STRING:
            return "a string literal"
        return repr(self.value) if self.kind != TokenKind.QUOTED else f'"{self.value}"'


_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[\w#][\w$#]*")
_OPS = ("::", "||", "<=", ">=", "<>", "!=", "=>", "->")


class _Scanner:
    def __init__(self, text: str, dialect: Dialect):
        self.text = text
        self.dialect = dialect
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.tokens: list[Token] = []

    @property
    def col(self) -> int:
        return self.pos - self.line_start + 1

    def _advance_to(self, end: int) -> None:
        """Move to ``end``, counting the newlines passed."""
        chunk = self.text[self.pos : end]
        newlines = chunk.count("\n")
        if newlines:
            self.line += newlines
            self.line_start = self.pos + chunk.rindex("\n") + 1
        self.pos = end

    def _emit(self, kind: TokenKind, value: str, end: int) -> None:
        self.tokens.append(Token(kind, value, self.line, self.col, self.pos, end))
        self._advance_to(end)

    def run(self) -> list[Token]:
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            nxt = text[self.pos + 1] if self.pos + 1 < len(text) else ""
            if ch.isspace():
                self._advance_to(_SPACE.match(text, self.pos).end())  # type: ignore[union-attr]
            elif (ch == "-" and nxt == "-") or (
                ch == "/" and nxt == "/" and self.dialect == Dialect.SNOWFLAKE
            ):
                end = text.find("\n", self.pos)
                self._advance_to(len(text) if end < 0 else end)
            elif ch == "/" and nxt == "*":
                self._block_comment()
            elif ch == "'":
                self._string(self.pos, self.pos + 1, backslash=self.dialect == Dialect.SNOWFLAKE)
            elif ch in "eE" and nxt == "'":
                self._string(self.pos, self.pos + 2, backslash=True)
            elif ch == '"':
                self._quoted()
            elif ch == "$" and self._dollar():
                pass
            elif ch.isdigit() or (ch == "." and nxt.isdigit()):
                self._number()
            elif ch.isalpha() or ch in "_#":
                end = _WORD.match(text, self.pos).end()  # type: ignore[union-attr]
                self._emit(TokenKind.WORD, text[self.pos : end], end)
            else:
                op = next((o for o in _OPS if text.startswith(o, self.pos)), ch)
                self._emit(TokenKind.OP, op, self.pos + len(op))
        return self.tokens

    def _block_comment(self) -> None:
        line, col, depth, i = self.line, self.col, 0, self.pos
        nested = self.dialect == Dialect.POSTGRES
        while i < len(self.text):
            if self.text.startswith("/*", i) and (nested or depth == 0):
                depth, i = depth + 1, i + 2
            elif self.text.startswith("*/", i):
                depth, i = depth - 1, i + 2
                if depth == 0:
                    self._advance_to(i)
                    return
            else:
                i += 1
        raise DDLError("unterminated /* comment (no closing */)", line, col)

    def _string(self, start: int, body: int, *, backslash: bool) -> None:
        out: list[str] = []
        i = body
        text = self.text
        while i < len(text):
            ch = text[i]
            if ch == "\\" and backslash and i + 1 < len(text):
                out.append(
                    {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(text[i + 1], text[i + 1])
                )
                i += 2
            elif ch == "'":
                if text.startswith("''", i):
                    out.append("'")
                    i += 2
                else:
                    self._emit(TokenKind.STRING, "".join(out), i + 1)
                    return
            else:
                out.append(ch)
                i += 1
        raise DDLError("unterminated string literal (no closing ')", self.line, self.col)

    def _quoted(self) -> None:
        i = self.pos + 1
        out: list[str] = []
        while i < len(self.text):
            if self.text[i] == '"':
                if self.text.startswith('""', i):
                    out.append('"')
                    i += 2
                    continue
                self._emit(TokenKind.QUOTED, "".join(out), i + 1)
                return
            out.append(self.text[i])
            i += 1
        raise DDLError('unterminated quoted identifier (no closing ")', self.line, self.col)

    def _dollar(self) -> bool:
        """``$$ body $$`` or ``$tag$ body $tag$``; returns False if this ``$`` starts neither."""
        text = self.text
        end = self.pos + 1
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
        if end >= len(text) or text[end] != "$" or text[self.pos + 1 : end][:1].isdigit():
            return False
        tag = text[self.pos : end + 1]
        close = text.find(tag, end + 1)
        if close < 0:
            raise DDLError(f"unterminated {tag} string (no closing {tag})", self.line, self.col)
        self._emit(TokenKind.STRING, text[end + 1 : close], close + len(tag))
        return True

    def _number(self) -> None:
        text = self.text
        end = self.pos
        while end < len(text) and (text[end].isdigit() or text[end] == "."):
            end += 1
        if end < len(text) and text[end] in "eE":
            exp = end + 1
            if exp < len(text) and text[exp] in "+-":
                exp += 1
            if exp < len(text) and text[exp].isdigit():
                end = exp
                while end < len(text) and text[end].isdigit():
                    end += 1
        self._emit(TokenKind.NUMBER, text[self.pos : end], end)


# pg_dump data sections (``COPY ... FROM stdin;`` rows up to ``\.``) and psql meta-commands
# (``\connect``, ``\restrict``): blanked out, newlines kept, so line numbers stay true.
_COPY_DATA = re.compile(r"(?ims)^(COPY\s[^;]*?\sFROM\s+stdin\s*;[^\n]*\n)(.*?^\\\.[ \t]*$)")
_META = re.compile(r"(?m)^[ \t]*\\[a-z].*$")


def _blank(match: re.Match[str]) -> str:
    return match.group(1) + re.sub(r"[^\n]", " ", match.group(2))


def tokenize(text: str, dialect: Dialect) -> list[Token]:
    """Every token of ``text``; comments and whitespace dropped. Raises ``DDLError``."""
    if "\\" in text:
        text = _COPY_DATA.sub(_blank, text)
        text = _META.sub(lambda m: " " * len(m.group()), text)
    return _Scanner(text, dialect).run()


def split_statements(tokens: list[Token]) -> list[list[Token]]:
    """Group tokens into statements at ``;``; each statement ends with an END token."""
    statements: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        if token.is_op(";"):
            if current:
                current.append(
                    Token(TokenKind.END, ";", token.line, token.col, token.start, token.end)
                )
                statements.append(current)
            current = []
        else:
            current.append(token)
    if current:
        last = current[-1]
        current.append(
            Token(
                TokenKind.END, "", last.line, last.col + (last.end - last.start), last.end, last.end
            )
        )
        statements.append(current)
    return statements
