"""The one error the engine raises for impossible or invalid requests, naming where."""

from dwsim_shared.errors import DwsimError


class GenerationError(DwsimError):
    """A request that cannot be generated; the message names the table and column."""

    def __init__(self, message: str, table: str | None = None, column: str | None = None):
        self.table = table
        self.column = column
        where = ".".join(p for p in (table, column) if p)
        super().__init__(f"{where}: {message}" if where else message)
