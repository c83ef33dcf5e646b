"""What the check knows of each emulator, as data: how to split its SQL, how to run a statement
there, which statements must not run (and how they are classified instead), which answers
mean "an emulator limit", and who can say which rewrites apply to a statement.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from dwsim_shared.compat.statements import without_comments
from dwsim_shared.contracts.compat import CheckStatus
from dwsim_shared.contracts.enums import Warehouse


@dataclass(frozen=True)
class Translation:
    """What the emulator does with a statement before running it: the rewrites that apply
    (none: it runs as written), or why it refuses it."""

    rewrites: tuple[str, ...] = ()
    unsupported: str | None = None


Explainer = Callable[[str], Translation]


@dataclass(frozen=True)
class NotRun:
    """Statements that are classified without running: a rollback could not undo them, or they
    would end the check's own transaction. ``status`` and ``rewrites`` say what the emulator
    does with them when no explainer can tell."""

    pattern: re.Pattern[str]
    why: str
    status: CheckStatus
    rewrites: tuple[str, ...] = ()


def _not_run(
    pattern: str, why: str, status: CheckStatus = CheckStatus.FAITHFUL, *rewrites: str
) -> NotRun:
    return NotRun(re.compile(pattern, re.IGNORECASE), why, status, rewrites)


@dataclass(frozen=True)
class CheckRules:
    dialect: str  # sqlglot's name of the warehouse's dialect, to split statements
    runner: str  # "module:class" of its StatementRunner
    explainer: str | None  # "module" with explain(sql) -> Translation, run in-process;
    # None: the runner's explainer() asks the emulator itself, if it can
    not_run: tuple[NotRun, ...]
    unsupported_codes: frozenset[str]  # SQLSTATEs the emulator gives its refusals
    unsupported_words: tuple[str, ...]  # or words of their messages (lower case)
    in_block_codes: frozenset[str] = frozenset()  # "cannot run in a transaction block"
    unknown_rewrites: str = ""  # the report's note when no explainer answers

    def not_run_rule(self, sql: str) -> NotRun | None:
        words = without_comments(sql).lstrip()  # CREATE /* scratch */ STAGE is a CREATE STAGE
        return next((rule for rule in self.not_run if rule.pattern.match(words)), None)

    def is_unsupported(self, code: str | None, message: str) -> bool:
        lowered = message.lower()
        return code in self.unsupported_codes or any(w in lowered for w in self.unsupported_words)


_OWN_TRANSACTION = "transaction control: each statement is checked in a transaction of its own"
_UNLOAD = "unload (run by the emulator)"

RULES: dict[Warehouse, CheckRules] = {
    Warehouse.REDSHIFT: CheckRules(
        dialect="redshift",
        runner="dwsim_shared.compat.redshift_runner:RedshiftRunner",
        explainer="dwsim_shared.compat.redshift_translation",
        not_run=(
            _not_run(
                r"(?:BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE"
                r"|PREPARE\s+TRANSACTION)\b",
                _OWN_TRANSACTION,
            ),
            _not_run(
                r"TRUNCATE\b",
                "TRUNCATE commits the transaction it runs in (as in Redshift), so a rollback "
                "could not undo it",
            ),
            _not_run(
                r"UNLOAD\b",
                "UNLOAD writes files to S3, which a rollback cannot undo",
                CheckStatus.REWRITTEN,
                _UNLOAD,
            ),
        ),
        unsupported_codes=frozenset({"0A000"}),  # feature_not_supported
        unsupported_words=("emulator limit",),
        in_block_codes=frozenset({"25001"}),  # active_sql_transaction
        unknown_rewrites=(
            "the Redshift emulator's translator (the dwsim-redshift-emulator package) is not "
            "installed where the check ran, so statements that ran are reported faithful "
            "without naming rewrites"
        ),
    ),
    Warehouse.SNOWFLAKE: CheckRules(
        dialect="snowflake",
        runner="dwsim_shared.compat.snowflake_runner:SnowflakeRunner",
        explainer=None,
        not_run=(
            _not_run(r"(?:BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK)\b", _OWN_TRANSACTION),
            _not_run(
                r"COPY\s+INTO\s+(?:'|@)",
                "unloading writes files, which a rollback cannot undo",
                CheckStatus.REWRITTEN,
                _UNLOAD,
            ),
            _not_run(r"PUT\b", "PUT uploads a file into a stage, which a rollback cannot undo"),
            _not_run(
                r"(?:CREATE|DROP|ALTER|UNDROP)\s+(?:OR\s+REPLACE\s+)?(?:TRANSIENT\s+)?DATABASE\b",
                "the emulator keeps each database in a file of its own, outside any transaction",
            ),
            _not_run(
                r"(?:CREATE|DROP|ALTER)\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?"
                r"(?:STAGE|FILE\s+FORMAT)\b",
                "the emulator records stages and file formats outside the transaction",
            ),
        ),
        unsupported_codes=frozenset({"0A000"}),
        unsupported_words=("emulator limit", "not supported by the snowflake emulator"),
        unknown_rewrites=(
            "the server does not answer SYSTEM$DWSIM_EXPLAIN (a Snowflake account, or an "
            "emulator older than it), so statements that ran are reported faithful without "
            "naming rewrites"
        ),
    ),
}

CHECKABLE = tuple(RULES)


def rules_for(warehouse: Warehouse) -> CheckRules:
    try:
        return RULES[Warehouse(warehouse)]
    except KeyError:
        raise ValueError(
            f"check-sql checks Redshift and Snowflake SQL against their emulators, not "
            f"{Warehouse(warehouse).value}"
        ) from None


def load_explainer(rules: CheckRules) -> Explainer | None:
    """The emulator's explain function, or None when it is not installed here."""
    if rules.explainer is None:
        return None
    try:
        return import_module(rules.explainer).explain
    except ImportError:
        return None


def load_runner(rules: CheckRules) -> type:
    module, _, name = rules.runner.partition(":")
    return getattr(import_module(module), name)
