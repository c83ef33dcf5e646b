"""The compatibility report: how each statement of a file, a folder or a query log fares on an
emulator (``dwsim check-sql``, ``POST /api/experiments/{name}/check-sql``)."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from dwsim_shared.contracts.enums import Warehouse

MAX_CHECK_SQL_CHARS = 5_000_000  # of one request's text
MAX_CHECK_STATEMENTS = 2_000  # per request


class CheckStatus(StrEnum):
    FAITHFUL = "faithful"  # runs as the warehouse would, as written
    REWRITTEN = "rewritten"  # runs through the emulator's rewrites (named, semantics tested)
    UNSUPPORTED = "unsupported"  # refused by the emulator: an emulator limit, with the reason
    ERROR = "error"  # the warehouse's own error (bad SQL, unknown column...), or not compiled SQL

    @property
    def passed(self) -> bool:
        return self in (CheckStatus.FAITHFUL, CheckStatus.REWRITTEN)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StatementCheck(_Model):
    """One statement: where it is, what became of it, and why."""

    file: str | None = None  # as given (a folder's files under the folder); None: request text
    line: int = Field(ge=1)  # 1-based line of the statement's first word in its file
    column: int = Field(ge=1)
    sql: str
    status: CheckStatus
    reason: str | None = None  # unsupported: why; error: the warehouse's message
    rewrites: list[str] = Field(default_factory=list)  # rewritten: the rewrites that applied
    error_line: int | None = None  # where the warehouse's error points, in the file
    error_column: int | None = None
    code: str | None = None  # the warehouse's SQLSTATE (Snowflake: and its error number)
    executed: bool = True  # False: classified without running it (``note`` says why)
    note: str | None = None
    elapsed_ms: float = 0.0


class CheckSummary(_Model):
    total: int
    counts: dict[CheckStatus, int]  # every status, zeros included
    passed: int  # faithful + rewritten
    pass_rate: float  # passed / total, 0..1 (1 when there is nothing to check)


class CheckReport(_Model):
    warehouse: Warehouse
    target: str  # the emulator checked against (its URL, no password)
    schema_: str | None = Field(default=None, alias="schema")  # unqualified names resolve here
    rewrites_known: bool  # False: the emulator could not say which rewrites apply (see notes)
    notes: list[str] = Field(default_factory=list)
    summary: CheckSummary
    statements: list[StatementCheck]
    elapsed_ms: float

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @property
    def ok(self) -> bool:
        """Every statement passed (faithful or rewritten)."""
        return self.summary.passed == self.summary.total


def summarize(statements: list[StatementCheck]) -> CheckSummary:
    counts = dict.fromkeys(CheckStatus, 0)
    for statement in statements:
        counts[statement.status] += 1
    passed = counts[CheckStatus.FAITHFUL] + counts[CheckStatus.REWRITTEN]
    total = len(statements)
    return CheckSummary(
        total=total,
        counts=counts,
        passed=passed,
        pass_rate=round(passed / total, 4) if total else 1.0,
    )


class CheckSqlRequest(_Model):
    """``POST /api/experiments/{name}/check-sql``: the text of a file or a query log, checked
    statement by statement on the experiment's warehouse, with its schema as the default."""

    sql: str = Field(min_length=1, max_length=MAX_CHECK_SQL_CHARS)
    file: str | None = Field(default=None, max_length=1000)  # named in the report
    per_line: bool = False  # a query log with one statement per line (else split on ';')
    timeout_s: float | None = Field(default=None, gt=0, le=3600)  # per statement
