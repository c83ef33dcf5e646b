"""Errors a person can act on. CLI and HTTP turn these into messages, never tracebacks."""


class DwsimError(Exception):
    """Base of every expected failure (bad input, impossible request, unreachable server)."""


class DDLError(DwsimError):
    """DDL that cannot be imported; names the line and column when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        where = (
            f"line {line}, column {column}: "
            if line is not None and column is not None
            else (f"line {line}: " if line is not None else "")
        )
        super().__init__(f"{where}{message}")
