"""A cursor over one statement's tokens, with the helpers a recursive-descent parser needs."""

from dwsim_shared.contracts.identifiers import InvalidIdentifierError, validate_identifier
from dwsim_shared.ddl.tokens import Token, TokenKind
from dwsim_shared.errors import DDLError


class TokenStream:
    def __init__(self, text: str, tokens: list[Token]):
        self.text = text
        self.tokens = tokens  # ends with an END token
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    @property
    def at_end(self) -> bool:
        return self.tok.kind == TokenKind.END

    def next(self) -> Token:
        token = self.tok
        if not self.at_end:
            self.i += 1
        return token

    def error(self, message: str, token: Token | None = None) -> DDLError:
        token = token or self.tok
        return DDLError(message, token.line, token.col)

    def accept(self, *words: str) -> Token | None:
        """Consume the next token if it is one of these keywords (case-insensitive)."""
        if self.tok.is_word(*words):
            return self.next()
        return None

    def accept_seq(self, *words: str) -> bool:
        """Consume a keyword sequence (``NOT NULL``) only if all of it is there."""
        if all(self.peek(k).is_word(w) for k, w in enumerate(words)):
            self.i += len(words)
            return True
        return False

    def accept_op(self, *ops: str) -> Token | None:
        if self.tok.is_op(*ops):
            return self.next()
        return None

    def expect(self, word: str, context: str) -> Token:
        if not self.tok.is_word(word):
            raise self.error(f"expected {word} {context}, found {self.tok.describe()}")
        return self.next()

    def expect_one(self, words: tuple[str, ...], context: str) -> Token:
        if not self.tok.is_word(*words):
            raise self.error(
                f"expected {' or '.join(words)} {context}, found {self.tok.describe()}"
            )
        return self.next()

    def expect_op(self, op: str, context: str) -> Token:
        if not self.tok.is_op(op):
            raise self.error(f"expected '{op}' {context}, found {self.tok.describe()}")
        return self.next()

    def identifier(self, what: str) -> tuple[str, Token]:
        """An identifier: quoted keeps its text exactly, unquoted keeps the case it is written in."""
        token = self.tok
        if not token.is_identifier:
            raise self.error(f"expected {what}, found {token.describe()}")
        self.next()
        try:
            validate_identifier(token.value, what)
        except InvalidIdentifierError as exc:
            raise self.error(str(exc), token) from None
        return token.value, token

    def qualified_name(self, what: str) -> tuple[list[str], Token]:
        """``name``, ``schema.name`` or ``db.schema.name`` (or longer, for COMMENT ON COLUMN)."""
        first = self.tok
        parts = [self.identifier(what)[0]]
        while self.tok.is_op(".") and self.peek().is_identifier:
            self.next()
            parts.append(self.identifier(what)[0])
        return parts, first

    def identifier_list(self, what: str) -> list[tuple[str, Token]]:
        """``( a, b, c )``"""
        self.expect_op("(", f"before the list of {what}s")
        out = [self.identifier(what)]
        while self.accept_op(","):
            out.append(self.identifier(what))
        self.expect_op(")", f"after the list of {what}s")
        return out

    def skip_group(self) -> tuple[Token, Token]:
        """Skip a balanced ``( ... )`` group; returns its opening and closing tokens."""
        open_tok = self.expect_op("(", "")
        depth = 1
        while depth:
            if self.at_end:
                raise self.error("missing ')': the '(' here is never closed", open_tok)
            token = self.next()
            if token.is_op("("):
                depth += 1
            elif token.is_op(")"):
                depth -= 1
        return open_tok, self.tokens[self.i - 1]

    def raw(self, first: Token, last: Token) -> str:
        """The source text from ``first`` to ``last`` inclusive, verbatim."""
        return self.text[first.start : last.end]

    def string(self, what: str) -> str:
        """A string literal's value."""
        token = self.tok
        if token.kind != TokenKind.STRING:
            raise self.error(f"expected a string after {what}, found {token.describe()}")
        self.next()
        return token.value

    def int_literal(self, what: str) -> int:
        sign = -1 if self.accept_op("-") else 1
        token = self.tok
        if token.kind != TokenKind.NUMBER or not token.value.isdigit():
            raise self.error(f"expected an integer {what}, found {token.describe()}")
        self.next()
        return sign * int(token.value)
