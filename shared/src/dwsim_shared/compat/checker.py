"""Classify each statement against an emulator: faithful, rewritten, unsupported or error.

Each statement runs in a transaction of its own that is rolled back, so the check changes no
data. Before that: SQL with Jinja tags is an error (not compiled SQL), statements a caller
refuses (``refuse``) and those a rollback could not undo (``rules.NotRun``) are classified
without running. A statement that runs is faithful, or rewritten when the emulator's explainer
names rewrites that apply; the emulator's refusals (its "emulator limit" errors) are
unsupported; any other error is the warehouse's own, with the line and column it points at.
"""

import logging
import time
from collections.abc import Callable

from dwsim_shared.compat.rules import (
    CheckRules,
    Explainer,
    NotRun,
    Translation,
    load_explainer,
    load_runner,
    rules_for,
)
from dwsim_shared.compat.runner import Outcome, StatementRunner
from dwsim_shared.compat.statements import Statement, jinja_at
from dwsim_shared.contracts.compat import CheckReport, CheckStatus, StatementCheck, summarize
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.warehouses.connections import RedshiftConnection, SnowflakeConnection

log = logging.getLogger("dwsim.check_sql")

Refusal = Callable[[str], str | None]  # a statement -> why it may not run here, or None

NOT_COMPILED = (
    "not compiled SQL: it holds Jinja ({{ }}, {% %} or {# #}); check the compiled files instead "
    "(dbt compile writes them under target/compiled)"
)


def check_statements(
    statements: list[Statement],
    warehouse: Warehouse,
    connection: RedshiftConnection | SnowflakeConnection,
    *,
    schema: str | None = None,
    timeout_s: float = 30.0,
    refuse: Refusal | None = None,
) -> CheckReport:
    """The report for ``statements`` on the emulator at ``connection`` (raises
    ``WarehouseUnavailableError`` when it does not answer)."""
    rules = rules_for(warehouse)
    runner: StatementRunner = load_runner(rules)(connection, schema)
    started = time.monotonic()
    runner.open()
    try:
        explain = load_explainer(rules) or runner.explainer()
        check = _Check(rules, runner, explain, timeout_s, refuse)
        checks = [check.one(statement) for statement in statements]
    finally:
        runner.close()
    return CheckReport(
        warehouse=Warehouse(warehouse),
        target=runner.target,
        schema=schema,
        rewrites_known=explain is not None,
        notes=[] if explain is not None else [rules.unknown_rewrites],
        summary=summarize(checks),
        statements=checks,
        elapsed_ms=_ms(started),
    )


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 3)


class _Check:
    def __init__(
        self,
        rules: CheckRules,
        runner: StatementRunner,
        explain: Explainer | None,
        timeout_s: float,
        refuse: Refusal | None,
    ):
        self.rules = rules
        self.runner = runner
        self.explain = explain
        self.timeout_s = timeout_s
        self.refuse = refuse

    def one(self, statement: Statement) -> StatementCheck:
        started = time.monotonic()
        check = self._classify(statement)
        check.elapsed_ms = _ms(started)
        return check

    def _classify(self, statement: Statement) -> StatementCheck:
        sql = statement.sql
        if (tag := jinja_at(sql)) is not None:
            line, column = statement.file_position(*tag)
            return _result(
                statement,
                CheckStatus.ERROR,
                reason=NOT_COMPILED,
                error_line=line,
                error_column=column,
                executed=False,
            )
        if self.refuse is not None and (why := self.refuse(sql)):
            return _result(statement, CheckStatus.UNSUPPORTED, reason=why, executed=False)
        if (rule := self.rules.not_run_rule(sql)) is not None:
            return self._without_running(statement, rule.why, rule)
        outcome = self.runner.run(sql, self.timeout_s)
        if outcome.ok:
            translation = self._translation(sql)
            if translation is not None and translation.rewrites:
                return _result(statement, CheckStatus.REWRITTEN, rewrites=translation.rewrites)
            return _result(statement, CheckStatus.FAITHFUL)
        if outcome.code in self.rules.in_block_codes:
            why = "it cannot run inside a transaction block"
            return self._without_running(statement, why, None, outcome)
        if self.rules.is_unsupported(outcome.code, outcome.message):
            return _result(
                statement, CheckStatus.UNSUPPORTED, reason=outcome.message, code=outcome.code
            )
        return _error(statement, outcome)

    def _translation(self, sql: str) -> Translation | None:
        if self.explain is None:
            return None
        try:
            return self.explain(sql)
        except Exception:  # the explainer's bug must not cost the report
            log.info("check_sql.explain_failed sql=%r", sql[:200], exc_info=True)
            return None

    def _without_running(
        self, statement: Statement, why: str, rule: NotRun | None, outcome: Outcome | None = None
    ) -> StatementCheck:
        """Classified by the emulator's translator, else by the rule's kind of statement."""
        translation = self._translation(statement.sql)
        if translation is not None:
            note = f"not run: {why}; classified by translation"
            if translation.unsupported:
                return _result(
                    statement,
                    CheckStatus.UNSUPPORTED,
                    reason=translation.unsupported,
                    executed=False,
                    note=note,
                )
            status = CheckStatus.REWRITTEN if translation.rewrites else CheckStatus.FAITHFUL
            return _result(
                statement, status, rewrites=translation.rewrites, executed=False, note=note
            )
        if rule is not None:
            note = f"not run: {why}; classified by its kind"
            return _result(
                statement, rule.status, rewrites=rule.rewrites, executed=False, note=note
            )
        assert outcome is not None
        return _error(statement, outcome, note=f"not checked: {why}")


def _result(
    statement: Statement, status: CheckStatus, *, rewrites: tuple[str, ...] = (), **fields
) -> StatementCheck:
    return StatementCheck(
        file=statement.file,
        line=statement.line,
        column=statement.column,
        sql=statement.sql,
        status=status,
        rewrites=list(rewrites),
        **fields,
    )


def _error(statement: Statement, outcome: Outcome, note: str | None = None) -> StatementCheck:
    line = column = None
    if outcome.line is not None and outcome.column is not None:
        line, column = statement.file_position(outcome.line, outcome.column)
    return _result(
        statement,
        CheckStatus.ERROR,
        reason=outcome.message,
        code=outcome.code,
        error_line=line,
        error_column=column,
        note=note,
    )
