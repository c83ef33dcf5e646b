"""The one thing the check asks of a warehouse: run a statement in a transaction that is rolled
back, and say how it went. One implementation per emulator (``rules.CheckRules.runner``)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from dwsim_shared.compat.rules import Translation

# a SELECT is run until this many rows have come back (its later rows are not read)
FIRST_ROWS = 1000


@dataclass(frozen=True)
class Outcome:
    """``ok``, or the warehouse's error: its code, its message, and where in the statement it
    points (1-based line and column, when the warehouse says)."""

    ok: bool
    code: str | None = None
    message: str = ""
    line: int | None = None
    column: int | None = None

    @classmethod
    def success(cls) -> "Outcome":
        return cls(ok=True)


class StatementRunner(Protocol):
    """Opened on the warehouse's connection config and an optional schema (unqualified names
    resolve there); every ``run`` leaves the session as ``open`` left it."""

    target: str  # the emulator's address, for the report

    def open(self) -> None:
        """Connect (``WarehouseUnavailableError`` when nothing answers; ``WarehouseError``
        when the schema does not exist)."""
        ...

    def run(self, sql: str, timeout_s: float) -> Outcome:
        """Run one statement inside a transaction, then roll it back. A lost connection
        raises ``WarehouseUnavailableError``; anything the warehouse answers is an Outcome."""
        ...

    def explainer(self) -> "Callable[[str], Translation] | None":
        """The emulator's own account of its rewrites over this connection (after ``open``),
        or None when it gives none (then ``CheckRules.explainer`` may, in-process)."""
        ...

    def close(self) -> None: ...
