"""Reading COPY/UNLOAD option tokens: a cursor over ``sqlglot.tokenize`` output, and the
few options with a grammar of their own (PARTITION BY (...), MAXFILESIZE n MB)."""

import sqlglot
from sqlglot.tokens import Token, TokenType

from dwsim_redshift.copy.errors import CopyError

VALUE_TOKENS = {TokenType.STRING, TokenType.NUMBER}
_SIZE_UNITS = {"MB": 1 << 20, "GB": 1 << 30}
MIN_FILE_SIZE = 5 << 20
MAX_FILE_SIZE = int(6.2 * (1 << 30))


class Reader:
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
        return tok.text.upper() if tok and tok.token_type not in VALUE_TOKENS else ""

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
        if tok.token_type in VALUE_TOKENS or tok.text.upper() != word:
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


def partition_columns(reader: Reader, by_read: bool = False) -> str:
    """PARTITION BY ( a, b ): the column names, comma-joined."""
    if not by_read:
        reader.expect_word("BY")
    tok = reader.next()
    if tok.token_type is not TokenType.L_PAREN:
        raise reader.syntax_error(tok)
    names = []
    while True:
        names.append(identifier(reader.next()))
        tok = reader.next()
        if tok.token_type is TokenType.R_PAREN:
            return ",".join(names)
        if tok.token_type is not TokenType.COMMA:
            raise reader.syntax_error(tok)


def file_size(reader: Reader) -> int:
    """MAXFILESIZE [AS] n [MB | GB]: between 5 MB and 6.2 GB (MB when no unit is given)."""
    reader.skip_as()
    tok = reader.next()
    try:
        amount = float(tok.text)
    except ValueError:
        raise CopyError(f"MAXFILESIZE expects a size, got '{tok.text}'") from None
    unit = reader.peek_word()
    scale = _SIZE_UNITS.get(unit, _SIZE_UNITS["MB"])
    if unit in _SIZE_UNITS:
        reader.next()
    size = int(amount * scale)
    if not MIN_FILE_SIZE <= size <= MAX_FILE_SIZE:
        raise CopyError("MAXFILESIZE must be between 5 MB and 6.2 GB")
    return size


def identifier(tok: Token) -> str:
    if tok.token_type is TokenType.IDENTIFIER:
        return tok.text
    if (
        tok.token_type in VALUE_TOKENS
        or not tok.text
        or not (tok.text[0].isalpha() or tok.text[0] in "_#")
    ):
        raise CopyError(f'syntax error at or near "{tok.text}": expected a name')
    return tok.text.lower().lstrip("#")


def tokens(sql: str) -> list[Token] | None:
    try:
        return sqlglot.tokenize(sql, read="postgres")
    except Exception:
        return None
