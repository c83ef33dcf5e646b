"""Turning public requests into valid experiments: DDL import, experiment JSON, patches, rows.

Every refusal names what was wrong: the DDL's line and column, the JSON field's path, the
unknown table or column, the row limit and the variable that sets it.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from dwsim_gateway.errors import BadRequestError, InvalidError
from dwsim_shared.contracts.api import ExperimentCreateRequest, ExperimentPatch, GenerateRequest
from dwsim_shared.contracts.enums import RuleSource
from dwsim_shared.contracts.identifiers import InvalidIdentifierError, validate_identifier
from dwsim_shared.contracts.query import ProfileRequest
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.sizing import SizingError, resolve_rows
from dwsim_shared.ddl import import_ddl
from dwsim_shared.errors import DDLError

ROW_LIMIT_VARIABLE = "DWSIM_MAX_ROWS"


def experiment_from_request(request: ExperimentCreateRequest, max_rows: int) -> Experiment:
    """The experiment a create request describes; name and warehouse override the schema's.
    Each table's rows are within ``max_rows``, as a patch's and a run's are."""
    experiment = _experiment(request)
    for table in experiment.tables:
        check_limit(table.name, table.target_rows, max_rows)
    return experiment


def _experiment(request: ExperimentCreateRequest) -> Experiment:
    if request.name is not None:
        try:
            validate_identifier(request.name, "experiment name")
        except InvalidIdentifierError as exc:
            raise InvalidError(
                [{"loc": ["body", "name"], "msg": str(exc), "type": "value_error"}]
            ) from None
    if request.ddl is not None:
        assert request.dialect is not None  # the request model checks both
        assert request.name is not None
        try:
            return import_ddl(
                request.ddl, dialect=request.dialect, name=request.name, warehouse=request.warehouse
            )
        except DDLError as exc:
            raise BadRequestError(f"invalid DDL: {exc}") from None
        except ValidationError as exc:  # e.g. a rule inferred from contradictory CHECKs
            raise InvalidError(validation_detail(exc, ("body", "ddl"))) from None
    data = dict(request.schema_ or {})
    if request.name is not None:
        data["name"] = request.name
    if request.warehouse is not None:
        data.pop("target_warehouse", None)
        data["warehouse"] = request.warehouse.value
    try:
        return Experiment.model_validate(data)
    except ValidationError as exc:
        raise InvalidError(validation_detail(exc, ("body", "schema"))) from None


def apply_patch(experiment: Experiment, patch: ExperimentPatch, max_rows: int) -> Experiment:
    """``experiment`` with the patch's row counts and rules (marked as the user's)."""
    data = experiment.model_dump(mode="json")
    tables = {t["name"]: t for t in data["tables"]}
    for wanted, table_patch in patch.tables.items():
        table_name = resolve(wanted, tables, f"experiment {experiment.name} has no table")
        table = tables[table_name]
        if table_patch.rows is not None:
            check_limit(table_name, table_patch.rows, max_rows)
            table["rows"] = table_patch.rows
        columns = {c["name"]: c for c in table["columns"]}
        for wanted_column, rule in table_patch.columns.items():
            column = resolve(wanted_column, columns, f"table {table_name} has no column")
            user_rule = rule.model_copy(update={"source": RuleSource.USER})
            columns[column]["rule"] = user_rule.model_dump(mode="json")
    try:
        return Experiment.model_validate(data)
    except ValidationError as exc:
        raise InvalidError(validation_detail(exc, ("experiment",), data)) from None


def rows_for_run(experiment: Experiment, request: GenerateRequest, max_rows: int) -> dict[str, int]:
    """Rows per table for a run, checked: the request's ``rows`` where given, the others sized
    as ``dwsim generate --scale X`` / ``--rows TOTAL`` size them (``resolve_rows``), else the
    schema's."""
    tables = [t.name for t in experiment.tables]
    asked: dict[str, int] = {}
    for wanted, count in (request.rows or {}).items():
        name = resolve(wanted, tables, f"experiment {experiment.name} has no table")
        if count < 0:
            raise BadRequestError(f"table {name}: rows must be 0 or more, not {count}")
        asked[name] = count
    try:
        effective = resolve_rows(experiment, asked, request.scale, request.rows_total)
    except SizingError as exc:
        raise BadRequestError(str(exc)) from None
    for name, count in effective.items():
        check_limit(name, count, max_rows)
    return effective


def profile_request(
    experiment: Experiment, table: str, columns: str | None, bins: int, top: int
) -> ProfileRequest:
    """``GET .../tables/{table}/profile?columns=a,b``: the table and columns as the schema names
    them (matched ignoring case, like everywhere else); every column when none are named."""
    names = [t.name for t in experiment.tables]
    found = experiment.table(resolve(table, names, f"experiment {experiment.name} has no table"))
    wanted = [c.strip() for c in (columns or "").split(",") if c.strip()]
    known = [c.name for c in found.columns]
    picked = [resolve(c, known, f"table {found.name} has no column") for c in wanted]
    return ProfileRequest(
        table=found.name, columns=list(dict.fromkeys(picked)) or None, bins=bins, top=top
    )


def check_limit(table: str, rows: int, max_rows: int) -> None:
    if rows > max_rows:
        raise BadRequestError(
            f"table {table}: {rows} rows is over the limit of {max_rows} rows per table per run "
            f"(set {ROW_LIMIT_VARIABLE} to raise it)"
        )


def resolve(wanted: str, names: Iterable[str], missing: str) -> str:
    """``wanted`` among ``names``: exactly, else the one name equal ignoring case."""
    names = list(names)
    if wanted in names:
        return wanted
    folded = [n for n in names if n.lower() == wanted.lower()]
    if len(folded) == 1:
        return folded[0]
    raise BadRequestError(f"{missing} {wanted} (known: {', '.join(names) or 'none'})")


def validation_detail(
    exc: ValidationError, prefix: Sequence[str | int], data: Any = None
) -> list[dict[str, Any]]:
    """Pydantic's errors in FastAPI's 422 shape; with ``data``, list indices become names."""
    return [
        {
            "loc": [*prefix, *_named(list(error["loc"]), data)],
            "msg": error["msg"],
            "type": error["type"],
        }
        for error in exc.errors(include_url=False)
    ]


def _named(loc: list[Any], data: Any) -> list[Any]:
    """``["tables", 0, "columns", 2]`` -> ``["tables", "orders", "columns", "amount"]``."""
    if data is None:
        return loc
    out: list[Any] = []
    node = data
    for part in loc:
        child = None
        if isinstance(node, dict):
            child = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            child = node[part]
            if isinstance(child, dict) and isinstance(child.get("name"), str):
                part = child["name"]
        out.append(part)
        node = child
    return out
