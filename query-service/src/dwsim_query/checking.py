"""``check-sql`` on an experiment's warehouse: each statement of a file or a query log run on
the emulator in a transaction that is rolled back, with the experiment's schema as the default
(``dwsim_shared.compat``). Statements the query guard refuses are not run (unsupported)."""

from dwsim_query.guard import NotAllowedError, check_allowed
from dwsim_query.service import QueryLog, QueryService
from dwsim_shared.compat import CHECKABLE, check_statements, rules_for, statements_of
from dwsim_shared.contracts.compat import MAX_CHECK_STATEMENTS, CheckReport, CheckSqlRequest
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.errors import DwsimError
from dwsim_shared.warehouses import WarehouseError, WarehouseUnavailableError
from dwsim_shared.warehouses.connections import RedshiftConnection, SnowflakeConnection
from dwsim_shared.warehouses.registry import connection_from_settings

WarehouseConnection = RedshiftConnection | SnowflakeConnection


class CheckRequestError(DwsimError):
    """Nothing to check, too much to check, or a warehouse the check does not cover."""


def check_sql(
    service: QueryService, name: str, request: CheckSqlRequest, query_id: str
) -> CheckReport:
    experiment = service.experiment(name)
    warehouse = experiment.warehouse
    if warehouse not in CHECKABLE:
        raise CheckRequestError(
            f"experiment {name} is on {warehouse.value}: check-sql checks SQL against the "
            "Redshift and Snowflake emulators"
        )
    sources: list[tuple[str | None, str]] = [(request.file, request.sql)]
    statements = statements_of(sources, rules_for(warehouse).dialect, per_line=request.per_line)
    if not statements:
        raise CheckRequestError("no SQL statement in sql (only blanks or comments)")
    if len(statements) > MAX_CHECK_STATEMENTS:
        raise CheckRequestError(
            f"{len(statements):,} statements: at most {MAX_CHECK_STATEMENTS:,} per request"
        )
    record = QueryLog(query_id, experiment, f"-- check-sql: {len(statements)} statements", "check")
    try:
        report = check_statements(
            statements,
            warehouse,
            _connection(service, experiment),
            schema=experiment.name,
            timeout_s=request.timeout_s or service.settings.query_timeout_s,
            refuse=lambda sql: _refusal(service, experiment, sql),
        )
    except WarehouseUnavailableError as exc:
        record.failed(exc)
        raise
    except WarehouseError as exc:  # the experiment's schema is not there
        error = WarehouseError(
            f"experiment {name} is not materialized ({exc.detail})", warehouse=warehouse
        )
        record.failed(error)
        raise error from None
    except BaseException as exc:
        record.failed(exc)
        raise
    record.ok(report.summary.total, passed=report.summary.passed)
    return report


def _connection(service: QueryService, experiment: Experiment) -> WarehouseConnection:
    """Redshift: the experiment's user (statements run as a query would); Snowflake: the
    configured connection (statements naming another schema are refused by ``_refusal``)."""
    connection = connection_from_settings(experiment.warehouse, service.settings)
    if experiment.warehouse != Warehouse.REDSHIFT:
        return connection
    with service.adapters(experiment.warehouse, service.settings) as adapter:
        return adapter.user_connection(experiment)


def _refusal(service: QueryService, experiment: Experiment, sql: str) -> str | None:
    try:
        check_allowed(experiment.warehouse, sql)
        service.check_isolated(experiment, sql)
    except NotAllowedError as exc:
        return str(exc)
    return None
